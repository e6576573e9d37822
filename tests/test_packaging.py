"""The installer's inputs stay consistent with the app: Qt modules the app imports are not trimmed
away, the icon exists at every size, the freedesktop files name the app id, the version has one
source, and the notices cover every runtime dependency. (CI freezes and smoke-tests the bundle
itself: packaging/build-linux.sh --app-only.)"""

from __future__ import annotations

import ast
import configparser
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

import readerapp
from readerapp.legal import NOTICES, legal_text

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
ICONS = ROOT / "resources" / "icons"
SPEC = (PACKAGING / "readerapp.spec").read_text(encoding="utf-8")
DESKTOP = ROOT / "resources" / "desktop" / f"{readerapp.APP_ID}.desktop"
METAINFO = ROOT / "resources" / "desktop" / f"{readerapp.APP_ID}.metainfo.xml"


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


def test_every_package_folder_is_listed_for_the_wheel() -> None:
    """pyproject lists its packages (resources/ installs as readerapp.resources): a new
    subpackage that is not listed would be missing from every wheel and installer."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    listed = set(config["setuptools"]["packages"])
    folders = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "readerapp").rglob("__init__.py")
    }
    assert folders <= listed
    assert config["setuptools"]["package-dir"] == {"readerapp.resources": "resources"}


@pytest.mark.slow
def test_a_wheel_built_from_the_checkout_finds_its_resources(tmp_path: Path) -> None:
    """pip install . gives an app that finds its starter library, sample PDF, icons and desktop
    files (they live in the top-level resources/ folder, outside the readerapp/ package)."""
    source = tmp_path / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("readerapp", "resources"):
        shutil.copytree(ROOT / name, source / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md", "LICENSE", "THIRD_PARTY_NOTICES.md"):
        shutil.copy2(ROOT / name, source / name)
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-w",
            str(wheels),
            str(source),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stderr
    assert "warning" not in build.stderr.lower().replace("byte-compiling is disabled", "")
    (wheel,) = wheels.glob("readerapp-*.whl")
    installed = tmp_path / "installed"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(installed)
    assert not any("/src/" in name for name in names), "the sample PDF's source is not shipped"
    # A fresh interpreter that sees the unpacked wheel before anything else, run from elsewhere.
    probe = (
        "import json, readerapp\n"
        "from readerapp.cli import main\n"
        "from readerapp.resource_files import resource_path\n"
        "print(json.dumps({'package': readerapp.__file__, 'files': [str(resource_path(n)) for n in "
        "('starter.json', 'getting-started.pdf', 'icons/readerapp.svg', 'icons/readerapp-256.png', "
        f"'desktop/{readerapp.APP_ID}.desktop', 'desktop/{readerapp.APP_ID}.metainfo.xml')]}}))\n"
        "raise SystemExit(main(['--home', 'lib', 'list', '--json']))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(installed)}
    env.pop("READERAPP_HOME", None)
    run = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    found, listing = run.stdout.split("\n", 1)
    found = json.loads(found)
    assert Path(found["package"]).is_relative_to(installed)
    for path in map(Path, found["files"]):
        assert path.is_relative_to(installed) and path.is_file(), path
    titles = [item["title"] for item in json.loads(listing)]
    assert "Getting started with readerapp" in titles
    assert (tmp_path / "lib" / "files").is_dir()


def _fake_app_with_library(folder: Path, needed: bytes | None) -> Path:
    """An app folder holding a real shared library; with ``needed``, one whose libc.so.6 entry is
    renamed so that it needs a library no system has."""
    import _ctypes  # any real extension module will do: every one links libc.so.6

    elf = Path(_ctypes.__file__).read_bytes()
    if needed is not None:
        assert len(needed) == len(b"libc.so.6") and b"libc.so.6\0" in elf
        elf = elf.replace(b"libc.so.6\0", needed + b"\0")
    library = folder / "_internal" / "libsample.so"
    library.parent.mkdir(parents=True)
    library.write_bytes(elf)
    return folder


def test_the_installer_check_passes_where_every_library_is_there(tmp_path: Path) -> None:
    app = _fake_app_with_library(tmp_path / "app", needed=None)
    check = subprocess.run(
        [
            "bash",
            str(PACKAGING / "linux" / "check-system.sh"),
            str(app),
            str(ROOT / "resources" / "system-libraries.tsv"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (check.returncode, check.stdout, check.stderr) == (0, "", "")


def test_the_installer_names_the_package_of_a_missing_library_and_installs_nothing(
    tmp_path: Path,
) -> None:
    payload = tmp_path / "payload"
    _fake_app_with_library(payload / "readerapp", needed=b"libq.so.6")
    for script in ("install-user.sh", "check-system.sh", "install-icons.sh"):
        shutil.copy2(PACKAGING / "linux" / script, payload / script)
    table = payload / "readerapp" / "_internal" / "readerapp" / "resources" / "system-libraries.tsv"
    table.parent.mkdir(parents=True)
    table.write_text("# soname\tpackage\nlibq.so.6\tlibq6\n", encoding="utf-8")
    prefix = tmp_path / "prefix"
    run = subprocess.run(
        ["bash", str(payload / "install-user.sh"), "--prefix", str(prefix)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert "Missing libraries: libq.so.6" in run.stderr
    assert "sudo apt-get install libq6" in run.stderr
    assert "Nothing was installed" in run.stderr
    assert not prefix.exists()


def test_the_library_table_names_what_debian_packages_provide() -> None:
    """Each soname in resources/system-libraries.tsv is in the package the table names (checked
    against this machine's dpkg database where the package is installed)."""
    dpkg = shutil.which("dpkg")
    assert dpkg, "the test suite runs on Debian or Ubuntu (scripts/setup.sh installs with apt-get)"
    table = [
        line.split("\t")
        for line in (ROOT / "resources" / "system-libraries.tsv").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert {"libGL.so.1", "libEGL.so.1", "libxcb.so.1"} <= {soname for soname, _ in table}
    checked = 0
    for soname, package in table:
        listed = subprocess.run([dpkg, "-L", package], capture_output=True, text=True, check=False)
        if listed.returncode != 0:
            continue  # not installed here
        assert any(line.endswith(f"/{soname}") for line in listed.stdout.splitlines()), soname
        checked += 1
    assert checked >= 10


def test_a_missing_system_library_is_a_sentence_naming_its_package() -> None:
    from readerapp.system_libraries import missing_library_sentence

    error = ImportError("libGL.so.1: cannot open shared object file: No such file or directory")
    sentence = missing_library_sentence(error)
    assert sentence is not None
    assert "libGL.so.1" in sentence and "sudo apt-get install libgl1" in sentence
    assert missing_library_sentence(ImportError("No module named 'PySide6'")) is None


def test_the_uninstaller_kept_in_a_prefix_removes_that_install(tmp_path: Path) -> None:
    payload = tmp_path / "payload"
    app = _fake_app_with_library(payload / "readerapp", needed=None)
    launcher = app / "readerapp"
    launcher.write_text("#!/bin/sh\necho 'readerapp 0.1.0'\n")
    launcher.chmod(0o755)
    for script in ("install-user.sh", "check-system.sh", "install-icons.sh"):
        shutil.copy2(PACKAGING / "linux" / script, payload / script)
    for name in (f"{readerapp.APP_ID}.desktop", f"{readerapp.APP_ID}.metainfo.xml"):
        shutil.copy2(DESKTOP.parent / name, payload / name)
    (payload / "icons").mkdir()
    for icon in ("readerapp-48.png", "readerapp.svg"):
        shutil.copy2(ICONS / icon, payload / "icons" / icon)
    prefix, home = tmp_path / "prefix", tmp_path / "home"
    env = {**os.environ, "HOME": str(home)}
    install = subprocess.run(
        ["bash", str(payload / "install-user.sh"), "--prefix", str(prefix)],
        capture_output=True, text=True, check=False, env=env,
    )
    assert install.returncode == 0, install.stderr
    uninstaller = prefix / "lib" / "readerapp" / "uninstall.sh"
    assert f"Remove it with: {uninstaller} --uninstall" in install.stdout
    assert (prefix / "bin" / "readerapp").is_symlink()
    removed = subprocess.run(
        [str(uninstaller), "--uninstall"], capture_output=True, text=True, check=False, env=env
    )
    assert removed.returncode == 0 and removed.stderr == ""
    assert f"removed from {prefix}" in removed.stdout
    assert not (prefix / "lib" / "readerapp").exists()
    assert not (prefix / "bin" / "readerapp").exists()
    assert not (prefix / "share" / "applications" / f"{readerapp.APP_ID}.desktop").exists()
