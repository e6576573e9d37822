#!/usr/bin/env bash
# Build every Linux artifact of readerapp from a clean checkout into dist/:
#   dist/readerapp/                          the frozen app (one folder; run dist/readerapp/readerapp)
#   dist/readerapp_<version>_<arch>.deb      app in /opt/readerapp, /usr/bin/readerapp, menu entry
#   dist/readerapp-<version>-linux-<arch>.run  per-user installer, no root (~/.local)
#   dist/readerapp.AppDir/                   packed to dist/readerapp-<version>-<arch>.AppImage
#                                            when appimagetool is on PATH
# Then smoke-tests the frozen app offscreen (packaging/linux/smoke.sh).
#
# Usage: bash packaging/build-linux.sh [--app-only]   (--app-only: the frozen app and its smoke)
# Needs Debian 12 or newer (the bundle needs glibc >= 2.36). As root it installs the build tools
# with apt-get; otherwise it asks sudo, like scripts/setup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
app_only=false
[ "${1:-}" = "--app-only" ] && app_only=true

# Build tools: strip (binutils); the xcb libraries PyInstaller must find to bundle them
# (without them the bundle silently lacks them); makeself; the shared libpython that Debian's
# python3 keeps in a separate package.
PY=${PYTHON:-python3}
pyver=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
extra="binutils libxcb-icccm4 libxcb-keysyms1 makeself"
case "$(readlink -f "$(command -v "$PY")")" in
  /usr/bin/*) extra="$extra libpython$pyver" ;;
esac
EXTRA_APT="$extra ${EXTRA_APT:-}" bash scripts/setup.sh

venv=$root/.venv
# PyInstaller once, like the rest of the set-up: a later build works offline.
"$venv/bin/python" -c 'import PyInstaller' 2>/dev/null ||
  "$venv/bin/python" -m pip install -q "pyinstaller>=6.10,<7"
version=$("$venv/bin/python" -c 'from importlib.metadata import version; print(version("readerapp"))')

echo "build-linux: freezing readerapp $version"
rm -rf dist/readerapp build/pyinstaller
"$venv/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/readerapp.spec

echo "build-linux: smoke test of the frozen app"
bash packaging/linux/smoke.sh dist/readerapp/readerapp build/smoke-frozen.png
if $app_only; then
  exit 0
fi

echo "build-linux: installers"
bash packaging/linux/build-deb.sh dist/readerapp "$version" dist
bash packaging/linux/build-run.sh dist/readerapp "$version" dist
bash packaging/linux/build-appdir.sh dist/readerapp "$version" dist
echo "build-linux: done"
du -sh dist/readerapp dist/*.deb dist/*.run
