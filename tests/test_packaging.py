"""The installer's inputs stay consistent with the app: Qt modules the app imports are not trimmed
away, the icon exists at every size, the freedesktop files name the app id, the version has one
source, and the notices cover every runtime dependency. (CI freezes and smoke-tests the bundle
itself: packaging/build-linux.sh --app-only.)"""

from __future__ import annotations

import ast
import configparser
import re
import struct
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import readerapp
from readerapp.legal import NOTICES, legal_text

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
ICONS = ROOT / "readerapp" / "resources" / "icons"
SPEC = (PACKAGING / "readerapp.spec").read_text(encoding="utf-8")
DESKTOP = PACKAGING / "linux" / f"{readerapp.APP_ID}.desktop"
METAINFO = PACKAGING / "linux" / f"{readerapp.APP_ID}.metainfo.xml"


def _spec_literal(name: str) -> str:
    """The source text of one top-level assignment in the spec."""
    match = re.search(rf"^{name} = (.*?)^\S", SPEC, re.S | re.M)
    assert match, f"{name} not found in readerapp.spec"
    return match.group(1)


def _qt_modules_imported_by_the_app() -> set[str]:
    found = set()
    for path in (ROOT / "readerapp").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            found |= {n.split(".")[1] for n in names if n.startswith("PySide6.")}
    return found


def test_the_bundle_keeps_every_qt_module_the_app_imports() -> None:
    modules = _qt_modules_imported_by_the_app()
    assert {"QtCore", "QtGui", "QtWidgets"} <= modules
    excluded = set(re.findall(r"\bQt\w+", _spec_literal("QT_EXCLUDES")))
    kept_libs = set(re.findall(r'"(\w+)"', _spec_literal("QT_LIBS_KEPT")))
    assert modules & excluded == set(), "an imported Qt module is excluded from the bundle"
    assert {m.removeprefix("Qt") for m in modules} <= kept_libs


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", header[16:24])


@pytest.mark.parametrize("size", [16, 24, 32, 48, 64, 128, 256, 512])
def test_icon_exists_at_every_size(size: int) -> None:
    assert _png_size(ICONS / f"readerapp-{size}.png") == (size, size)


def test_windows_and_macos_icons_hold_png_images() -> None:
    ico = (ICONS / "readerapp.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind) == (0, 1) and count >= 5
    _w, _h, _c, _r, _planes, _bpp, length, offset = struct.unpack("<BBBBHHII", ico[6:22])
    assert ico[offset : offset + 8] == b"\x89PNG\r\n\x1a\n" and length > 0
    icns = (ICONS / "readerapp.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)


def test_desktop_entry_names_the_app_and_pdf() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(DESKTOP, encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Icon"] == readerapp.APP_ID
    assert desktop["Exec"].split()[0] == "readerapp"
    assert "application/pdf" in desktop["MimeType"].split(";")


def test_metainfo_matches_the_desktop_entry_and_has_a_screenshot() -> None:
    component = ET.parse(METAINFO).getroot()
    assert component.findtext("id") == readerapp.APP_ID
    assert component.findtext("launchable") == DESKTOP.name
    assert component.findtext("project_license") == "AGPL-3.0-or-later"
    image = component.find("screenshots/screenshot/image").text
    # The screenshot URL points at a file of this repository: it must exist.
    relative = image.split("/main/", 1)[1]
    assert _png_size(ROOT / relative)[0] >= 620
    released = [r.get("version") for r in component.iter("release")]
    assert readerapp.__version__ in released


def test_version_has_one_source() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert readerapp.__version__ == project["version"]


def test_notices_cover_every_runtime_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    notices = legal_text(NOTICES).lower()
    for requirement in project["dependencies"]:
        name = re.split(r"[<>=!~\[ ;]", requirement, maxsplit=1)[0].lower()
        assert f"| {name} " in notices, f"{name} is missing from THIRD_PARTY_NOTICES.md"
