"""What a library holds, table by table, for tests that check something was put back exactly.

Bookkeeping that only ever counts up (the ``change_counts`` table and each row's ``revision``) is
left out: it moves on with every write, an undo's too, so that editors notice the change.
"""

from __future__ import annotations

import json

from readerapp.storage.backup import export_backup
from readerapp.storage.db import Database

BOOKKEEPING_TABLES = {"change_counts"}
BOOKKEEPING_COLUMNS = {"revision"}


def user_data(db: Database) -> dict:
    """Every user table's rows (bookkeeping aside), as the JSON backup holds them."""
    tables = json.loads(export_backup(db))["tables"]
    out = {}
    for name, table in tables.items():
        if name in BOOKKEEPING_TABLES:
            continue
        keep = [i for i, c in enumerate(table["columns"]) if c not in BOOKKEEPING_COLUMNS]
        out[name] = [[row[i] for i in keep] for row in table["rows"]]
    return out


def revisions(db: Database) -> dict[int, int]:
    """Each item's revision (a count of its changes)."""
    return dict(db.conn.execute("SELECT id, revision FROM items"))
