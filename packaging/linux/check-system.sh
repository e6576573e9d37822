#!/usr/bin/env bash
# Does this system have what the frozen readerapp needs but does not carry (libGL, libEGL, libxcb,
# a fontconfig set-up with at least one font)? Asks the dynamic loader about every library in the
# bundle, so the answer follows the bundle rather than a list kept by hand.
# Usage: check-system.sh APP_DIR [LIBRARY_TABLE]
#   APP_DIR        the frozen app folder (the one holding the readerapp executable)
#   LIBRARY_TABLE  soname<TAB>Debian package (default: the bundle's resources/system-libraries.tsv)
# Prints nothing and exits 0 when all is there; otherwise says what is missing, the apt-get command
# that installs it, and exits 1.
set -euo pipefail
if [ $# -lt 1 ] || [ ! -d "$1" ]; then
  echo "usage: check-system.sh APP_DIR [LIBRARY_TABLE]" >&2
  exit 2
fi
app=$(cd "$1" && pwd)
table=${2:-$app/_internal/readerapp/resources/system-libraries.tsv}
[ -f "$table" ] || table=/dev/null  # without the table the libraries are still named

# The bundle's own library folders, as its RPATHs see them.
libpath=$(find "$app" -type d \( -name _internal -o -path '*/Qt/lib' \) | paste -sd: -)
missing=$(
  # ldd fails on a file that is not a dynamic executable (a script): its answer still counts.
  # The CUPS print plugin is optional: without the system's CUPS, printing goes to a PDF file.
  { find "$app" -type f \( -name '*.so' -o -name '*.so.*' -o -name readerapp \) \
      -not -path '*/plugins/printsupport/*' -print0 |
      xargs -0 -r env LD_LIBRARY_PATH="$libpath" ldd 2>/dev/null || true; } |
    awk '/=> not found/ {print $1}' | sort -u
)
fonts_missing=""
if [ ! -e /etc/fonts/fonts.conf ]; then
  fonts_missing="the fontconfig configuration (/etc/fonts/fonts.conf)"
elif ! find /usr/share/fonts /usr/local/share/fonts "${XDG_DATA_HOME:-$HOME/.local/share}/fonts" \
    "$HOME/.fonts" -type f \( -name '*.ttf' -o -name '*.otf' -o -name '*.pfb' -o -name '*.ttc' \) \
    -print -quit 2>/dev/null | grep -q .; then
  fonts_missing="a font (none is installed)"
fi
[ -z "$missing" ] && [ -z "$fonts_missing" ] && exit 0

packages=""
unknown=""
for soname in $missing; do
  package=$(awk -F'\t' -v so="$soname" '$1 == so {print $2}' "$table")
  if [ -n "$package" ]; then
    packages="$packages $package"
  else
    unknown="$unknown $soname"
  fi
done
[ -z "$fonts_missing" ] || packages="$packages libfontconfig1 fonts-dejavu-core"
packages=$(printf '%s\n' $packages | sort -u | paste -sd' ' -)

{
  echo "readerapp cannot run on this system yet: it needs system libraries that are not installed."
  [ -z "$missing" ] || echo "  Missing libraries: $(echo $missing)"
  [ -z "$fonts_missing" ] || echo "  Missing: $fonts_missing"
  if [ -n "$packages" ]; then
    echo "On Debian or Ubuntu, install them with:"
    echo "  sudo apt-get install $packages"
  fi
  [ -z "$unknown" ] || echo "Install the packages of your system that provide:$unknown"
  [ -z "$packages" ] || echo "(on other systems, install the packages that provide the libraries named above)"
} >&2
exit 1
