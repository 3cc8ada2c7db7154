#!/usr/bin/env bash
# Install everything the tests need (Python packages, Debian's chromium for the browser test,
# Debian's haproxy for the deployment tests, axe-core from npm for its accessibility checks)
# and run lint + the whole test suite. This is what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/sbin/haproxy ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium haproxy >/dev/null
fi
if ! command -v npm >/dev/null; then  # axe-core for the accessibility checks of the browser tests
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
fi
(cd tests/browser && npm ci --no-audit --no-fund --silent)
bash scripts/setup_venv.sh requirements-dev.txt
.venv/bin/ruff check .
.venv/bin/mypy  # strict on nq05_metrics/ (pyproject.toml [tool.mypy])
.venv/bin/python -m pytest -q "$@"
