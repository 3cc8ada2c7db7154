#!/usr/bin/env bash
# Start N dashboard replicas behind HAProxy on this machine; SIGTERM or Ctrl-C stops them all.
#   deploy/run_local.sh --replicas 2 --port 8600 [--data DIR] [--run-dir DIR] [-- streamlit options]
# Needs Debian's `haproxy` (apt-get install haproxy). See deploy/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
[ -x "$PY" ] || PY=python3
exec "$PY" deploy/local.py "$@"
