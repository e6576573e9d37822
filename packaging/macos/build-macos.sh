#!/usr/bin/env bash
# Build readerapp.app and a .dmg on a macOS runner (macOS 11+, Python 3.11+ from python.org or
# Homebrew, Xcode command line tools). From the repository root:
#   bash packaging/macos/build-macos.sh
# Produces dist/readerapp.app (the BUNDLE step of packaging/readerapp.spec) and
# dist/readerapp-<version>-macos-<arch>.dmg with an Applications link for drag-and-drop install.
# Signing and notarization happen when these are set (otherwise the app is signed ad hoc, which
# runs locally but is quarantined by Gatekeeper on other Macs):
#   MACOS_SIGN_IDENTITY   "Developer ID Application: ..." in the keychain
#   MACOS_NOTARY_PROFILE  a profile stored with `xcrun notarytool store-credentials`
set -euo pipefail
cd "$(dirname "$0")/../.."
[ "$(uname -s)" = Darwin ] || { echo "build-macos: run this on macOS" >&2; exit 2; }

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e . "pyinstaller>=6.10,<7"
version=$(.venv/bin/python -c 'from importlib.metadata import version; print(version("readerapp"))')
arch=$(uname -m)

rm -rf dist/readerapp dist/readerapp.app build/pyinstaller
.venv/bin/python -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/readerapp.spec

# Smoke test: open the Getting started PDF offscreen and save a screenshot.
smoke_home=$(mktemp -d)
QT_QPA_PLATFORM=offscreen dist/readerapp.app/Contents/MacOS/readerapp --home "$smoke_home" \
  --screenshot build/smoke-frozen.png \
  --open dist/readerapp.app/Contents/Resources/readerapp/resources/getting-started.pdf
test -s build/smoke-frozen.png

identity=${MACOS_SIGN_IDENTITY:--}
codesign --force --deep --options runtime --timestamp=none --sign "$identity" dist/readerapp.app
codesign --verify --deep --strict dist/readerapp.app

stage=$(mktemp -d)
cp -R dist/readerapp.app "$stage/"
ln -s /Applications "$stage/Applications"
cp LICENSE THIRD_PARTY_NOTICES.md "$stage/"
dmg=dist/readerapp-$version-macos-$arch.dmg
rm -f "$dmg"
hdiutil create -volname "readerapp $version" -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$dmg"
rm -rf "$stage"

if [ "$identity" != - ]; then
  codesign --force --sign "$identity" "$dmg"
  if [ -n "${MACOS_NOTARY_PROFILE:-}" ]; then
    xcrun notarytool submit "$dmg" --keychain-profile "$MACOS_NOTARY_PROFILE" --wait
    xcrun stapler staple "$dmg"
  fi
fi
echo "$dmg"
