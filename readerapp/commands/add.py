"""``readerapp add X [--topic PATH] [--no-download]``: an arXiv id or URL, any web address, or a
local PDF file (see :func:`add_local_file`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the services load httpx, feedparser and PyMuPDF: only when a command runs
    from readerapp.app import Services
    from readerapp.services.papers import AddOutcome


def register(subparsers: argparse._SubParsersAction) -> None:
    add = subparsers.add_parser(
        "add",
        help="add an arXiv paper (id or URL), a web page, or a PDF file",
        description="Add an arXiv paper (id or URL), any http(s) address, or a local PDF file.",
    )
    add.add_argument("target", metavar="X", help="arXiv id or URL, http(s) URL, or a PDF file")
    add.add_argument("--topic", metavar="PATH", help="file it under this topic, e.g. 'Alignment'")
    add.add_argument(
        "--no-download", action="store_true", help="add the paper without downloading its PDF"
    )
    add.set_defaults(handler=cmd_add)


def cmd_add(args: argparse.Namespace, services: Services) -> int:
    try:
        is_file = Path(args.target).expanduser().is_file()
    except (OSError, ValueError):
        is_file = False
    if is_file:
        return add_local_file(args, services)
    from readerapp.services.papers import classify

    papers = services.papers
    classify(args.target)  # bad input is refused before any network traffic
    papers.topic_ids(args.topic)
    for sentence in papers.retry_pending():  # earlier offline adds, now that we try the network
        print(f"readerapp: {sentence}", file=sys.stderr)
    shown: list[bool] = []

    def progress(done: int, total: int | None) -> None:  # a terminal line, only on a terminal
        shown.append(True)
        size = f"{done / 1e6:.1f} of {total / 1e6:.1f} MB" if total else f"{done / 1e6:.1f} MB"
        # Our own carriage return, past the filter that escapes those in remote text.
        terminal = getattr(sys.stderr, "raw", sys.stderr)
        print(f"\rDownloading… {size}   ", end="", file=terminal, flush=True)

    on_terminal = sys.stderr.isatty()
    outcome = papers.add(
        args.target,
        args.topic,
        download=not args.no_download,
        progress=progress if on_terminal else None,
    )
    if shown:
        print(file=sys.stderr)
    print(describe(outcome))
    for note in outcome.notes:
        print(note)
    for problem in outcome.problems:
        print(f"readerapp: {problem}", file=sys.stderr)
    return 1 if outcome.problems else 0


def add_local_file(args: argparse.Namespace, services: Services) -> int:
    """A local PDF file: copied into the library (PyMuPDF is imported only for this branch)."""
    from readerapp.services.local_files import add_pdf_file, find_same_pdf

    path = Path(args.target).expanduser()
    before = find_same_pdf(services, path)
    item = add_pdf_file(services, path, args.topic)
    if before is not None and before.id == item.id:
        print(f"Already in your library: #{item.id} “{item.title}”, with its PDF.")
    else:
        print(f"Added #{item.id} “{item.title}”.")
    return 0


def describe(outcome: AddOutcome) -> str:
    item = outcome.item
    ident = f" (arXiv:{item.arxiv_id}{f'v{item.version}' if item.version else ''})"
    ident = ident if item.arxiv_id else f" ({item.url})"
    if item.arxiv_id and item.title.startswith("arXiv:"):  # details still pending
        ident = ""
    pdf = ", with its PDF" if item.has_pdf else ""
    if outcome.existed:
        return f"Already in your library: #{item.id} “{item.title}”{ident}{pdf}."
    return f"Added #{item.id} “{item.title}”{ident}{pdf}."
