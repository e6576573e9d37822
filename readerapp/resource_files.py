"""Where readerapp's shipped data files are, wherever it runs from."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def resource_path(name: str) -> Path:
    """A shipped resource file (works from a checkout, a wheel and a frozen bundle)."""
    return Path(str(resources.files("readerapp.resources").joinpath(name)))
