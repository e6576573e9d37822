#!/usr/bin/env bash
# Make dist/readerapp.AppDir (runnable as is: ./readerapp.AppDir/AppRun) and pack it into an
# AppImage when appimagetool is on PATH (neither Debian nor PyPI ships one that works offline).
# Usage: build-appdir.sh FROZEN_DIR VERSION OUT_DIR   (called by packaging/build-linux.sh)
set -euo pipefail
frozen=$(readlink -f "$1")
version=$2
out=$(readlink -f "$3")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
app_id=io.github.readerapp.ReaderApp
appdir=$out/readerapp.AppDir
rm -rf "$appdir"
mkdir -p "$appdir/usr/lib" "$appdir/usr/bin" "$appdir/usr/share/applications" "$appdir/usr/share/metainfo"
cp -a "$frozen" "$appdir/usr/lib/readerapp"
ln -s ../lib/readerapp/readerapp "$appdir/usr/bin/readerapp"
cat >"$appdir/AppRun" <<'APPRUN'
#!/bin/sh
# The AppImage runtime sets APPDIR; run from an unpacked AppDir, find it from this script.
here=${APPDIR:-$(dirname "$(readlink -f "$0")")}
exec "$here/usr/lib/readerapp/readerapp" "$@"
APPRUN
chmod 755 "$appdir/AppRun"
install -m 644 "$root/resources/desktop/$app_id.desktop" "$appdir/$app_id.desktop"
install -m 644 "$root/resources/desktop/$app_id.desktop" "$appdir/usr/share/applications/"
# appimagetool reads the metainfo under its older appdata name too.
install -m 644 "$root/resources/desktop/$app_id.metainfo.xml" "$appdir/usr/share/metainfo/$app_id.appdata.xml"
bash "$here/install-icons.sh" "$root/resources/icons" "$appdir/usr/share/icons/hicolor"
install -m 644 "$root/resources/icons/readerapp-256.png" "$appdir/$app_id.png"
ln -s "$app_id.png" "$appdir/.DirIcon"
echo "$appdir"
if command -v appimagetool >/dev/null 2>&1; then
  image=$out/readerapp-$version-$(uname -m).AppImage
  ARCH=$(uname -m) appimagetool --no-appstream "$appdir" "$image" >/dev/null
  echo "$image"
else
  echo "build-appdir: appimagetool is not on PATH; the AppDir is ready to pack with it." >&2
fi
