#!/usr/bin/env bash
# Set up (first time only) and open readerapp with its starter library. Extra arguments go to the app.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/readerapp "$@"
