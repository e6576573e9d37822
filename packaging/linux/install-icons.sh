#!/usr/bin/env bash
# Copy the app icon into a hicolor theme folder under the app id (PNG sizes and the SVG).
# Usage: install-icons.sh ICONS_SOURCE_DIR HICOLOR_DIR
set -euo pipefail
src=$1
dest=$2
app_id=io.github.readerapp.ReaderApp
for png in "$src"/readerapp-*.png; do
  size=$(basename "$png" .png)
  size=${size#readerapp-}
  mkdir -p "$dest/${size}x${size}/apps"
  install -m 644 "$png" "$dest/${size}x${size}/apps/$app_id.png"
done
mkdir -p "$dest/scalable/apps"
install -m 644 "$src/readerapp.svg" "$dest/scalable/apps/$app_id.svg"
