#!/usr/bin/env bash
# Compile-check readerapp.nsi on Linux with Debian's makensis (apt-get install nsis): the frozen
# Windows app cannot be built here (PyInstaller does not cross-compile), so a stand-in folder
# with the same file names takes its place. The resulting setup.exe is thrown away.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
command -v makensis >/dev/null || { echo "check-nsis: makensis missing (apt-get install nsis)" >&2; exit 2; }
stub=$(mktemp -d)
trap 'rm -rf "$stub"' EXIT
mkdir -p "$stub/readerapp/_internal"
printf 'MZ stand-in\n' >"$stub/readerapp/readerapp.exe"
printf 'MZ stand-in\n' >"$stub/readerapp/readerapp-cli.exe"
printf 'stand-in\n' >"$stub/readerapp/_internal/python311.dll"
cd "$here"
makensis -V2 -WX -DVERSION=0.1.0 "-DSOURCE=$stub/readerapp" "-DOUTFILE=$stub/readerapp-0.1.0-setup.exe" readerapp.nsi
echo "check-nsis: readerapp.nsi compiles ($(stat -c %s "$stub/readerapp-0.1.0-setup.exe") bytes with stand-in files)"
