#!/usr/bin/env bash
# Smoke-test an installed or frozen readerapp: version, a CLI command, and a screenshot of the
# Getting started PDF opened in the viewer. Exits non-zero on any failure.
# Usage: smoke.sh READERAPP_EXECUTABLE OUTPUT_PNG [PDF]
#   QT_QPA_PLATFORM decides where the window goes (offscreen when unset).
set -euo pipefail
app=$1
png=$2
bundle=$(dirname "$(readlink -f "$app")")
pdf=${3:-$bundle/_internal/readerapp/resources/getting-started.pdf}
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT

"$app" --version
"$app" --home "$home" topics >/dev/null
rm -f "$png"
start=$EPOCHREALTIME
"$app" --home "$home" --screenshot "$png" --open "$pdf"
end=$EPOCHREALTIME
test -s "$png" || { echo "smoke: no screenshot at $png" >&2; exit 1; }
# Width and height from the PNG header (coreutils only: the target may have no Python).
read -r -a b <<<"$(od -An -tu1 -j16 -N8 "$png")"
width=$(((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]))
height=$(((b[4] << 24) | (b[5] << 16) | (b[6] << 8) | b[7]))
ms=$(((${end/./} - ${start/./}) / 1000))
echo "smoke: ok ($QT_QPA_PLATFORM platform, ${width}x${height} screenshot, $(stat -c %s "$png") bytes, ${ms} ms)"
