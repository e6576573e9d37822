#!/usr/bin/env bash
# Prepare a machine to run readerapp from this checkout: system libraries for Qt (when we can
# install them), a virtual environment in .venv, and readerapp with its test tools in it.
# Runs its installs once: after that it only checks, quietly and offline, and installs again only
# when something is missing or pyproject.toml changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."

QT_LIBS="libglib2.0-0 libegl1 libgl1 libx11-6 libx11-xcb1 libdbus-1-3 libfontconfig1 libfreetype6
  libxkbcommon0 libxkbcommon-x11-0 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-shm0
  libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1 fonts-dejavu-core"
missing=""
if command -v dpkg >/dev/null 2>&1; then
  for pkg in $QT_LIBS ${EXTRA_APT:-}; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
  done
  python3 -c 'import venv, ensurepip' 2>/dev/null || missing="$missing python3-venv"
fi
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  echo "setup: installing system packages:$missing"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi

# What the last install was made from: the project's metadata and the venv's Python.
stamp=.venv/.readerapp-installed
wanted="$(sha256sum pyproject.toml | cut -d' ' -f1) $(.venv/bin/python -c 'import sys; print(sys.version)')"
if [ -x .venv/bin/readerapp ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  exit 0
fi
echo "setup: installing readerapp and its test tools into .venv (once)"
rm -f "$stamp"
# pip's chatter (including setuptools' standing notice about editable installs) goes to a log
# that is shown only when the install fails.
log=.venv/setup.log
if ! { .venv/bin/python -m pip install -q --upgrade pip && .venv/bin/python -m pip install -q -e ".[test]"; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "setup: installing into .venv failed (the messages above are also in $log)" >&2
  exit 1
fi
printf '%s\n' "$wanted" >"$stamp"
