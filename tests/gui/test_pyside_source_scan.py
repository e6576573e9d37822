"""PySide6's import hook asks of every new module whether its source mentions PySide6; our
faster scan must give PySide's own answers (they decide which modules may switch features)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

import readerapp.qt  # noqa: F401  (installs the scan)
from readerapp.qt import pyside_source_scan


@pytest.fixture
def scan():
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not hasattr(feature, "_mod_uses_pyside"):
        pytest.skip("this PySide6 has no per-import source scan")
    return feature._mod_uses_pyside


def test_readerapp_installs_the_bytes_scan(scan) -> None:
    assert getattr(scan, "pyside_scan", None) is not None
    assert pyside_source_scan.install()  # a second install keeps the one in place
    assert sys.modules["shibokensupport.feature"]._mod_uses_pyside is scan


def test_answers_match_pysides_own_scan(scan, tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "uses_qt_mod.py").write_text("from PySide6.QtCore import QObject\n")
    (tmp_path / "plain_mod.py").write_text("import json\n")
    (tmp_path / "say_mod.py").write_text('NOTE = "made with PySide6"  # the text alone counts\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    modules = [importlib.import_module(n) for n in ("uses_qt_mod", "plain_mod", "say_mod")]
    modules += [sys, importlib.import_module("json"), importlib.import_module("_sqlite3")]
    modules += [importlib.import_module("readerapp.gui.pdf_view"), pyside_source_scan]
    answers = {m.__name__: scan(m) for m in modules}
    assert answers == {m.__name__: scan.pyside_scan(m) for m in modules}
    assert answers["uses_qt_mod"] and answers["say_mod"] and answers["readerapp.gui.pdf_view"]
    assert not answers["plain_mod"] and not answers["sys"] and not answers["json"]
