#!/usr/bin/env bash
# Install the run-time dependencies and start the dashboard on the shipped default data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_venv.sh requirements.txt
exec .venv/bin/streamlit run app.py "$@"
