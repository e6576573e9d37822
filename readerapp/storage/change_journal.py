"""What a piece of work changed in the library, row by row, so that it can be taken back exactly.

While a :class:`ChangeRecorder` is active on a connection, temporary triggers on every user table
note each row the first time the work touches it: which row, and what it held before (or that it
did not exist). Putting those rows back as they were undoes the work, whatever it was (an import
creating topics and items, filing, filling fields, adding notes, restoring from the trash, merging
a backup's annotations and feeds); recording while putting back gives what redoes it.

Only this connection's changes are recorded (TEMP triggers belong to one connection), so a note
saved meanwhile by the window's own connection is never mistaken for part of the work.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from readerapp.storage.backup import user_tables
from readerapp.storage.db import Database, unavailable_error

_LOG_NAME = "readerapp_change_journal"
_LOG = f"temp.{_LOG_NAME}"


@dataclass(frozen=True, slots=True)
class RowBefore:
    """One row as it was before the work: ``values`` is None when the row did not exist."""

    table: str
    where: str  # an SQL condition naming the row ("rowid=12", "item_id IS 3 AND topic_id IS 4")
    columns: str  # the column list ``values`` fills, as SQL
    values: str | None  # the row's values as SQL literals (quote()), or None: not there before
    after: str | None  # the row's values right after the work, to notice later edits


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """Every row a piece of work touched, in the order it first touched them."""

    rows: tuple[RowBefore, ...] = ()

    def __len__(self) -> int:
        return len(self.rows)

    def items_touched(self) -> int:
        return len({r.where for r in self.rows if r.table == "items"})


@dataclass(slots=True)
class ChangeRecorder:
    """Collects a :class:`ChangeSet` for the work done while it is active (see :func:`recording`)."""

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
        tables = _tables(conn)
        try:
            _install(conn, tables)
        except sqlite3.Error as exc:
            _remove(conn, tables)
            raise unavailable_error(db.path, exc) from exc
        try:
            yield recorder
            recorder.changes = _collect(conn, tables)
        finally:
            _remove(conn, tables)


def edited_since(db: Database, changes: ChangeSet) -> int:
    """How many of the rows the work changed were changed again after it."""
    return sum(1 for row in changes.rows if _image(db.conn, row) != row.after)


def put_back(db: Database, changes: ChangeSet) -> tuple[ChangeSet, int]:
    """Restore every row of ``changes`` as it was before; one transaction.

    Returns what redoes it (the same kind of record, taken while putting back) and how many rows
    had been changed again since the work (their later edits are undone too, like the work).
    """
    conn = db.conn
    with recording(db) as redo, db.transaction():
        conn.execute("PRAGMA defer_foreign_keys = ON")  # parents come back after their children
        edited = edited_since(db, changes)
        for row in reversed(changes.rows):
            _restore_row(conn, row)
        # Triggers of the schema (feed unread counts) may have changed a row already put back.
        for _ in range(3):
            differ = [row for row in changes.rows if _image(conn, row) != row.values]
            if not differ:
                break
            for row in differ:
                _restore_row(conn, row)
    return redo.changes, edited


# ---- the triggers -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Shape:
    name: str
    columns: list[str]  # with "rowid" first for a rowid table without an INTEGER PRIMARY KEY
    key: list[str]  # ["rowid"] for rowid tables, else the primary key's columns

    def values_of(self, ref: str) -> str:
        return "||','||".join(
            f'quote({ref}."{c}")' if c != "rowid" else f"quote({ref}.rowid)" for c in self.columns
        )

    def where_of(self, ref: str) -> str:
        if self.key == ["rowid"]:
            return f"'rowid='||{ref}.rowid"
        return "||' AND '||".join(f'\'"{c}" IS \'||quote({ref}."{c}")' for c in self.key)

    def column_sql(self) -> str:
        return ", ".join("rowid" if c == "rowid" else f'"{c}"' for c in self.columns)


def _tables(conn: sqlite3.Connection) -> list[_Shape]:
    shapes = []
    for table in user_tables(conn):
        without_rowid = conn.execute(
            "SELECT sql LIKE '%WITHOUT ROWID%' FROM sqlite_master WHERE name = ?", (table.name,)
        ).fetchone()[0]
        if without_rowid:
            shapes.append(_Shape(table.name, list(table.columns), list(table.pk)))
        elif table.rowid_pk:
            shapes.append(_Shape(table.name, list(table.columns), ["rowid"]))
        else:
            shapes.append(_Shape(table.name, ["rowid", *table.columns], ["rowid"]))
    return shapes


def _install(conn: sqlite3.Connection, tables: list[_Shape]) -> None:
    conn.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {_LOG_NAME} ("
        " seq INTEGER PRIMARY KEY, tbl TEXT NOT NULL, at TEXT NOT NULL, existed INTEGER NOT NULL,"
        " vals TEXT, UNIQUE(tbl, at))"
    )
    conn.execute(f"DELETE FROM {_LOG}")
    # INSERT OR REPLACE deletes the row it replaces without firing DELETE triggers unless asked.
    conn.execute("PRAGMA recursive_triggers = ON")
    for i, t in enumerate(tables):
        # A trigger may not name a schema: the unqualified name finds the TEMP table first.
        note = f"INSERT OR IGNORE INTO {_LOG_NAME}(tbl, at, existed, vals) VALUES ('{t.name}', "
        conn.execute(
            f'CREATE TEMP TRIGGER readerapp_journal_ins_{i} AFTER INSERT ON main."{t.name}" '
            f"BEGIN {note}{t.where_of('NEW')}, 0, NULL); END"
        )
        for event in ("UPDATE", "DELETE"):
            conn.execute(
                f"CREATE TEMP TRIGGER readerapp_journal_{event.lower()}_{i} BEFORE {event} "
                f'ON main."{t.name}" BEGIN {note}{t.where_of("OLD")}, 1, {t.values_of("OLD")}); END'
            )


def _remove(conn: sqlite3.Connection, tables: list[_Shape]) -> None:
    for i in range(len(tables)):
        for kind in ("ins", "update", "delete"):
            conn.execute(f"DROP TRIGGER IF EXISTS temp.readerapp_journal_{kind}_{i}")
    conn.execute("PRAGMA recursive_triggers = OFF")
    conn.execute(f"DELETE FROM {_LOG}")


def _collect(conn: sqlite3.Connection, tables: list[_Shape]) -> ChangeSet:
    shapes = {t.name: t for t in tables}
    rows = []
    for name, where, existed, values in conn.execute(
        f"SELECT tbl, at, existed, vals FROM {_LOG} ORDER BY seq"
    ).fetchall():
        shape = shapes[name]
        row = RowBefore(name, where, shape.column_sql(), values if existed else None, None)
        rows.append(RowBefore(name, where, row.columns, row.values, _image(conn, row)))
    return ChangeSet(tuple(rows))


# ---- putting rows back --------------------------------------------------------------------------


def _image(conn: sqlite3.Connection, row: RowBefore) -> str | None:
    """The row's values now, in the form ``RowBefore.values`` has; None when it is not there."""
    quoted = "||','||".join(
        "quote(rowid)" if c.strip() == "rowid" else f"quote({c.strip()})"
        for c in row.columns.split(", ")
    )
    found = conn.execute(f'SELECT {quoted} FROM "{row.table}" WHERE {row.where}').fetchone()
    return found[0] if found else None


def _restore_row(conn: sqlite3.Connection, row: RowBefore) -> None:
    if row.values is None:
        conn.execute(f'DELETE FROM "{row.table}" WHERE {row.where}')
    elif conn.execute(f'SELECT 1 FROM "{row.table}" WHERE {row.where}').fetchone():
        conn.execute(f'UPDATE "{row.table}" SET ({row.columns}) = ({row.values}) WHERE {row.where}')
    else:
        conn.execute(f'INSERT INTO "{row.table}" ({row.columns}) VALUES ({row.values})')
