"""Schema migrations, one module each: ``mNNN_name.py`` with ``VERSION`` and ``apply(conn)``.

Modules are discovered by name so features can add their own without editing a shared list.
Each runs inside one transaction; db.py makes a backup copy of the database before the first.
"""

from __future__ import annotations

import importlib
import pkgutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    apply: Callable[[sqlite3.Connection], None]


def _module_names() -> list[str]:
    return [
        info.name
        for info in pkgutil.iter_modules(__path__)
        if info.name.startswith("m") and info.name[1:4].isdigit()
    ]


def all_migrations() -> list[Migration]:
    found: list[Migration] = []
    for name in _module_names():
        module = importlib.import_module(f"{__name__}.{name}")
        if int(name[1:4]) != module.VERSION:  # latest_version() reads versions from names
            raise RuntimeError(f"schema migration {name} has VERSION {module.VERSION}")
        found.append(Migration(module.VERSION, name, module.apply))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"two schema migrations share a version: {versions}")
    return found


def execute_script(conn: sqlite3.Connection, script: str) -> None:
    """Run a multi-statement script inside the caller's transaction.

    ``Connection.executescript`` would COMMIT first, breaking the one-transaction-per-migration
    rule, so statements are split with ``sqlite3.complete_statement`` (which understands triggers).
    """
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            if pending.strip().strip(";").strip():
                conn.execute(pending)
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement in migration: {pending[:80]!r}")


def latest_version() -> int:
    """The newest schema version, from the modules' names (``mNNN_``) without importing them:
    a library already at that version is opened without loading any migration."""
    return max((int(name[1:4]) for name in _module_names()), default=0)
