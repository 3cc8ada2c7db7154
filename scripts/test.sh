#!/usr/bin/env bash
# Install everything the tests need (Python packages, Debian's chromium for the browser test)
# and run lint + the whole test suite. This is what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if [ ! -x /usr/bin/chromium ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
bash scripts/setup_venv.sh requirements-dev.txt
.venv/bin/ruff check .
.venv/bin/python -m pytest -q "$@"
