"""`readerapp annotations X` (Markdown or JSON) and `readerapp export-pdf X OUT.pdf`."""

from __future__ import annotations

import argparse
import json

from readerapp.app import Services
from readerapp.core.arxiv_ids import parse_arxiv_id
from readerapp.core.errors import BadInputError, UserError
from readerapp.core.models import Item


def register(subparsers: argparse._SubParsersAction) -> None:
    ann = subparsers.add_parser("annotations", help="an item's highlights and notes")
    ann.add_argument("item", metavar="X", help="item id or arXiv id")
    ann.add_argument("--format", choices=("md", "json"), default="md", help="output format")
    ann.add_argument(
        "--group",
        choices=("colour", "color", "page"),
        default="colour",
        help="with --format md: group by colour meaning (default) or by page",
    )
    ann.set_defaults(handler=cmd_annotations)

    exp = subparsers.add_parser(
        "export-pdf", help="a copy of the PDF with the highlights written in"
    )
    exp.add_argument("item", metavar="X", help="item id or arXiv id")
    exp.add_argument("out", metavar="OUT.pdf", help="where to write the annotated copy")
    exp.set_defaults(handler=cmd_export_pdf)


def resolve_item(services: Services, text: str) -> Item:
    """An item by its id or its arXiv id (any form: 2304.15004, arXiv:..., an arXiv URL)."""
    text = text.strip()
    if text.isdigit():
        item = services.library.item(int(text))
        if item is None:
            raise BadInputError(f"There is no item {text}; `readerapp list` shows the ids.")
        return item
    parsed = parse_arxiv_id(text)
    if parsed is None:
        raise BadInputError(f"“{text}” is neither an item id nor an arXiv id.")
    item = services.library.find_by_arxiv_id(parsed.id)
    if item is None:
        raise BadInputError(
            f"arXiv:{parsed.id} is not in the library; add it with `readerapp add`."
        )
    return item


def cmd_annotations(args: argparse.Namespace, services: Services) -> int:
    item = resolve_item(services, args.item)
    service = services.annotations
    if item.has_pdf:
        try:
            service.import_from_pdf(item.id)  # the CLI sees what the app would after opening it
        except UserError:
            pass  # an unreadable PDF: still list what the library holds
    if args.format == "json":
        print(json.dumps(service.to_json(item.id), ensure_ascii=False, indent=2))
    else:
        print(service.to_markdown(item.id, "page" if args.group == "page" else "colour"))
    return 0


def cmd_export_pdf(args: argparse.Namespace, services: Services) -> int:
    item = resolve_item(services, args.item)
    if not args.out.lower().endswith(".pdf"):
        raise BadInputError(f"{args.out} does not end in .pdf; name the copy something.pdf.")
    service = services.annotations
    try:
        service.import_from_pdf(item.id)
    except UserError:
        pass  # export_pdf says what is wrong with the file
    count = service.export_pdf(item.id, args.out)
    detached = sum(1 for a in service.annotations(item.id) if a.detached)
    note = (
        f" ({detached} detached ones have no place on a page and were left out)" if detached else ""
    )
    print(f"Wrote {args.out} with {count} annotation{'s' if count != 1 else ''}{note}.")
    return 0
