#!/usr/bin/env bash
# Set up (first time only), lint, and run the whole test suite headless (its summary prints last).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check --quiet .
.venv/bin/python -m pytest "$@"
