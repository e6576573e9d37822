"""The conformance suite: recorded third-party answers and the user's own diary, which live
outside the repository, run through the same parsers and importers as the app uses.

The folder is ``$READERAPP_SHARED`` when set, else ``../shared`` beside the checkout. Without it
the suite stops with one clear sentence: it never skips silently, so a run that was meant to
check real data cannot pass by checking nothing. The plain ``pytest`` run does not collect this
folder (``norecursedirs`` in pyproject.toml); ``pytest tests/conformance`` does.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def shared_dir() -> Path:
    configured = os.environ.get("READERAPP_SHARED")
    return Path(configured).expanduser() if configured else REPO.parent / "shared"


SHARED = shared_dir()
FEEDS = SHARED / "fixtures" / "feeds"
DIARY = SHARED / "seed" / "ai-diary.md"


def pytest_configure(config: pytest.Config) -> None:
    if not SHARED.is_dir():
        how = "READERAPP_SHARED" if os.environ.get("READERAPP_SHARED") else "../shared"
        raise pytest.UsageError(
            f"The conformance suite needs the shared data folder, which is not at {SHARED} "
            f"(from {how}); set READERAPP_SHARED to the folder holding fixtures/feeds/ and "
            "seed/ai-diary.md, or run the plain test suite, which needs nothing outside the "
            "repository."
        )
