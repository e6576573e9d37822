"""Shared fixtures: every test gets its own library folder; Qt runs offscreen; test data comes
from tests/fixtures/ only (nothing outside the repository)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any Qt import

from collections.abc import Iterator
from pathlib import Path

import pytest

from readerapp.app import Services, open_services

FIXTURE_DIR = Path(__file__).resolve().parent / "fixtures"


def fixture_path(*parts: str) -> Path:
    """A file under tests/fixtures/, e.g. ``fixture_path("feeds", "arxiv-rss.xml")``."""
    path = FIXTURE_DIR.joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"no test fixture {path.relative_to(FIXTURE_DIR)} in {FIXTURE_DIR}")
    return path


# A reading list in the shape of a user's Markdown diary, with every construct one has.
READING_LIST = fixture_path("reading-list.md")


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """No test reads or writes the real user folders, whatever it forgets to pass."""
    base = tmp_path_factory.mktemp("userdirs")
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(var, str(base / var.lower()))
    monkeypatch.setenv("READERAPP_HOME", str(base / "library"))
    monkeypatch.setenv("READERAPP_ARXIV_MIN_INTERVAL", "0")
    for var in ("READERAPP_ARXIV_API", "READERAPP_ARXIV_PDF", "READERAPP_ARXIV_RSS"):
        # Unroutable by default: a test that forgets to point these at its server fails fast.
        monkeypatch.setenv(var, "http://127.0.0.1:9/")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "library"


@pytest.fixture
def services(home: Path) -> Iterator[Services]:
    """A library seeded with the starter reading list, in a temp dir."""
    s = open_services(str(home))
    yield s
    s.close()


@pytest.fixture
def empty_services(home: Path) -> Iterator[Services]:
    """An empty library (no starter list), in a temp dir."""
    s = open_services(str(home), seed=False)
    yield s
    s.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs a QApplication as ``gui`` so ``-m 'not gui'`` skips Qt."""
    for item in items:
        if {"qtbot", "qapp"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)
