#!/usr/bin/env bash
# The honest "fresh machine" check for the .deb: install it into a pristine minimal Debian 12 root
# (debootstrap --variant=minbase bookworm) with nothing but what its Depends bring, then
#   1. run the smoke test there offscreen (packaging/linux/smoke.sh), and
#   2. launch it on the real xcb platform against an Xvfb display, take the smoke screenshot,
#      then start it normally and capture the X screen from outside.
# The X server runs on the host and only its socket is shared, so the root gains no X packages.
#
# Usage (as root): bash packaging/test-deb-in-debootstrap.sh [dist/readerapp_*.deb]
# Not part of CI (several minutes). The pristine root is cached as a tarball in $CACHE and
# unpacked afresh for every run. The Debian mirror is the one this machine's apt uses, or
# $DEBIAN_MIRROR. Screenshots land in build/debootstrap/.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
deb=$(readlink -f "${1:-$(ls -t dist/readerapp_*.deb | head -1)}")
[ "$(id -u)" = 0 ] || { echo "test-deb: run as root (debootstrap and chroot need it)" >&2; exit 2; }
test -f "$deb" || { echo "test-deb: no .deb at $deb; run packaging/build-linux.sh" >&2; exit 2; }

CACHE=${CACHE:-/var/tmp/readerapp-debootstrap}
out=$repo/build/debootstrap
target=$CACHE/root
pristine=$CACHE/bookworm-minbase.tar
mkdir -p "$CACHE" "$out"

need=""
for tool in debootstrap:debootstrap Xvfb:xvfb xwininfo:x11-utils import:imagemagick; do
  command -v "${tool%%:*}" >/dev/null || need="$need ${tool#*:}"
done
if [ -n "$need" ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null
fi

mirror=${DEBIAN_MIRROR:-$(
  { grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources || true
    grep -hs '^deb ' /etc/apt/sources.list || true; } | awk '{print $2}' | grep -v security | head -1
)}

cleanup() {
  set +e
  [ -n "${app_pid:-}" ] && kill "$app_pid" 2>/dev/null
  [ -n "${xvfb_pid:-}" ] && kill "$xvfb_pid" 2>/dev/null
  for m in tmp/.X11-unix dev/pts dev sys proc; do
    mountpoint -q "$target/$m" && umount -l "$target/$m"
  done
}
trap cleanup EXIT

if [ ! -f "$pristine" ]; then
  echo "test-deb: debootstrap --variant=minbase bookworm from $mirror (once; cached)"
  rm -rf "$target"
  debootstrap --variant=minbase bookworm "$target" "$mirror" >"$CACHE/debootstrap.log" 2>&1 ||
    { tail -20 "$CACHE/debootstrap.log"; exit 1; }
  tar -C "$target" -cf "$pristine" .
fi
rm -rf "$target"
mkdir -p "$target"
tar -C "$target" -xf "$pristine"
before=$(chroot "$target" dpkg-query -f '${Package}\n' -W | sort)

mount -t proc proc "$target/proc"
mount --bind /sys "$target/sys"
mount --bind /dev "$target/dev"
mount --bind /dev/pts "$target/dev/pts"
cp /etc/resolv.conf "$target/etc/resolv.conf"
cp "$deb" "$target/tmp/"
cp packaging/linux/smoke.sh "$target/tmp/smoke.sh"
in_root() { chroot "$target" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }

echo "test-deb: apt-get install ./$(basename "$deb") (Depends only, no Recommends)"
in_root apt-get update -qq
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  "/tmp/$(basename "$deb")" >"$out/apt-install.log" 2>&1 || { tail -30 "$out/apt-install.log"; exit 1; }
after=$(chroot "$target" dpkg-query -f '${Package}\n' -W | sort)
added=$(comm -13 <(echo "$before") <(echo "$after") | tr '\n' ' ')
echo "test-deb: packages added to the pristine root: $added"
echo "test-deb: installed size $(du -sh "$target/opt/readerapp" | cut -f1) in /opt/readerapp;" \
  "menu entry $(test -f "$target/usr/share/applications/io.github.readerapp.ReaderApp.desktop" && echo present);" \
  "icons $(find "$target/usr/share/icons/hicolor" -name 'io.github.readerapp.ReaderApp.*' | wc -l)"
pdf=/opt/readerapp/_internal/readerapp/resources/getting-started.pdf

echo "test-deb: smoke, offscreen"
in_root bash /tmp/smoke.sh /usr/bin/readerapp /tmp/offscreen.png "$pdf" 2>"$out/offscreen.err"
cp "$target/tmp/offscreen.png" "$out/offscreen.png"

echo "test-deb: smoke, xcb platform on Xvfb"
display=:$((90 + RANDOM % 9))
Xvfb "$display" -screen 0 1400x900x24 -nolisten tcp >"$out/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 100); do [ -S "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
mkdir -p "$target/tmp/.X11-unix"
mount --bind /tmp/.X11-unix "$target/tmp/.X11-unix"
in_root env DISPLAY="$display" QT_QPA_PLATFORM=xcb bash /tmp/smoke.sh /usr/bin/readerapp /tmp/xcb.png "$pdf" \
  2>"$out/xcb.err"
cp "$target/tmp/xcb.png" "$out/xcb-grab.png"

echo "test-deb: launch from /usr/bin/readerapp on Xvfb and capture the X screen"
# chroot execs env, which execs the app: $! is the app itself, so it can be ended by its id.
chroot "$target" /usr/bin/env -i HOME=/root PATH=/usr/bin:/bin LANG=C.UTF-8 DISPLAY="$display" \
  QT_QPA_PLATFORM=xcb /usr/bin/readerapp >"$out/xcb-run.log" 2>&1 &
app_pid=$!
mapped=no
for _ in $(seq 150); do
  if DISPLAY=$display xwininfo -root -tree 2>/dev/null | grep -q '"readerapp'; then mapped=yes; break; fi
  sleep 0.2
done
sleep 1  # let the first paint land before the capture
DISPLAY=$display import -window root "$out/xvfb-screen.png"
echo "test-deb: window mapped on the X server: $mapped; screen saved to $out/xvfb-screen.png"
kill "$app_pid"
wait "$app_pid" 2>/dev/null || true
app_pid=""
[ "$mapped" = yes ] || { cat "$out/xcb-run.log"; exit 1; }
echo "test-deb: all passed"
