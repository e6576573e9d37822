"""``readerapp export``: the library (or one topic) as a Markdown reading list, BibTeX or a backup.

The Markdown has the shape the reader in ``core.reading_list`` understands, so exporting and
importing into an empty library gives the same topics, items and notes back.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from readerapp.core.arxiv_ids import ArxivId, is_arxiv_url
from readerapp.core.errors import BadInputError, UserError
from readerapp.core.models import EXPORT_FORMATS, Item, Status, Topic
from readerapp.storage.db import Database
from readerapp.storage.library import UNFILED, LibraryRepository

FORMATS = EXPORT_FORMATS  # opml: the feeds service (services/importexport)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


def export_text(db: Database, fmt: str, topic_path: str | None = None) -> str:
    """The export in ``fmt`` as text. Raises BadInputError for an unknown topic or format."""
    library = LibraryRepository(db)
    topic = _topic(library, topic_path)
    if fmt == "md":
        return export_markdown(library, topic)
    if fmt == "bibtex":
        from readerapp.storage.bibtex_io import export_bibtex

        return export_bibtex(library, topic)
    if fmt == "json":
        if topic is not None:
            raise BadInputError("A JSON backup always holds the whole library; leave out --topic.")
        from readerapp.storage.backup import export_backup

        return export_backup(db)
    raise BadInputError(f"Unknown export format “{fmt}”; use one of {', '.join(FORMATS)}.")


def write_export(text: str, target: Path) -> None:
    """Write atomically: a failed export never leaves half a file where a good one was."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
                out.write(text)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise UserError(f"Cannot write {target} ({exc.strerror or exc}).") from exc


def _topic(library: LibraryRepository, path: str | None) -> Topic | None:
    if not path:
        return None
    return library.require_topic(path)


# ---- Markdown -----------------------------------------------------------------------------------


def export_markdown(library: LibraryRepository, topic: Topic | None = None) -> str:
    """The library (or ``topic`` and its subtopics) as a Markdown reading list."""
    children: dict[int | None, list[Topic]] = {}
    for t in library.topics():
        children.setdefault(t.parent_id, []).append(t)
    highlights = _highlights(library)
    out: list[str] = []
    if topic is None:
        out.append("# Reading list\n")
        for item in library.items(UNFILED):
            out.append(_item_md(item, highlights.get(item.id, [])))
        roots = children.get(None, [])
    else:
        out.append(f"# {_escape(library.topic_path(topic.id))}\n")
        roots = [topic]

    def walk(t: Topic, names: list[str]) -> None:
        names = [*names, t.name]
        depth = len(names)
        if depth <= 5:
            out.append(f"{'#' * (depth + 1)} {_escape(t.name)}\n")
        else:  # Markdown stops at six levels: deeper topics carry their path below level five
            out.append(f"###### {' / '.join(_escape(n) for n in names[4:])}\n")
        for item in library.items(t.id):
            out.append(_item_md(item, highlights.get(item.id, [])))
        for child in children.get(t.id, []):
            walk(child, names)

    for root in roots:
        walk(root, [])
    return "\n".join(out).rstrip() + "\n"


def _item_md(item: Item, highlights: list[tuple[int, str, str]]) -> str:
    """One item as ``core.reading_list`` reads it back: its link (or its title in bold and a
    mark when it has none), arXiv id, year, authors and status, then its notes indented."""
    # The diary parser brings markdown-it; imported here so the command line's parser
    # (built at every launch) does not load it.
    from readerapp.core.reading_list import LINKLESS_MARKS, authors_after_by, split_names

    url = _item_url(item)
    if url:
        target = f"<{url}>" if re.search(r"[\s()<>]", url) else url
        line = f"- [{_escape(item.title)}]({target})"
    else:  # never an empty link: "[Title]()" reads as a broken link, not as the item
        mark = LINKLESS_MARKS[0] if item.has_pdf else LINKLESS_MARKS[1]
        line = f"- **{_escape(item.title)}** {mark}"
    if item.arxiv_id and not is_arxiv_url(url):
        line += f" (arXiv:{ArxivId(item.arxiv_id, item.version)})"
    if item.year:
        line += f" ({item.year})"
    if item.authors:
        names = item.authors
        joined = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        if authors_after_by(f"by {joined}") == (names, True):  # plain names read back as such
            line += f" by {_escape(joined)}"
        elif split_names(joined) == names and not re.search(r"[*_\\]", joined):
            line += f" by *{joined}*"  # "The readerapp authors": emphasis marks where they end
    if item.status != Status.TO_READ:  # the default needs no word
        line += f" · {item.status}"
    blocks = [line]
    if item.notes.strip():
        blocks.append(_indent(item.notes.strip()))
    for page, quote, comment in highlights:
        text = f"> **p. {page}** {' '.join(quote.split())}".rstrip()
        if comment.strip():
            text += "\n>\n" + "\n".join(f"> {ln}".rstrip() for ln in comment.strip().splitlines())
        blocks.append(_indent(text))
    return "\n\n".join(blocks) + "\n"


def _item_url(item: Item) -> str:
    if item.arxiv_id and (not item.url or is_arxiv_url(item.url)):
        return ArxivId(item.arxiv_id, item.version).abs_url()
    return item.url


def _indent(text: str) -> str:
    return "\n".join(f"  {ln}" if ln.strip() else "" for ln in text.splitlines())


def _escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _highlights(library: LibraryRepository) -> dict[int, list[tuple[int, str, str]]]:
    """Quotes and comments per item, from the annotations table once it exists."""
    conn = library.conn
    columns = {r[1] for r in conn.execute("PRAGMA table_info(annotations)")}
    if not {"item_id", "page", "quote", "comment"} <= columns:
        return {}
    found: dict[int, list[tuple[int, str, str]]] = {}
    rows = conn.execute(
        "SELECT item_id, page, quote, comment FROM annotations "
        "WHERE trim(quote) != '' OR trim(comment) != '' ORDER BY item_id, page, id"
    )
    for item_id, page, quote, comment in rows:
        found.setdefault(item_id, []).append((page, quote or "", comment or ""))
    return found
