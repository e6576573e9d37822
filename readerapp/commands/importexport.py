"""``readerapp import FILE`` and ``readerapp export --format md|bibtex|json|opml [--topic] [-o]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from readerapp.core.models import EXPORT_FORMATS

if TYPE_CHECKING:  # the services load bibtexparser and markdown-it: only when a command runs
    from readerapp.app import Services


def register(subparsers: argparse._SubParsersAction) -> None:
    imp = subparsers.add_parser(
        "import",
        help="import a Markdown reading list, a .bib, an .opml feed list or a .json backup",
        description="Import FILE into the library. Items already there (same arXiv id or URL) are "
        "merged, never duplicated; the report lists everything that was not understood.",
    )
    imp.add_argument("file", metavar="FILE", help="a .md, .bib, .opml or .json file")
    imp.set_defaults(handler=cmd_import)

    exp = subparsers.add_parser(
        "export",
        help="export the library (or one topic) as Markdown, BibTeX, a JSON backup or OPML",
    )
    exp.add_argument("--format", required=True, choices=EXPORT_FORMATS, help="what to write")
    exp.add_argument("--topic", metavar="PATH", help="only this topic and its subtopics")
    exp.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: stdout)")
    exp.set_defaults(handler=cmd_export)


def cmd_import(args: argparse.Namespace, services: Services) -> int:
    from readerapp.services.importexport import import_undoable, restore_command

    outcome = import_undoable(services, args.file)
    print(str(outcome.report))
    if outcome.changes:
        print(
            f"The library as it was before is in the backup {outcome.backup.name}; "
            f"`{restore_command(services.paths.root, outcome.backup)}` puts it back."
        )
    return 0


def cmd_export(args: argparse.Namespace, services: Services) -> int:
    from readerapp.services.importexport import export_to

    target = Path(args.output) if args.output else None
    text = export_to(services, args.format, args.topic, target)
    if target is None:
        sys.stdout.write(text)
    else:
        print(f"Wrote {target}.", file=sys.stderr)
    return 0
