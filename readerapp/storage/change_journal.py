"""What a piece of work changed in the library, row by row, so that it can be taken back exactly.

While :func:`recording` is active on a connection, temporary triggers on every user table note
each row the first time the work touches it: which row, and what it held before (or that it did
not exist). Putting those rows back as they were undoes the work, whatever it was (an import
creating topics and items, filing, filling fields, adding notes, restoring from the trash, merging
a backup's annotations and feeds); recording while putting back gives what redoes it.

Only this connection's changes are recorded (TEMP triggers belong to one connection), so a note
saved meanwhile by the window's own connection is never mistaken for part of the work. Rows are
kept with their own types (a TEMP copy of each table's columns), and every statement is the same
for every row of a table, so SQLite prepares it once: undoing 10,000 rows takes about a second.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from readerapp.storage.backup import user_tables
from readerapp.storage.db import Database, unavailable_error

log = logging.getLogger(__name__)

# Counters that only ever count up, so that other windows and editors notice every change (see
# migration m006): putting them back would make a later change look like no change. Undoing
# writes rows like any write does, and that moves these counters on.
_BOOKKEEPING_TABLES = frozenset({"change_counts"})
_BOOKKEEPING_COLUMNS = frozenset({"revision"})

_ORDER = "readerapp_journal_order"  # (seq, table number, key): the order rows were first touched
_PREFIX = "readerapp_journal_"


@dataclass(frozen=True, slots=True)
class TableShape:
    """A table as the journal sees it: the columns it saves, the columns naming a row, and the
    statements that read and write one row (built once: a row's undo runs thousands of them)."""

    name: str
    columns: tuple[str, ...]  # "rowid" first for a rowid table without an INTEGER PRIMARY KEY
    key: tuple[str, ...]  # the INTEGER PRIMARY KEY, "rowid", or the primary key's columns
    compared: tuple[int, ...] = ()  # the columns an undo puts back (not the bookkeeping ones)
    select_sql: str = ""
    delete_sql: str = ""
    update_sql: str = ""
    insert_sql: str = ""

    @classmethod
    def of(cls, name: str, columns: tuple[str, ...], key: tuple[str, ...]) -> TableShape:
        listed = ", ".join(_quoted(c) for c in columns)
        where = " AND ".join(f"{_quoted(c)} = ?" for c in key)
        compared = tuple(i for i, c in enumerate(columns) if c not in _BOOKKEEPING_COLUMNS)
        sets = ", ".join(f"{_quoted(columns[i])} = ?" for i in compared)
        marks = ", ".join("?" * len(columns))
        table = f'main."{name}"'
        return cls(
            name,
            columns,
            key,
            compared=compared,
            select_sql=f"SELECT {listed} FROM {table} WHERE {where}",
            delete_sql=f"DELETE FROM {table} WHERE {where}",
            update_sql=f"UPDATE {table} SET {sets} WHERE {where}",
            insert_sql=f"INSERT INTO {table} ({listed}) VALUES ({marks})",
        )


@dataclass(frozen=True, slots=True)
class RowBefore:
    """One row as it was before the work: ``values`` is None when the row did not exist."""

    shape: TableShape
    key: tuple[Any, ...]
    values: tuple[Any, ...] | None
    after: tuple[Any, ...] | None  # the row right after the work, to notice later edits


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """Every row a piece of work touched, in the order it first touched them."""

    rows: tuple[RowBefore, ...] = ()

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(slots=True)
class ChangeRecorder:
    """Holds the :class:`ChangeSet` of the work done inside :func:`recording`, once it is done."""

    changes: ChangeSet = field(default_factory=ChangeSet)


@contextmanager
def recording(db: Database) -> Iterator[ChangeRecorder]:
    """Record every row the work inside the block changes through ``db``'s connection.

    The connection's write lock is held throughout: a worker thread sharing the connection (a
    feed refresh) waits instead of having its writes recorded as part of the work.
    """
    conn = db.conn
    recorder = ChangeRecorder()
    with db.transaction_lock():
        shapes = _shapes(conn)
        try:
            _install(conn, shapes)
        except sqlite3.Error as exc:
            _remove(conn, shapes)
            raise unavailable_error(db.path, exc) from exc
        try:
            yield recorder
            recorder.changes = _collect(conn, shapes)
        finally:
            _remove(conn, shapes)


def edited_since(db: Database, changes: ChangeSet) -> int:
    """How many of the rows the work changed were changed again after it."""
    conn = db.conn
    return sum(1 for row in changes.rows if not _same(row, _image(conn, row), row.after))


def put_back(db: Database, changes: ChangeSet) -> ChangeSet:
    """Restore every row of ``changes`` as it was before, in one transaction; returns what redoes
    it (the same kind of record, taken while putting back)."""
    conn = db.conn
    with recording(db) as redo, db.transaction():
        conn.execute("PRAGMA defer_foreign_keys = ON")  # parents come back after their children
        for row in reversed(changes.rows):
            _restore_row(conn, row)
        # Triggers of the schema (feed unread counts) may have changed a row already put back.
        for _ in range(3):
            differ = [row for row in changes.rows if not _same(row, _image(conn, row), row.values)]
            if not differ:
                break
            for row in differ:
                _restore_row(conn, row)
    return redo.changes


# ---- the triggers -------------------------------------------------------------------------------


def _quoted(column: str) -> str:
    return "rowid" if column == "rowid" else f'"{column}"'


def _shapes(conn: sqlite3.Connection) -> list[TableShape]:
    shapes = []
    for table in user_tables(conn):
        if table.name in _BOOKKEEPING_TABLES:
            continue
        without_rowid = conn.execute(
            "SELECT sql LIKE '%WITHOUT ROWID%' FROM sqlite_master WHERE name = ?", (table.name,)
        ).fetchone()[0]
        columns = tuple(table.columns)
        if without_rowid:
            shapes.append(TableShape.of(table.name, columns, tuple(table.pk)))
        elif table.rowid_pk:
            shapes.append(TableShape.of(table.name, columns, (table.rowid_pk,)))
        else:
            shapes.append(TableShape.of(table.name, ("rowid", *columns), ("rowid",)))
    return shapes


def _ref(ref: str, column: str) -> str:
    return f"{ref}.rowid" if column == "rowid" else f'{ref}."{column}"'


def _install(conn: sqlite3.Connection, shapes: list[TableShape]) -> None:
    conn.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {_ORDER} ("
        "seq INTEGER PRIMARY KEY, tbl INTEGER NOT NULL, k TEXT NOT NULL, UNIQUE(tbl, k))"
    )
    # INSERT OR REPLACE deletes the row it replaces without firing DELETE triggers unless asked.
    conn.execute("PRAGMA recursive_triggers = ON")
    for i, t in enumerate(shapes):
        saved = ", ".join(f"c{n}" for n in range(len(t.columns)))
        conn.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {_PREFIX}{i} "
            f"(k TEXT PRIMARY KEY, existed INTEGER NOT NULL, {saved})"
        )
        for event, ref, when in (
            ("INSERT", "NEW", "AFTER"),
            ("UPDATE", "OLD", "BEFORE"),
            ("DELETE", "OLD", "BEFORE"),
        ):
            key = f"json_array({', '.join(_ref(ref, c) for c in t.key)})"
            values = ", ".join("NULL" if event == "INSERT" else _ref(ref, c) for c in t.columns)
            existed = 0 if event == "INSERT" else 1
            # A trigger may not name a schema: the unqualified names find the TEMP tables first.
            conn.execute(
                f"CREATE TEMP TRIGGER {_PREFIX}{event.lower()}_{i} {when} {event} "
                f'ON main."{t.name}" BEGIN '
                f"INSERT OR IGNORE INTO {_ORDER}(tbl, k) VALUES ({i}, {key}); "
                f"INSERT OR IGNORE INTO {_PREFIX}{i}(k, existed, {saved}) "
                f"VALUES ({key}, {existed}, {values}); END"
            )


def _remove(conn: sqlite3.Connection, shapes: list[TableShape]) -> None:
    try:
        for i in range(len(shapes)):
            for event in ("insert", "update", "delete"):
                conn.execute(f"DROP TRIGGER IF EXISTS temp.{_PREFIX}{event}_{i}")
            conn.execute(f"DROP TABLE IF EXISTS temp.{_PREFIX}{i}")
        conn.execute(f"DROP TABLE IF EXISTS temp.{_ORDER}")
        conn.execute("PRAGMA recursive_triggers = OFF")
    except sqlite3.Error as exc:  # temporary objects only: they go with the connection anyway
        log.warning("Could not remove the change journal's temporary triggers: %s", exc)


def _collect(conn: sqlite3.Connection, shapes: list[TableShape]) -> ChangeSet:
    saved: list[dict[str, tuple[int, tuple[Any, ...]]]] = []
    for i in range(len(shapes)):
        rows = conn.execute(f"SELECT * FROM temp.{_PREFIX}{i}").fetchall()
        saved.append({r[0]: (r[1], tuple(r[2:])) for r in rows})
    out = []
    for table_number, key_json in conn.execute(f"SELECT tbl, k FROM temp.{_ORDER} ORDER BY seq"):
        shape = shapes[table_number]
        existed, values = saved[table_number][key_json]
        row = RowBefore(shape, tuple(json.loads(key_json)), values if existed else None, None)
        out.append(RowBefore(shape, row.key, row.values, _image(conn, row)))
    return ChangeSet(tuple(out))


# ---- putting rows back --------------------------------------------------------------------------


def _image(conn: sqlite3.Connection, row: RowBefore) -> tuple[Any, ...] | None:
    """The row's values now, as ``RowBefore.values`` holds them; None when it is not there."""
    found = conn.execute(row.shape.select_sql, row.key).fetchone()
    return tuple(found) if found is not None else None


def _same(row: RowBefore, a: tuple[Any, ...] | None, b: tuple[Any, ...] | None) -> bool:
    """Whether two images of ``row`` hold the same data (bookkeeping counters aside)."""
    if a is None or b is None:
        return a is b
    return all(a[i] == b[i] for i in row.shape.compared)


def _restore_row(conn: sqlite3.Connection, row: RowBefore) -> None:
    shape = row.shape
    if row.values is None:
        conn.execute(shape.delete_sql, row.key)
    elif _image(conn, row) is not None:
        values = [row.values[i] for i in shape.compared]
        conn.execute(shape.update_sql, (*values, *row.key))
    else:
        conn.execute(shape.insert_sql, row.values)
