"""Bringing outside items into the library without duplicates: the one merge rule for every import.

An incoming item is the library's item when it has the same versionless arXiv id, or a URL with
the same key (``core.links.url_key``). Merging fills what the library lacks and never overwrites
what the user has: empty fields are filled, a title is only ever replaced when the library's is an
id placeholder ("arXiv:2201.11990"), notes that say something new are added once as a block of
their own (never raw table rows or HTML), the item is filed under the incoming topics as well.
Importing the same thing twice therefore changes nothing.

Into a non-empty library, topics the file brings at its root go under one topic named after the
file, so an import never scatters a dozen new topics beside the user's own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from readerapp.core.links import url_key
from readerapp.storage.library import LibraryRepository

# Fields an import may fill when the library's value is empty.
_FILLABLE = (
    "authors",
    "year",
    "venue",
    "url",
    "version",
    "abstract",
    "doi",
    "categories",
    "primary_category",
    "published",
    "updated",
    "journal_ref",
    "comment",
)


@dataclass(slots=True)
class TopicTally:
    created: int = 0
    existing: int = 0


def title_key(title: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", title.casefold()).strip()


def library_is_empty(library: LibraryRepository) -> bool:
    conn = library.conn
    return not (
        conn.execute("SELECT 1 FROM topics LIMIT 1").fetchone()
        or conn.execute("SELECT 1 FROM items WHERE trashed IS NULL LIMIT 1").fetchone()
    )


def group_topic_name(source: str) -> str:
    """The topic an import's new root topics go under: the file's name without its suffix."""
    stem = source.rsplit("/", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem.strip(".") else stem
    return stem.replace("/", "∕").strip() or "Imported"


class TopicMapper:
    """Topic paths to ids, creating missing levels and counting what it created.

    With ``group``, a path whose first name is not a topic at the library's root is placed under
    the topic ``group`` (created when first needed).
    """

    def __init__(self, library: LibraryRepository, group: str | None = None) -> None:
        self.library = library
        self.group = group
        self.grouped = False  # whether any topic went under the group
        self.tally = TopicTally()
        self._ids: dict[tuple[str, ...], int] = {}

    def _placed(self, path: tuple[str, ...]) -> tuple[str, ...]:
        if not self.group or not path or path[0] == self.group:
            return path
        if self.library.find_topic(path[0]) is not None:
            return path
        self.grouped = True
        return (self.group, *path)

    def ensure(self, path: tuple[str, ...]) -> int:
        path = self._placed(path)
        if path in self._ids:
            return self._ids[path]
        parent: int | None = None
        for depth in range(1, len(path) + 1):
            prefix = path[:depth]
            if prefix in self._ids:
                parent = self._ids[prefix]
                continue
            found = self.library.find_topic("/".join(prefix))
            if found is None:
                found = self.library.create_topic(prefix[-1], parent)
                self.tally.created += 1
            else:
                self.tally.existing += 1
            self._ids[prefix] = parent = found.id
        assert parent is not None
        return parent


class ItemMerger:
    """Finds an incoming item's match in the library (trashed items too) and creates or merges."""

    def __init__(self, library: LibraryRepository, source: str = "") -> None:
        self.library = library
        self.source = source  # names the block of notes an import adds to an item
        self.by_arxiv: dict[str, int] = {}
        self.by_url: dict[str, int] = {}
        self.by_title: dict[str, int] = {}  # arXiv papers only: for malformed arXiv links
        self.keyless: dict[str, int] = {}  # items with neither arXiv id nor URL, by title
        self.trashed: set[int] = set()
        rows = library.conn.execute(
            "SELECT id, arxiv_id, url, title, trashed FROM items ORDER BY id"
        )
        for item_id, arxiv_id, url, title, trashed in rows:
            self._index(item_id, arxiv_id, url, title)
            if trashed:
                self.trashed.add(item_id)
        self.created: list[int] = []
        self.merged = 0
        self.unchanged = 0
        self.restored: list[int] = []

    def _index(self, item_id: int, arxiv_id: str | None, url: str, title: str) -> None:
        if arxiv_id:
            self.by_arxiv.setdefault(arxiv_id, item_id)
            self.by_title.setdefault(title_key(title), item_id)
        if url:
            self.by_url.setdefault(url_key(url), item_id)
        if not arxiv_id and not url:
            self.keyless.setdefault(title_key(title), item_id)

    def find(
        self, arxiv_id: str | None, url: str, title: str = "", by_title: bool = False
    ) -> int | None:
        if arxiv_id and arxiv_id in self.by_arxiv:
            return self.by_arxiv[arxiv_id]
        if url and url_key(url) in self.by_url:
            return self.by_url[url_key(url)]
        if by_title and title:
            return self.by_title.get(title_key(title))
        if not arxiv_id and not url:  # nothing else identifies it (a local PDF, a book)
            return self.keyless.get(title_key(title))
        return None

    def upsert(
        self,
        fields: dict[str, Any],
        topic_ids: list[int],
        *,
        title_is_guess: bool = False,
        match_title: bool = False,
    ) -> tuple[int, str]:
        """Create or merge one item; returns (item id, 'created' | 'merged' | 'unchanged')."""
        title = fields.get("title", "")
        found = self.find(fields.get("arxiv_id"), fields.get("url", ""), title, match_title)
        if found is None:
            data = {k: v for k, v in fields.items() if k != "title" and v not in (None, "", [])}
            item = self.library.add_item(title or "Untitled", topic_ids, **data)
            self._index(item.id, item.arxiv_id, item.url, item.title)
            self.created.append(item.id)
            return item.id, "created"
        changed = self._merge_into(found, fields, title_is_guess)
        if found in self.trashed:
            self.library.restore_items([found])
            self.trashed.discard(found)
            self.restored.append(found)
            changed = True
        filed = set(self.library.item_topic_ids(found))
        new_topics = [t for t in topic_ids if t not in filed]
        for topic_id in new_topics:
            self.library.file_items([found], topic_id)
        outcome = "merged" if changed or new_topics else "unchanged"
        if outcome == "merged":
            self.merged += 1
        else:
            self.unchanged += 1
        return found, outcome

    def _merge_into(self, item_id: int, fields: dict[str, Any], title_is_guess: bool) -> bool:
        row = self.library.conn.execute(
            "SELECT title, arxiv_id, notes FROM items WHERE id = ?", (item_id,)
        ).fetchone()
        current_title, current_arxiv, current_notes = row
        current = self._current(item_id)
        updates: dict[str, Any] = {}
        for name in _FILLABLE:
            value = fields.get(name)
            if value not in (None, "", []) and current.get(name) in (None, "", []):
                updates[name] = value
        incoming_arxiv = fields.get("arxiv_id")
        if incoming_arxiv and not current_arxiv and incoming_arxiv not in self.by_arxiv:
            updates["arxiv_id"] = incoming_arxiv
            self.by_arxiv[incoming_arxiv] = item_id
        title = fields.get("title", "")
        if (
            title
            and not title_is_guess
            and is_placeholder_title(current_title)
            and not is_placeholder_title(title)
        ):
            updates["title"] = title
        notes = notes_to_add(current_notes, fields.get("notes") or "", self.source)
        if notes != current_notes:
            updates["notes"] = notes
        if updates:
            self.library.update_item(item_id, **updates)
        return bool(updates)

    def _current(self, item_id: int) -> dict[str, Any]:
        row = self.library.conn.execute(
            f"SELECT {', '.join(_FILLABLE)} FROM items WHERE id = ?", (item_id,)
        ).fetchone()
        current = dict(zip(_FILLABLE, row, strict=True))
        for name in ("authors", "categories"):
            current[name] = [] if current[name] in ("[]", "", None) else current[name]
        return current


def is_placeholder_title(title: str) -> bool:
    """A title that only names the item's id (set until arXiv's metadata arrives)."""
    return not title.strip() or title.strip().lower().startswith("arxiv:")


_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_FENCE = re.compile(r"^\s*(```|~~~)")
_LINK = re.compile(r"\]\([^)]*\)|https?://")


def _in_code(lines: list[str]) -> Iterator[tuple[str, bool]]:
    """Each line, and whether it belongs to a fenced code block (its fences included)."""
    fence: str | None = None  # the fence the open code block began with
    for line in lines:
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            yield line, True
        elif opened := _FENCE.match(line):
            fence = opened.group(1)
            yield line, True
        else:
            yield line, False


def clean_imported_notes(text: str) -> str:
    """Imported notes as Markdown: what the user wrote, without the noise of awesome-lists.

    Fenced code stays exactly as written. A table stays unless it lists links (a list's table of
    papers: those rows are items, read as such). Elsewhere HTML tags (badges) and runs of
    padding go, and blank lines come one at a time.
    """
    out: list[str] = []
    table: list[str] = []

    def end_table() -> None:
        if table and not any(_LINK.search(row) for row in table):
            out.extend(table)
        table.clear()

    for line, code in _in_code(text.replace("\r\n", "\n").split("\n")):
        if not code and (_TABLE_ROW.match(line) or _TABLE_RULE.match(line)):
            table.append(line)
            continue
        end_table()
        if code:
            out.append(line)
            continue
        line = _HTML_TAG.sub(" ", line)
        indent = len(line) - len(line.lstrip(" "))
        line = " " * indent + re.sub(r"[ \t]{2,}", " ", line.strip())
        if line.strip() or (out and out[-1].strip()):
            out.append(line.rstrip())
    end_table()
    return "\n".join(out).strip()


def _blocks(text: str) -> list[str]:
    """``text``'s paragraphs (split at blank lines), a fenced code block always one of them."""
    blocks: list[str] = []
    current: list[str] = []
    for line, code in _in_code(text.split("\n")):
        if code or line.strip():
            current.append(line)
        elif current:
            blocks.append("\n".join(current))
            current = []
    if current:
        blocks.append("\n".join(current))
    return blocks


def _said(text: str) -> str:
    """What a paragraph says, for comparing: words only, case and Markdown marks ignored."""
    return " ".join(re.sub(r"[*_`>#|~\[\]()]+", " ", text).casefold().split())


def notes_to_add(current: str, incoming: str, source: str = "") -> str:
    """The item's notes after an import: the current ones, plus what the import says that is new.

    New paragraphs go in one block of their own (headed by where they came from when the item
    had notes already); paragraphs the notes already say are not repeated, so a re-import adds
    nothing.
    """
    incoming = clean_imported_notes(incoming)
    have = _said(current)
    fresh = []
    for block in _blocks(incoming):
        said = _said(block)
        # A block without words (a rule, a table of numbers) is new when its text is.
        new = said not in have if said else block.strip() not in current
        if new and block.strip() not in fresh:
            fresh.append(block.strip())
    if not any(_said(block) for block in fresh):  # only rules and such: nothing to add
        return current
    block = "\n\n".join(fresh)
    if not current.strip():
        return block
    head = f"*Imported from {source}:*\n\n" if source else ""
    return f"{current.rstrip()}\n\n{head}{block}"
