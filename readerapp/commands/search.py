"""``readerapp search QUERY [--json]`` and ``readerapp search --rebuild``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from readerapp.app import Services
from readerapp.core.errors import BadInputError

if TYPE_CHECKING:  # the search service loads PyMuPDF: only when a command runs
    from readerapp.services.search import ItemResult, PdfTextSummary, SearchResults

SYNTAX_HELP = (
    'words are ANDed; "a phrase"; pre* for a prefix; a OR b; -word excludes; filters: '
    "author:NAME topic:PATH status:to-read|reading|read has:pdf|notes|highlights year:2023 "
    "(or 2020-2023, >2020); -filter negates"
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "search",
        help="search titles, authors, abstracts, notes, highlights and PDF text",
        description=f"Search the library. Syntax: {SYNTAX_HELP}.",
    )
    parser.add_argument("query", nargs="*", metavar="QUERY", help="what to look for")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--limit", type=int, default=50, help="at most this many items (50)")
    parser.add_argument(
        "--rebuild", action="store_true", help="rebuild the index and read every PDF again"
    )
    parser.set_defaults(handler=cmd_search)


def cmd_search(args: argparse.Namespace, services: Services) -> int:
    search = services.search
    if args.rebuild:
        summary = search.rebuild(_progress("Reading PDFs"))
        print(_summary_text(summary))
        if not args.query:
            return 0
    query = " ".join(args.query).strip()
    if not query:
        raise BadInputError("Say what to search for, e.g. `readerapp search induction heads`.")
    if args.limit < 1:
        raise BadInputError("--limit must be at least 1.")
    pending = search.pending()
    if pending:  # results should cover every PDF the library holds
        search.pdf_text.index_pending(_progress("Reading new PDFs"))
    results = search.search(query, limit=args.limit)
    if results.problems:
        raise BadInputError(" ".join(results.problems))
    if args.json:
        print(json.dumps(results_to_json(results), ensure_ascii=False, indent=2))
        return 0
    _print_results(results)
    return 0


def results_to_json(results: SearchResults) -> list[dict[str, Any]]:
    """One object per hit, grouped by item in rank order (the CLI contract)."""
    rows = []
    for rank, item in enumerate(results.items, 1):
        for hit in item.hits:
            rows.append(
                {
                    "item_id": item.item_id,
                    "title": item.title,
                    "authors": item.authors,
                    "year": item.year,
                    "rank": rank,
                    "field": hit.field,
                    "snippet": hit.text(),
                    "marked": hit.text("**", "**"),
                    "page": hit.page,
                    "annotation_id": hit.annotation_id,
                    "pdf_text": item.pdf_text,
                }
            )
    return rows


def _print_results(results: SearchResults) -> None:
    if not results.items:
        print(f"Nothing matches “{results.query}”.")
        return
    bold = sys.stdout.isatty()
    open_mark, close_mark = ("\x1b[1m", "\x1b[0m") if bold else ("[", "]")
    for item in results.items:
        print(_item_line(item))
        for hit in item.hits:
            if hit.field != "filters":  # a filter-only match has no text to show
                print(f"       {_where(hit.field, hit.page)}: {hit.text(open_mark, close_mark)}")
        if item.pdf_note:
            print(f"       ({item.pdf_note})")


def _item_line(item: ItemResult) -> str:
    year = f" {item.year}" if item.year else ""
    names = item.authors.split(", ") if item.authors else []
    shown = ", ".join(names[:3]) + (" et al." if len(names) > 3 else "")
    authors = f" - {shown}" if shown else ""
    return f"{item.item_id:>5}  {item.title}{authors}{year}"


def _where(field: str, page: int | None) -> str:
    if field == "pdf":
        return f"page {page}"
    if field in ("highlight", "comment") and page:
        return f"{field}, page {page}"
    return field


def _summary_text(summary: PdfTextSummary) -> str:
    parts = [f"Search index rebuilt; {summary.indexed} of {summary.pdfs} PDFs have searchable text"]
    if summary.no_text_layer:
        parts.append(f"{summary.no_text_layer} without a text layer (found by their details only)")
    if summary.unreadable:
        parts.append(f"{summary.unreadable} could not be read")
    return "; ".join(parts) + "."


def _progress(label: str):
    def report(done: int, total: int) -> None:
        if total >= 5 and (done == total or done % 25 == 0):
            print(f"{label}: {done}/{total}", file=sys.stderr)

    return report
