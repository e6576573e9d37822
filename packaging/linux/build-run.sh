#!/usr/bin/env bash
# Make the per-user installer: a self-extracting .run (makeself, gzip) around install-user.sh.
# Usage: build-run.sh FROZEN_DIR VERSION OUT_DIR   (called by packaging/build-linux.sh)
set -euo pipefail
frozen=$(readlink -f "$1")
version=$2
out=$(readlink -f "$3")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
app_id=io.github.readerapp.ReaderApp
arch=$(uname -m)
stage=$root/build/run/payload
rm -rf "$stage"
mkdir -p "$stage/icons"
cp -a "$frozen" "$stage/readerapp"
install -m 755 "$here/install-user.sh" "$here/install-icons.sh" "$here/check-system.sh" "$stage/"
install -m 644 "$root/resources/desktop/$app_id.desktop" "$root/resources/desktop/$app_id.metainfo.xml" "$stage/"
cp "$root"/resources/icons/readerapp-*.png "$root/resources/icons/readerapp.svg" \
  "$stage/icons/"
mkdir -p "$out"
run=$out/readerapp-$version-linux-$arch.run
# gzip: every Linux can unpack it (zstd is not installed everywhere); xz would take minutes.
makeself --quiet --gzip --complevel 6 --tar-quietly "$stage" "$run" \
  "readerapp $version (per-user installer)" ./install-user.sh >/dev/null
echo "$run"
