"""The JSON backup: every user table, driven by the schema itself, versioned with it.

This is the portable file of File -> Export -> Full backup and `readerapp export --format json`,
which the user keeps and imports anywhere; the automatic copies of the database file made before
imports and once a day are another thing, in ``storage.db_backups``.

Tables are found in ``sqlite_master`` (so tables other features add are backed up without this
module knowing them). Full-text indexes and their shadow tables, and caches rebuilt from the PDFs,
are left out: triggers and the extractor rebuild them. Restoring into an empty library copies the
rows exactly (same ids); into a non-empty one it merges: topics by path, items by arXiv id or URL,
every other row with its references re-pointed and rows already present skipped.
"""

from __future__ import annotations

import base64
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import readerapp  # its __version__ is read from the package metadata on first use
from readerapp.core.errors import BadInputError
from readerapp.core.library_paths import is_library_relative
from readerapp.core.models import EDITABLE_ITEM_FIELDS
from readerapp.core.reading_list import Problem
from readerapp.resource_files import resource_path
from readerapp.storage.db import Database
from readerapp.storage.importer import (
    BACKUP_LIMIT,
    ImportReport,
    fill_counts,
    new_topic_mapper,
    read_text_file,
)
from readerapp.storage.library import STARTER_STATE_KEY, LibraryRepository, now_iso
from readerapp.storage.merge import ItemMerger
from readerapp.storage.migrations import latest_version
from readerapp.storage.paths import LibraryPaths

FORMAT = "readerapp-backup"
# Caches rebuilt from the PDF files by the text extractor; backing them up would only bloat it.
# change_counts is bookkeeping of this file's writes (see storage/change_counts.py), not data.
DERIVED_TABLES = frozenset({"pdf_pages", "pdf_text_state", "change_counts"})
_SPECIAL = ("topics", "items", "item_topics", "state")  # merged by their meaning, not generically


@dataclass(frozen=True, slots=True)
class _Table:
    name: str
    columns: list[str]
    pk: list[str]  # primary key columns
    rowid_pk: str | None  # an INTEGER PRIMARY KEY column (an alias of rowid)
    refs: dict[str, str]  # column -> referenced table
    nullable: frozenset[str]


def user_tables(conn: sqlite3.Connection) -> list[_Table]:
    """The tables a backup holds, parents before the tables that refer to them."""
    kinds = _table_kinds(conn)
    tables: dict[str, _Table] = {}
    for name, kind in sorted(kinds.items()):
        if kind != "table" or name.startswith("sqlite_") or name in DERIVED_TABLES:
            continue
        info = list(conn.execute(f'PRAGMA table_info("{name}")'))
        columns = [r[1] for r in info]
        pk = [r[1] for r in sorted(info, key=lambda r: r[5]) if r[5]]
        rowid_pk = None
        if len(pk) == 1:
            decl = next(r[2] for r in info if r[1] == pk[0])
            without_rowid = conn.execute(
                "SELECT sql LIKE '%WITHOUT ROWID%' FROM sqlite_master WHERE name = ?", (name,)
            ).fetchone()[0]
            if decl.upper() == "INTEGER" and not without_rowid:
                rowid_pk = pk[0]
        refs = {r[3]: r[2] for r in conn.execute(f'PRAGMA foreign_key_list("{name}")')}
        nullable = frozenset(r[1] for r in info if not r[3] and not r[5])
        tables[name] = _Table(name, columns, pk, rowid_pk, refs, nullable)
    ordered: list[_Table] = []
    done: set[str] = set()

    def visit(name: str, trail: frozenset[str]) -> None:
        if name in done or name not in tables or name in trail:
            return
        for parent in tables[name].refs.values():
            if parent != name:
                visit(parent, trail | {name})
        done.add(name)
        ordered.append(tables[name])

    for name in tables:
        visit(name, frozenset())
    return ordered


def _table_kinds(conn: sqlite3.Connection) -> dict[str, str]:
    """name -> 'table' | 'virtual' | 'shadow' (PRAGMA table_list needs SQLite 3.37 or later)."""
    try:
        return {r[1]: r[2] for r in conn.execute("PRAGMA main.table_list")}
    except sqlite3.OperationalError:
        rows = list(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
        virtual = [n for n, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL")]
        kinds = {}
        for name, _ in rows:
            shadow = any(name.startswith(v + "_") for v in virtual)
            kinds[name] = "virtual" if name in virtual else "shadow" if shadow else "table"
        return kinds


# ---- export -------------------------------------------------------------------------------------


def export_backup(db: Database) -> str:
    """Every user table as JSON, with the schema version it was written at."""
    conn = db.conn
    data: dict[str, Any] = {
        "format": FORMAT,
        "schema_version": db.schema_version,
        "app_version": readerapp.__version__,
        "exported": now_iso(),
        "tables": {},
    }
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")  # one consistent snapshot of every table
    try:
        for table in user_tables(conn):
            order = ", ".join(f'"{c}"' for c in (table.pk or ["rowid"]))
            rows = conn.execute(
                f"SELECT {', '.join(f'{chr(34)}{c}{chr(34)}' for c in table.columns)} "
                f'FROM "{table.name}" ORDER BY {order}'
            )
            data["tables"][table.name] = {
                "columns": table.columns,
                "rows": [[_to_json(v) for v in row] for row in rows],
            }
    finally:
        if own:
            conn.execute("COMMIT")
    return _dumps(data)


def _dumps(data: dict[str, Any]) -> str:
    """Indented down to the rows, one row a line: readable in an editor, diffable, compact."""
    dump = json.dumps
    tables = data.pop("tables")
    head = ",\n".join(f" {dump(k)}: {dump(v, ensure_ascii=False)}" for k, v in data.items())
    parts = []
    for name, table in tables.items():
        rows = ",\n".join(f"    {dump(r, ensure_ascii=False)}" for r in table["rows"])
        parts.append(
            f'  {dump(name)}: {{\n   "columns": {dump(table["columns"])},\n'
            f'   "rows": [\n{rows}\n   ]\n  }}'
        )
    return "{\n" + head + ',\n "tables": {\n' + ",\n".join(parts) + "\n }\n}\n"


def _to_json(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"$blob": base64.b64encode(value).decode("ascii")}
    return value


def _from_json(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"$blob"}:
        return base64.b64decode(value["$blob"])
    if isinstance(value, dict | list):
        raise ValueError("a cell holds a structure, not a value")
    return value


# ---- import -------------------------------------------------------------------------------------


def load_backup(path: Path) -> dict[str, Any]:
    """The backup's content, checked: format, version and shape. BadInputError otherwise."""
    text = read_text_file(path, limit=BACKUP_LIMIT)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInputError(
            f"{path.name} is not valid JSON (line {exc.lineno}); nothing was imported."
        ) from exc
    except RecursionError as exc:  # "[[[[…" 100,000 deep: Python's parser gives up
        raise BadInputError(
            f"{path.name} is nested too deeply to be a readerapp backup; nothing was imported."
        ) from exc
    except MemoryError as exc:
        raise BadInputError(
            f"{path.name} is too large to read into memory; nothing was imported."
        ) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BadInputError(
            f"{path.name} is JSON but not a readerapp backup; nothing was imported."
        )
    version = data.get("schema_version")
    if not isinstance(version, int) or not isinstance(data.get("tables"), dict):
        raise BadInputError(f"{path.name} is a damaged readerapp backup; nothing was imported.")
    supported = latest_version()
    if version > supported:
        raise BadInputError(
            f"{path.name} was made by a newer version of readerapp (schema {version}; this one "
            f"understands up to {supported}). Update readerapp to restore it; nothing was changed."
        )
    for name, table in data["tables"].items():
        ok = (
            isinstance(table, dict)
            and isinstance(table.get("columns"), list)
            and isinstance(table.get("rows"), list)
            and all(isinstance(r, list) and len(r) == len(table["columns"]) for r in table["rows"])
        )
        if not ok:
            raise BadInputError(
                f"{path.name} is a damaged readerapp backup (table “{name}”); nothing was imported."
            )
    return data


def import_backup(db: Database, path: Path) -> ImportReport:
    """Restore (empty library) or merge (non-empty) a backup, in one transaction."""
    path = Path(path)
    data = load_backup(path)
    report = ImportReport(source=path.name, kind="backup")
    try:
        with db.transaction() as conn:
            tables = {t.name: t for t in user_tables(conn)}
            for name in data["tables"]:
                if name not in tables:
                    report.problems.append(_problem(f"table “{name}”", "unknown here; skipped"))
            pristine = _only_untouched_starter(db, tables)
            if pristine:  # a brand-new library: the backup replaces the starter list
                conn.execute("DELETE FROM items")
                conn.execute("DELETE FROM topics")
            if pristine or _is_empty(conn, tables):
                _restore(conn, tables, data["tables"], report)
                if pristine:
                    report.notes.append(
                        "The library held only the untouched starter reading list; the backup "
                        "replaced it."
                    )
            else:
                _merge(db, tables, data["tables"], report)
            _refuse_outside_paths(conn, report)
    except (sqlite3.IntegrityError, ValueError, TypeError, RecursionError) as exc:
        raise BadInputError(
            f"{path.name} could not be restored ({exc}); the library was left as it was."
        ) from exc
    missing = _missing_pdfs(db)
    if missing:
        report.notes.append(
            f"{missing} items name a PDF that is not in this library's files folder (a backup "
            "holds no PDFs): copy the old files/ folder over, or download them again."
        )
    return report


# Columns holding a path relative to files/: a crafted backup may put any path there.
_PATH_COLUMNS = (("items", "pdf_path"), ("item_versions", "pdf_path"))


def _refuse_outside_paths(conn: sqlite3.Connection, report: ImportReport) -> None:
    """Clear every stored file path that is absolute or climbs out with ``..`` (the library
    would read, index or rewrite that file), and say so in the report."""
    for table, column in _PATH_COLUMNS:
        rows = conn.execute(
            f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL"
        ).fetchall()
        for (stored,) in rows:
            if is_library_relative(stored):
                continue
            conn.execute(f"UPDATE {table} SET {column} = NULL WHERE {column} = ?", (stored,))
            report.problems.append(
                _problem(
                    f"PDF path “{str(stored)[:120]}”",
                    "points outside the library folder; not restored",
                )
            )


def _missing_pdfs(db: Database) -> int:
    files = LibraryPaths(Path(db.path).parent).files
    rows = db.conn.execute("SELECT pdf_path FROM items WHERE pdf_path IS NOT NULL")
    return sum(1 for (rel,) in rows if not (files / rel).is_file())


def _problem(what: str, action: str) -> Problem:
    return Problem(None, what, action)


def _rowid(table: _Table) -> str:
    """A column naming a row: its INTEGER PRIMARY KEY, else 1 (only existence matters)."""
    return f'"{table.rowid_pk}"' if table.rowid_pk else "1"


def _only_untouched_starter(db: Database, tables: dict[str, _Table]) -> bool:
    """True for a library that holds the starter reading list, unchanged, and nothing else."""
    conn = db.conn
    library = LibraryRepository(db)
    if not library.get_state(STARTER_STATE_KEY):
        return False
    others = [n for n in tables if n not in _SPECIAL and n != "fetch_pending"]
    if any(conn.execute(f'SELECT 1 FROM "{n}" LIMIT 1').fetchone() for n in others):
        return False
    starter = json.loads(resource_path("starter.json").read_text(encoding="utf-8"))
    want_paths = {t["path"] for t in starter["topics"]}
    want_items = sorted(
        (i["title"], i.get("notes", ""), i.get("status", "to-read"))
        for t in starter["topics"]
        for i in t["items"]
    )
    rows = conn.execute("SELECT title, notes, status FROM items WHERE trashed IS NULL")
    trashed = conn.execute("SELECT 1 FROM items WHERE trashed IS NOT NULL").fetchone()
    return (
        not trashed
        and set(library.topic_paths().values()) == want_paths
        and sorted(tuple(r) for r in rows) == want_items
    )


def _is_empty(conn: sqlite3.Connection, tables: dict[str, _Table]) -> bool:
    for name in tables:
        if name != "state" and conn.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone():
            return False
    return True


def _columns(table: _Table, saved: dict[str, Any], report: ImportReport) -> list[int]:
    """Indexes of the saved columns this schema still has (an older backup may lack some)."""
    names = saved["columns"]
    dropped = [c for c in names if c not in table.columns]
    if dropped:
        report.problems.append(
            _problem(f"columns {', '.join(dropped)} of “{table.name}”", "unknown here; skipped")
        )
    return [i for i, c in enumerate(names) if c in table.columns]


def _restore(
    conn: sqlite3.Connection,
    tables: dict[str, _Table],
    saved: dict[str, Any],
    report: ImportReport,
) -> None:
    conn.execute("PRAGMA defer_foreign_keys = ON")  # rows go in table by table; check at commit
    for name, table in tables.items():
        if name not in saved:
            continue
        keep = _columns(table, saved[name], report)
        cols = ", ".join(f'"{saved[name]["columns"][i]}"' for i in keep)
        marks = ", ".join("?" * len(keep))
        verb = "INSERT OR REPLACE" if name == "state" else "INSERT"
        conn.executemany(
            f'{verb} INTO "{name}" ({cols}) VALUES ({marks})',
            ([_from_json(row[i]) for i in keep] for row in saved[name]["rows"]),
        )
    broken = conn.execute("PRAGMA foreign_key_check").fetchone()
    if broken:  # checked here so the transaction rolls back instead of failing at COMMIT
        raise ValueError(f"a row of “{broken[0]}” refers to a missing row of “{broken[2]}”")
    report.topics_created = len(saved.get("topics", {}).get("rows", []))
    report.items_created = len(saved.get("items", {}).get("rows", []))
    report.notes.append("The library was empty: the backup was restored exactly.")


def _merge(
    db: Database, tables: dict[str, _Table], saved: dict[str, Any], report: ImportReport
) -> None:
    library = LibraryRepository(db)
    conn = db.conn
    topics = new_topic_mapper(library, report.source)
    merger = ItemMerger(library, report.source)
    ids: dict[str, dict[Any, Any]] = {name: {} for name in tables}
    # Topics by path.
    topic_rows = _rows(saved, "topics")
    by_id = {r["id"]: r for r in topic_rows}

    def path_of(tid: int, seen: tuple[int, ...] = ()) -> tuple[str, ...]:
        row = by_id[tid]
        parent = row.get("parent_id")
        if parent is not None and parent in by_id and parent not in seen:
            return (*path_of(parent, (*seen, tid)), row["name"])
        return (row["name"],)

    for row in sorted(topic_rows, key=lambda r: (r.get("position", 0), r["id"])):
        ids["topics"][row["id"]] = topics.ensure(path_of(row["id"]))
    # Items by arXiv id or URL; trashed ones stay out of a merge.
    filings: dict[int, list[int]] = {}
    for link in _rows(saved, "item_topics"):
        if link["topic_id"] in ids["topics"]:
            filings.setdefault(link["item_id"], []).append(ids["topics"][link["topic_id"]])
    skipped_trashed = 0
    for row in _rows(saved, "items"):
        if row.get("trashed"):
            skipped_trashed += 1
            continue
        fields = {k: v for k, v in row.items() if k in EDITABLE_ITEM_FIELDS}
        for name in ("authors", "categories"):
            if isinstance(fields.get(name), str):
                fields[name] = json.loads(fields[name] or "[]")
        item_id, _ = merger.upsert(fields, filings.get(row["id"], []))
        ids["items"][row["id"]] = item_id
    if skipped_trashed:
        report.notes.append(f"{skipped_trashed} items in the backup's trash were not merged.")
    # Every other table: references re-pointed, rows already there skipped.
    for name, table in tables.items():
        if name in _SPECIAL or name not in saved:
            continue
        added, present, orphans = _merge_table(conn, table, saved[name], ids, report)
        if added or orphans:
            report.notes.append(
                f"{name}: {added} rows added, {present} already there"
                + (f", {orphans} skipped (what they belong to was not merged)" if orphans else "")
                + "."
            )
    fill_counts(report, topics, merger)


def _rows(saved: dict[str, Any], name: str) -> list[dict[str, Any]]:
    table = saved.get(name)
    if not table:
        return []
    cols = table["columns"]
    return [dict(zip(cols, (_from_json(v) for v in row), strict=True)) for row in table["rows"]]


def _merge_table(
    conn: sqlite3.Connection,
    table: _Table,
    saved: dict[str, Any],
    ids: dict[str, dict[Any, Any]],
    report: ImportReport,
) -> tuple[int, int, int]:
    keep = set(_columns(table, saved, report))
    names = [c for i, c in enumerate(saved["columns"]) if i in keep]
    added = present = orphans = 0
    pending = [dict(zip(saved["columns"], row, strict=True)) for row in saved["rows"]]
    for raw in pending:
        row = {c: _from_json(raw[c]) for c in names}
        old_key = row.get(table.rowid_pk) if table.rowid_pk else None
        orphan = False
        for column, parent in table.refs.items():
            value = row.get(column)
            if value is None or parent not in ids:
                continue
            if value in ids[parent]:
                row[column] = ids[parent][value]
            elif parent in _SPECIAL or ids[parent] or parent == table.name:
                if column in table.nullable:
                    row[column] = None  # what it pointed at was not merged: forget the link
                else:
                    orphan = True
        if orphan:
            orphans += 1
            continue
        if table.rowid_pk and table.rowid_pk not in table.refs:
            row.pop(table.rowid_pk, None)  # a fresh id here; dependants are re-pointed to it
        existing = _find_equal(conn, table, row)
        if existing is not None:
            present += 1
        else:
            cols = list(row)
            try:
                cur = conn.execute(
                    f'INSERT INTO "{table.name}" ({", ".join(chr(34) + c + chr(34) for c in cols)}) '
                    f"VALUES ({', '.join('?' * len(cols))})",
                    [row[c] for c in cols],
                )
                existing = cur.lastrowid
                added += 1
            except sqlite3.IntegrityError:
                existing = _find_unique(conn, table, row)
                present += 1
        if old_key is not None and existing is not None:
            ids[table.name][old_key] = existing
    return added, present, orphans


def _find_equal(conn: sqlite3.Connection, table: _Table, row: dict[str, Any]) -> Any:
    """The rowid of a row equal in every given column, or None."""
    where = " AND ".join(f'"{c}" IS ?' for c in row)
    found = conn.execute(
        f'SELECT {_rowid(table)} FROM "{table.name}" WHERE {where} LIMIT 1', list(row.values())
    ).fetchone()
    return found[0] if found else None


def _find_unique(conn: sqlite3.Connection, table: _Table, row: dict[str, Any]) -> Any:
    """The rowid of the row that a UNIQUE constraint says is the same as ``row``."""
    for index in conn.execute(f'PRAGMA index_list("{table.name}")'):
        if not index[2]:
            continue
        cols = [r[2] for r in conn.execute(f'PRAGMA index_info("{index[1]}")')]
        if cols and all(c in row for c in cols):
            where = " AND ".join(f'"{c}" IS ?' for c in cols)
            found = conn.execute(
                f'SELECT {_rowid(table)} FROM "{table.name}" WHERE {where}', [row[c] for c in cols]
            ).fetchone()
            if found:
                return found[0]
    return None
