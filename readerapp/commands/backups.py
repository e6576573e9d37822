"""``readerapp backups [--json]`` and ``readerapp restore BACKUP``: the automatic backups.

Both run without opening the library first: a damaged library is refused on open, and restoring
a backup is how the user gets it back.
"""

from __future__ import annotations

import argparse
import json

from readerapp.services.backups import LibraryPaths


def register(subparsers: argparse._SubParsersAction) -> None:
    lst = subparsers.add_parser(
        "backups",
        help="list the automatic backups of the library (time, reason, item count)",
        description="List the backups readerapp made of the library: one a day while the app "
        "runs, and one before every import, restore and schema upgrade. Newest first.",
    )
    lst.add_argument("--json", action="store_true", help="machine-readable output")
    lst.set_defaults(handler=cmd_backups, without_library=True)

    res = subparsers.add_parser(
        "restore",
        help="replace the library by one of its backups (what is there is backed up first)",
        description="Replace the library by BACKUP (a name `readerapp backups` lists, or a path). "
        "The library as it is now is backed up first; a damaged library is kept, renamed.",
    )
    res.add_argument("backup", metavar="BACKUP", help="a backup's name or path")
    res.set_defaults(handler=cmd_restore, without_library=True)


def cmd_backups(args: argparse.Namespace, paths: LibraryPaths) -> int:
    from readerapp.services.backups import list_backups

    backups = list_backups(paths.backups)
    if args.json:
        print(json.dumps([b.to_json() for b in backups], ensure_ascii=False, indent=2))
        return 0
    if not backups:
        print(f"No backups yet in {paths.backups}.")
        return 0
    for b in backups:
        items = f"{b.items} items" if b.items is not None else "unreadable"
        print(f"{b.created:%Y-%m-%d %H:%M:%S}  {b.why:<24} {items:>12}  {b.path.name}")
    return 0


def cmd_restore(args: argparse.Namespace, paths: LibraryPaths) -> int:
    from readerapp.services.backups import restore_unopened_library

    outcome = restore_unopened_library(paths, args.backup)
    print(outcome.sentence())
    return 0
