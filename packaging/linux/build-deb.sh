#!/usr/bin/env bash
# Package the frozen app (dist/readerapp) as a .deb: the app in /opt/readerapp, /usr/bin/readerapp,
# the menu entry, hicolor icons, AppStream metainfo and /usr/share/doc/readerapp/copyright.
# Usage: build-deb.sh FROZEN_DIR VERSION OUT_DIR   (called by packaging/build-linux.sh)
set -euo pipefail
frozen=$(readlink -f "$1")
version=$2
out=$(readlink -f "$3")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
app_id=io.github.readerapp.ReaderApp
arch=$(dpkg --print-architecture)
stage=$root/build/deb/readerapp_${version}_$arch
rm -rf "$stage"
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
  "$stage/usr/share/metainfo" "$stage/usr/share/doc/readerapp"

cp -a "$frozen" "$stage/opt/readerapp"
ln -s /opt/readerapp/readerapp "$stage/usr/bin/readerapp"
install -m 644 "$root/resources/desktop/$app_id.desktop" "$stage/usr/share/applications/"
install -m 644 "$root/resources/desktop/$app_id.metainfo.xml" "$stage/usr/share/metainfo/"
bash "$here/install-icons.sh" "$root/resources/icons" "$stage/usr/share/icons/hicolor"

# Debian's machine-readable copyright: readerapp's licence, then every bundled component's.
{
  cat <<COPYRIGHT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: readerapp
Source: https://github.com/readerapp/readerapp

Files: *
Copyright: The readerapp authors
License: AGPL-3.0-or-later

Files: opt/readerapp/_internal/PySide6/* opt/readerapp/_internal/shiboken6/*
 opt/readerapp/_internal/libQt6* opt/readerapp/_internal/libpyside6* opt/readerapp/_internal/libshiboken6*
Copyright: The Qt Company Ltd. and other contributors
License: LGPL-3.0-only
 On Debian systems the full text is in /usr/share/common-licenses/LGPL-3
 and the GPL it supplements in /usr/share/common-licenses/GPL-3.

Files: opt/readerapp/_internal/pymupdf/* opt/readerapp/_internal/libmupdf*
Copyright: Artifex Software, Inc.
License: AGPL-3.0-only

Files: opt/readerapp/_internal/*
Comment: The Python interpreter and the other bundled components, with their licences and
 copyright notices, are listed in full below (THIRD_PARTY_NOTICES.md, also shipped as
 /opt/readerapp/_internal/THIRD_PARTY_NOTICES.md and shown in Help -> About).
License: various

License: AGPL-3.0-or-later
COPYRIGHT
  sed -e 's/^$/./' -e 's/^/ /' "$root/LICENSE"
  echo
  echo "License: various"
  sed -e 's/^$/./' -e 's/^/ /' "$root/THIRD_PARTY_NOTICES.md"
} >"$stage/usr/share/doc/readerapp/copyright"

installed_kb=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
cat >"$stage/DEBIAN/control" <<CONTROL
Package: readerapp
Version: $version
Architecture: $arch
Maintainer: The readerapp authors <readerapp@users.noreply.github.com>
Installed-Size: $installed_kb
Depends: libc6 (>= 2.36), libstdc++6, libgcc-s1, libgl1, libegl1, libxcb1, libxkbcommon0, libfontconfig1, libcups2
Section: science
Priority: optional
Homepage: https://github.com/readerapp/readerapp
Description: desktop reading list for AI research
 readerapp keeps a tree of topics holding papers, articles, posts and threads;
 a PDF viewer with highlights and notes saved the moment they are made; and
 arXiv and RSS feeds filtered through the topics.
 .
 This package ships a self-contained build (Python, Qt and PyMuPDF included)
 under /opt/readerapp.
CONTROL
# The menu and icon caches are refreshed by dpkg triggers of desktop-file-utils and the icon
# themes, so the package needs no maintainer scripts.
mkdir -p "$out"
deb=$out/readerapp_${version}_$arch.deb
dpkg-deb --root-owner-group -Zzstd --build "$stage" "$deb" >/dev/null
echo "$deb"
