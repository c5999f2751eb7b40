#!/usr/bin/env bash
# Regenerates requirements/lock.txt, the exact set CI and scripts/install.sh install, from pyproject.toml's
# ranges (with the dev and postgres extras), every file pinned by hash. Run it, then the whole test suite,
# before committing a new lock. Extras stay on their pins ('smart-open[http]==...'): pip checking hashes
# takes a dependency's 'smart-open[http]>=5.2.1' for a requirement of its own, and a pin without the extra
# leaves it free to pick a newer release, whose hash the lock does not have (justext asks lxml[html_clean]).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check pip-tools
python3 -m piptools compile --quiet --allow-unsafe --no-emit-index-url --no-emit-find-links --generate-hashes \
    --no-strip-extras --extra dev --extra postgres \
    -o requirements/lock.txt pyproject.toml
