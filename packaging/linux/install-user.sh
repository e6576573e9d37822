#!/usr/bin/env bash
# Per-user installer for readerapp (no root needed). The .run archive runs this from its unpacked
# folder. Installs into ~/.local (or PREFIX):
#   PREFIX/lib/readerapp/            the app           PREFIX/bin/readerapp   the command
#   PREFIX/share/applications/      the menu entry    PREFIX/share/icons/... the icons
# Before installing it checks that the system has the libraries the app needs but does not carry
# (libGL, libEGL, libxcb, fontconfig and a font) and, when one is missing, names the packages to
# install and stops (--skip-check installs anyway).
# Usage: ./readerapp-*.run [-- --prefix DIR | -- --uninstall | -- --skip-check]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ "$(basename "$0")" = uninstall.sh ] && [ "$(basename "$here")" = readerapp ]; then
  # The copy kept in PREFIX/lib/readerapp/ to undo the install: it knows its PREFIX.
  prefix=$(cd "$here/../.." && pwd)
else
  prefix=${PREFIX:-$HOME/.local}
fi
action=install
check=yes
while [ $# -gt 0 ]; do
  case $1 in
    --prefix) prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    --uninstall) action=uninstall; shift ;;
    --skip-check) check=no; shift ;;
    -h|--help) sed -n '2,9p' "$0" | cut -c3-; exit 0 ;;
    *) echo "install: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done
app_id=io.github.readerapp.ReaderApp
appdir=$prefix/lib/readerapp
share=$prefix/share

refresh_caches() {
  # Desktops that keep these caches refresh them; a missing cache is nothing to report.
  command -v update-desktop-database >/dev/null && update-desktop-database -q "$share/applications" 2>/dev/null || true
  command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$share/icons/hicolor" 2>/dev/null || true
}

uninstall() {
  rm -rf "$appdir"
  rm -f "$prefix/bin/readerapp" "$share/applications/$app_id.desktop" "$share/metainfo/$app_id.metainfo.xml"
  find "$share/icons/hicolor" -name "$app_id.*" -delete 2>/dev/null || true
  refresh_caches
  echo "readerapp removed from $prefix (your library in ~/.local/share/readerapp is kept)."
}

if [ "$action" = uninstall ]; then
  uninstall
  exit 0
fi

if [ "$check" = yes ] && ! bash "$here/check-system.sh" "$here/readerapp"; then
  echo "Nothing was installed. Run this installer again once they are installed." >&2
  exit 1
fi

mkdir -p "$prefix/bin" "$prefix/lib" "$share/applications" "$share/metainfo"
rm -rf "$appdir.new"
cp -a "$here/readerapp" "$appdir.new"
install -m 755 "$0" "$appdir.new/uninstall.sh"  # this script, kept to undo the install
rm -rf "$appdir"
mv "$appdir.new" "$appdir"
ln -sfn "$appdir/readerapp" "$prefix/bin/readerapp"
# The menu entry names the program by its full path: ~/.local/bin is not on every PATH.
sed -e "s|^Exec=readerapp|Exec=$appdir/readerapp|" -e "s|^TryExec=readerapp|TryExec=$appdir/readerapp|" \
  "$here/$app_id.desktop" >"$share/applications/$app_id.desktop"
install -m 644 "$here/$app_id.metainfo.xml" "$share/metainfo/"
bash "$here/install-icons.sh" "$here/icons" "$share/icons/hicolor"
refresh_caches
echo "readerapp $("$appdir/readerapp" --version | cut -d' ' -f2) installed in $appdir."
echo "Start it from the menu or run: $prefix/bin/readerapp"
echo "Remove it with: $appdir/uninstall.sh --uninstall"
