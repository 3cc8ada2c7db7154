#!/usr/bin/env bash
# Create .venv (if needed) and install a requirements file into it: setup_venv.sh REQUIREMENTS
set -euo pipefail
cd "$(dirname "$0")/.."
req="${1:-requirements.txt}"
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if [ ! -x .venv/bin/python ]; then
  if ! python3 -m venv .venv 2>/dev/null; then
    as_root apt-get update -qq && as_root apt-get install -y -qq python3-venv
    rm -rf .venv && python3 -m venv .venv
  fi
fi
stamp=".venv/.installed-$(sha256sum "$req" requirements.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r "$req"
  touch "$stamp"
fi
