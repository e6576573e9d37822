#!/usr/bin/env bash
# The "plain clone on a fresh machine" check: a pristine Debian 12 root (debootstrap minbase with
# only python3, git and ca-certificates), a git clone of this repository's HEAD inside it with
# nothing beside it, then, as a new user would:
#   1. bash scripts/test.sh            (installs what it needs, lints, runs the whole suite)
#   2. bash scripts/run.sh --version   twice more, the last time with no network at all: set-up
#                                      must not run again and only the version may be printed.
# Usage (as root): bash scripts/test-clean-clone.sh
# Several minutes; not part of CI. The pristine root is cached as a tarball in $CACHE and unpacked
# afresh for every run. The Debian mirror is the one this machine's apt uses, or $DEBIAN_MIRROR.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
[ "$(id -u)" = 0 ] || { echo "test-clean-clone: run as root (debootstrap and chroot need it)" >&2; exit 2; }

CACHE=${CACHE:-/var/tmp/readerapp-clean-clone}
target=$CACHE/root
pristine=$CACHE/bookworm-minbase-python3-git.tar
mkdir -p "$CACHE"
command -v debootstrap >/dev/null || {
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
}
mirror=${DEBIAN_MIRROR:-$(
  { grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources || true
    grep -hs '^deb ' /etc/apt/sources.list || true; } | awk '{print $2}' | grep -v security | head -1
)}

cleanup() {
  set +e
  for m in dev/pts dev sys proc; do
    mountpoint -q "$target/$m" && umount -l "$target/$m"
  done
}
trap cleanup EXIT

if [ ! -f "$pristine" ]; then
  echo "test-clean-clone: debootstrap --variant=minbase bookworm from $mirror (once; cached)"
  rm -rf "$target"
  debootstrap --variant=minbase --include=python3,git,ca-certificates bookworm "$target" "$mirror" \
    >"$CACHE/debootstrap.log" 2>&1 || { tail -20 "$CACHE/debootstrap.log"; exit 1; }
  tar -C "$target" -cf "$pristine" .
fi
rm -rf "$target"
mkdir -p "$target"
tar -C "$target" -xf "$pristine"
mount -t proc proc "$target/proc"
mount --rbind /sys "$target/sys"
mount --rbind /dev "$target/dev"
cp /etc/resolv.conf "$target/etc/resolv.conf"
# This machine's TLS trust, in case a proxy that it trusts sits between it and PyPI.
cp /etc/ssl/certs/ca-certificates.crt "$target/etc/ssl/certs/ca-certificates.crt"

# The clone: HEAD only, into a folder with nothing beside it.
git clone -q --no-local "$repo" "$target/home/clone/readerapp"
echo "test-clean-clone: $(git -C "$target/home/clone/readerapp" log --oneline -1)"
ls "$target/home/clone"

in_root() { chroot "$target" env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }

echo "test-clean-clone: 1. bash scripts/test.sh"
in_root bash -c 'cd /home/clone/readerapp && bash scripts/test.sh -p no:cacheprovider'

echo "test-clean-clone: 2. bash scripts/run.sh --version (online, then offline)"
in_root bash -c 'cd /home/clone/readerapp && bash scripts/run.sh --version'
out=$(unshare --net chroot "$target" env -i HOME=/root PATH=/usr/bin:/bin LANG=C.UTF-8 \
  bash -c 'cd /home/clone/readerapp && bash scripts/run.sh --version' 2>&1)
printf '%s\n' "$out"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
[ "$out" = "readerapp $version" ] || { echo "test-clean-clone: expected only 'readerapp $version'" >&2; exit 1; }
echo "test-clean-clone: passed"
