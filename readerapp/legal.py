"""readerapp's licence and third-party notices, wherever the app runs from.

A source checkout and a frozen bundle keep LICENSE and THIRD_PARTY_NOTICES.md beside the
``readerapp`` package folder; an installed wheel keeps them in its metadata (``licenses/``).
"""

from __future__ import annotations

from pathlib import Path

LICENSE = "LICENSE"
NOTICES = "THIRD_PARTY_NOTICES.md"
LICENSE_SUMMARY = (
    "readerapp is free software: you can redistribute it and/or modify it under the terms of the "
    "GNU Affero General Public License as published by the Free Software Foundation, either "
    "version 3 of the License, or (at your option) any later version. It is distributed in the "
    "hope that it will be useful, but WITHOUT ANY WARRANTY; without even the implied warranty of "
    "MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE."
)


def legal_text(name: str) -> str | None:
    """The text of LICENSE or THIRD_PARTY_NOTICES.md, or None if this installation lacks it."""
    beside_package = Path(__file__).resolve().parents[1] / name
    try:
        return beside_package.read_text(encoding="utf-8")
    except OSError:
        pass
    # Here, not at import: importlib.metadata costs ~15 ms that a launch need not pay.
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        return distribution("readerapp").read_text(f"licenses/{name}")
    except (PackageNotFoundError, OSError):
        return None
