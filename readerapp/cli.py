"""The command line (argparse). Same services as the GUI; see shared/guide/cli.md for the contract."""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import NoReturn

import readerapp
from readerapp.app import Services, open_services, start_library_check
from readerapp.commands import FEATURE_MODULES
from readerapp.core.errors import UserError
from readerapp.core.terminal_text import TerminalSafeWriter
from readerapp.diagnostics import Diagnostics, log_folder
from readerapp.services.library import LibraryService

log = logging.getLogger(__name__)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one sentence, exit 2, as the contract says
        print(f"readerapp: {message} (see `{self.prog} --help`).", file=sys.stderr)
        raise SystemExit(2)


class _VersionAction(argparse.Action):
    """--version, reading the package metadata only when asked (start-up stays lean)."""

    def __init__(self, option_strings, dest, **kwargs) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        print(f"readerapp {readerapp.__version__}")
        parser.exit()


def _add_app_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", action=_VersionAction, help="show the version and exit")
    parser.add_argument("--home", metavar="DIR", help="library folder (default: the user data dir)")
    parser.add_argument(
        "--screenshot", metavar="PNG", help="open the app, save a PNG of the window, exit"
    )
    parser.add_argument("--open", metavar="X", help="with --screenshot: item id, arXiv id or PDF")
    parser.add_argument("--page", metavar="N", type=int, help="with --open: the page to show")
    parser.add_argument(
        "--debug", action="store_true", help="verbose logs (also printed to stderr)"
    )


def _parse_app_launch(argv: Sequence[str]) -> argparse.Namespace | None:
    """The arguments of a plain app launch (options only, no command), else None.

    A launch is parsed without the subcommands: registering them imports every feature's
    command module, which would only slow the window down.
    """
    parser = _Parser(prog="readerapp", add_help=False)
    _add_app_options(parser)
    args, rest = parser.parse_known_args(argv)
    if rest and all(_looks_like_a_path(arg) for arg in rest):
        for arg in rest:
            if not os.path.isfile(arg):
                parser.error(f"there is no file {arg}")
    if not all(_is_file_to_open(arg) for arg in rest):
        return None  # a command, --help, or something only the full parser can explain
    if args.page is not None and not args.open:
        parser.error("--page goes with --open")
    if args.open and not args.screenshot:
        parser.error(
            "--open goes with --screenshot; to read a PDF in the app, run `readerapp FILE.pdf`"
        )
    args.command = None
    args.files = rest
    return args


def _is_file_to_open(arg: str) -> bool:
    """A PDF handed over by a file manager (``readerapp %F``) or typed as a path.

    A bare word is always a command, even when a file of that name is in the current folder.
    """
    return _looks_like_a_path(arg) and os.path.isfile(arg)


def _looks_like_a_path(arg: str) -> bool:
    has_separator = os.sep in arg or "/" in arg
    return (has_separator or arg.lower().endswith(".pdf")) and not arg.startswith("-")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="readerapp",
        description=(
            "A desktop reading list for AI research. Without a command, opens the app "
            "(`readerapp paper.pdf` opens that PDF in it)."
        ),
    )
    _add_app_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    topics = sub.add_parser("topics", help="list the topic tree")
    topics.add_argument("--json", action="store_true", help="machine-readable output")
    topics.set_defaults(handler=cmd_topics)

    lst = sub.add_parser("list", help="list items (all, or one topic's)")
    lst.add_argument(
        "--topic", metavar="PATH", help="a topic path, e.g. 'Research focus/Alignment'"
    )
    lst.add_argument(
        "--subtopics",
        action="store_true",
        help="with --topic: its subtopics' items too (each item once)",
    )
    lst.add_argument("--json", action="store_true", help="machine-readable output")
    lst.set_defaults(handler=cmd_list)

    for module_name in FEATURE_MODULES:
        importlib.import_module(module_name).register(sub)
    return parser


def cmd_topics(args: argparse.Namespace, services: Services) -> int:
    library = services.library
    paths = library.topic_paths()
    counts = library.topic_counts()
    topics = _tree_order(library)  # the order the app's tree shows, in both outputs
    if args.json:
        rows = [
            {
                "id": t.id,
                "name": t.name,
                "path": paths[t.id],
                "parent_id": t.parent_id,
                "count": counts.get(t.id, 0),
            }
            for t in topics
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for t in topics:
        depth = paths[t.id].count("/")
        print(f"{'  ' * depth}{t.name} ({counts.get(t.id, 0)})")
    return 0


def _tree_order(library: LibraryService) -> list:
    children: dict[int | None, list] = {}
    for t in library.topics():
        children.setdefault(t.parent_id, []).append(t)
    ordered: list = []

    def walk(parent: int | None) -> None:
        for t in children.get(parent, []):
            ordered.append(t)
            walk(t.id)

    walk(None)
    return ordered


def cmd_list(args: argparse.Namespace, services: Services) -> int:
    library = services.library
    if args.topic:
        topic = library.require_topic(args.topic)
        items = library.items(topic.id, with_subtopics=args.subtopics)
    else:
        items = library.items()
    paths = library.topic_paths()
    if args.json:
        rows = [item_to_json(library, item, paths) for item in items]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for item in items:
        ident = f"arXiv:{item.arxiv_id}" if item.arxiv_id else item.kind
        year = item.year or ""
        print(f"{item.id:>5}  {item.title}  [{ident}] {item.authors_text} {year}".rstrip())
    return 0


def item_to_json(library: LibraryService, item, paths: dict[int, str]) -> dict:
    return {
        "id": item.id,
        "title": item.title,
        "kind": str(item.kind),
        "authors": item.authors,
        "year": item.year,
        "venue": item.venue,
        "url": item.url,
        "arxiv_id": item.arxiv_id,
        "version": item.version,
        "topics": library.item_topic_paths(item.id, paths),
        "has_pdf": item.has_pdf,
        "status": str(item.status),
        "notes": item.notes,
        "added": item.added,
    }


def _run_without_library(args: argparse.Namespace) -> int:
    from readerapp.app import resolve_home

    try:
        return int(args.handler(args, resolve_home(args.home)) or 0)
    except UserError as exc:
        print(f"readerapp: {exc}", file=sys.stderr)
        return exc.exit_code


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = _parse_app_launch(argv) or build_parser().parse_args(argv)
    diagnostics = Diagnostics(log_folder(args.home), debug=args.debug)
    diagnostics.start()
    log.debug("readerapp %s: %s", args.command or "app", " ".join(argv))
    with terminal_safe_output():  # remote text (titles, errors) never reaches the terminal raw
        try:
            return _run(args, diagnostics)
        except Exception as exc:  # a bug of ours: a report for us, a sentence for the user
            print(f"readerapp: {diagnostics.report(exc)}", file=sys.stderr)
            return 1
        finally:
            diagnostics.stop()


@contextmanager
def terminal_safe_output() -> Iterator[None]:
    """Everything printed to stdout and stderr meanwhile goes through ``terminal_safe``."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalSafeWriter(sys.stdout), TerminalSafeWriter(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def _load_pdf_engine_before_qt() -> None:
    """PyMuPDF, loaded ahead of Qt when a paper is what the window shows first.

    Loaded after PySide6, it is ~25 ms slower: PySide6's import hook reads the source of every
    module imported after it (to look for ``__feature__``), and PyMuPDF's are 3.6 MB. Measured
    with ``python -m benchmarks viewer`` (time to first page)."""
    import readerapp.pdf.document  # noqa: F401 (imported for its side effect: PyMuPDF loaded)


def _launch_gui(args: argparse.Namespace, diagnostics: Diagnostics) -> int:
    from readerapp.startup_collector import StartupCollectorPause

    collector_pause = StartupCollectorPause()  # until the window is ready
    try:
        # The library file is checked while Qt loads (SQLite reads without holding the GIL).
        early_check = start_library_check(args.home)
        if getattr(args, "files", None) or getattr(args, "open", None):
            _load_pdf_engine_before_qt()
        try:
            from readerapp.gui.launch import run_gui  # Qt only when the GUI is wanted
        except ImportError as exc:
            from readerapp.system_libraries import missing_library_sentence

            sentence = missing_library_sentence(exc)
            if sentence is None:
                raise
            log.error("Qt could not be loaded: %s", exc)
            print(f"readerapp: {sentence}", file=sys.stderr)
            return 1
        return run_gui(args, diagnostics, early_check, collector_pause)
    finally:
        collector_pause.end()


def _run(args: argparse.Namespace, diagnostics: Diagnostics) -> int:
    if args.command is None:
        return _launch_gui(args, diagnostics)
    if getattr(args, "without_library", False):  # backups, restore: the library may be damaged
        return _run_without_library(args)
    try:
        services = open_services(args.home)
    except UserError as exc:
        print(f"readerapp: {exc}", file=sys.stderr)
        return exc.exit_code
    try:
        code = int(args.handler(args, services) or 0)
        sys.stdout.flush()
        return code
    except UserError as exc:
        print(f"readerapp: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`readerapp list --json | head`): not an error of ours, and
        # Python must not complain again while flushing stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        services.close()
