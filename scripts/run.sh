#!/usr/bin/env bash
# Install the run-time dependencies and start the dashboard on the shipped default data.
# Extra arguments go to `streamlit run` (e.g. --server.port 8601). Beside the server,
# scripts/warm_up.py runs the app once as soon as it is up, so the first visitor does not pay
# for the start-up (and a first visit on a sub-page link shows no "Page not found" dialog).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_venv.sh requirements.txt
.venv/bin/python scripts/warm_up.py "$@" &
exec .venv/bin/streamlit run app.py --server.scriptHealthCheckEnabled true "$@"
