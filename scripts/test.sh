#!/usr/bin/env bash
# Set up (first time only), lint, type-check, and run the whole test suite headless (its summary
# prints last).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check --quiet .
# The settings are in pyproject.toml ([tool.mypy]): strict for core, storage, net, pdf, services.
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
