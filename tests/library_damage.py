"""Damaging a real library file the way a bad disk sector does, for the tests of what follows."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def damage(path: Path, table: str = "items") -> None:
    """Overwrite the first page of ``table``'s b-tree with garbage (a damaged disk sector)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root, page_size = conn.execute(
        "SELECT rootpage, (SELECT page_size FROM pragma_page_size) FROM sqlite_master "
        "WHERE name = ?",
        (table,),
    ).fetchone()
    conn.close()
    with path.open("r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(b"\xff" * 64)
