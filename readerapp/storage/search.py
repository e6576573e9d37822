"""Searching the library: FTS5 over item details, highlights and PDF page text, grouped by item.

The indexes themselves are kept current by triggers (migration 5); this module turns a parsed
query into SQL, ranks with bm25, and groups hits by item with snippets. ``PdfTextIndex`` stores the
text of each PDF page (read by an extractor it is handed, so storage never imports the PDF layer).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from readerapp.core.errors import UserError
from readerapp.core.search_query import Filter, ParsedQuery, parse_query, plain_text_fts
from readerapp.storage.db import Database
from readerapp.storage.files import FileStore
from readerapp.storage.library import LibraryRepository

MARK_OPEN = "\x02"  # snippet markers: never present in indexed text (control chars are cleaned)
MARK_CLOSE = "\x03"
ELLIPSIS = "…"
SNIPPET_TOKENS = 14

# bm25 column weights: a title match outranks the same word deep in an abstract.
_ITEM_FIELDS = ("title", "authors", "abstract", "notes")
_ITEM_WEIGHTS = "10.0, 6.0, 2.0, 4.0"
_ANNOTATION_WEIGHTS = "3.0, 3.0"
_PAGE_FACTOR = 0.5  # a word on page 7 says less about a paper than the same word in its title
_HITS_PER_KIND = 3
_CANDIDATES = 300

PDF_TEXT_INDEXED = "indexed"
PDF_TEXT_NO_LAYER = "no-text-layer"
PDF_TEXT_PENDING = "pending"
PDF_TEXT_UNREADABLE = "unreadable"


@dataclass(frozen=True, slots=True)
class Hit:
    """Where an item matched: a field, a snippet (matches between MARK_OPEN/MARK_CLOSE)."""

    field: str  # title, authors, abstract, notes, highlight, comment, pdf, filters
    snippet: str
    score: float = 0.0
    page: int | None = None  # 1-based, for pdf and annotation hits
    annotation_id: int | None = None

    def text(self, open_mark: str = "", close_mark: str = "") -> str:
        """The snippet with its matches wrapped in the given marks (none by default)."""
        return self.snippet.replace(MARK_OPEN, open_mark).replace(MARK_CLOSE, close_mark)


@dataclass(slots=True)
class ItemResult:
    """One item in the results, with its best hits first."""

    item_id: int
    title: str
    authors: str
    year: int | None
    status: str
    has_pdf: bool
    score: float
    hits: list[Hit] = field(default_factory=list)
    pdf_text: str | None = None  # PDF_TEXT_* or None without a PDF

    @property
    def pdf_note(self) -> str | None:
        """A sentence when the PDF's own text is not part of the search."""
        if self.pdf_text == PDF_TEXT_NO_LAYER:
            return "This PDF has no text layer; it is found by its details and notes only."
        if self.pdf_text == PDF_TEXT_UNREADABLE:
            return "This PDF could not be read; it is found by its details and notes only."
        if self.pdf_text == PDF_TEXT_PENDING:
            return "This PDF's text is not indexed yet."
        return None


@dataclass(slots=True)
class SearchResults:
    query: str
    items: list[ItemResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # sentences about unusable filters
    plain_text: bool = False  # the query was read as plain words after an FTS5 error

    @property
    def hit_count(self) -> int:
        return sum(len(r.hits) for r in self.items)


class SearchIndex:
    """Runs queries against the FTS5 indexes of one database connection."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    def search(self, raw: str, *, limit: int = 50, prefix_last: bool = False) -> SearchResults:
        """Search for ``raw`` (any text); never raises for anything the user typed."""
        query = parse_query(raw, prefix_last=prefix_last)
        results = SearchResults(query=raw, problems=list(query.problems))
        if query.is_empty:
            return results
        try:
            where, args = self._filter_sql(query, results.problems)
        except sqlite3.OperationalError:
            where, args = "1", []
        if not query.has_text:
            results.items = self._filtered_only(where, args, limit)
            return results
        expression = query.fts()
        try:
            results.items = self._ranked(expression, where, args, limit)
        except sqlite3.OperationalError:
            # Cannot happen for a parsed query (every term is quoted); kept as the last guard.
            results.plain_text = True
            fallback = plain_text_fts(raw)
            try:
                results.items = self._ranked(fallback, where, args, limit) if fallback else []
            except sqlite3.OperationalError:
                results.items = []
        return results

    # ---- filters ------------------------------------------------------------------------------
    def _filter_sql(self, query: ParsedQuery, problems: list[str]) -> tuple[str, list[Any]]:
        """SQL over ``i`` (items) for the filters and exclusions: ANDed across keys."""
        parts = ["i.trashed IS NULL"]
        args: list[Any] = []
        by_key: dict[tuple[str, bool], list[Filter]] = {}
        for f in query.filters:
            by_key.setdefault((f.key, f.negated), []).append(f)
        for (key, negated), filters in by_key.items():
            if key == "author":  # every author named must be on the paper
                alternatives = [self._author_sql(f) for f in filters]
                joiner = " AND "
            else:  # topic:a topic:b is either topic; status/year likewise
                alternatives = [self._one_filter_sql(f, problems) for f in filters]
                joiner = " OR "
            sqls = [s for s, _ in alternatives]
            for _, a in alternatives:
                args.extend(a)
            clause = "(" + joiner.join(sqls) + ")"
            parts.append(f"NOT {clause}" if negated else clause)
        for term in query.excluded:
            parts.append("i.id NOT IN (SELECT rowid FROM search_items WHERE search_items MATCH ?)")
            args.append(term.fts())
        return " AND ".join(parts), args

    def _author_sql(self, f: Filter) -> tuple[str, list[Any]]:
        text = f.value.rstrip("*").strip()
        expression = "authors : " + '"' + text.replace('"', '""') + '"' + ("*" if f.prefix else "")
        return "i.id IN (SELECT rowid FROM search_items WHERE search_items MATCH ?)", [expression]

    def _one_filter_sql(self, f: Filter, problems: list[str]) -> tuple[str, list[Any]]:
        if f.key == "status":
            return "i.status = ?", [f.value]
        if f.key == "year":
            lo, hi = f.year_range or (None, None)
            return "(i.year >= coalesce(?, i.year) AND i.year <= coalesce(?, i.year))", [lo, hi]
        if f.key == "topic":
            ids = self._topic_ids(f.value, f.prefix)
            if not ids:
                if not f.prefix:
                    problems.append(
                        f"There is no topic “{f.value}”; `readerapp topics` lists them."
                    )
                return "0", []
            marks = ",".join("?" * len(ids))
            return (
                f"EXISTS (SELECT 1 FROM item_topics it WHERE it.item_id = i.id "
                f"AND it.topic_id IN ({marks}))",
                ids,
            )
        return _HAS_SQL[f.value], []

    def _topic_ids(self, value: str, prefix: bool) -> list[int]:
        """Topics named ``value`` (a path or a name anywhere in the tree) and their subtopics."""
        library = LibraryRepository(self.db)
        wanted = value.strip().strip("/").casefold()
        paths = library.topic_paths()
        roots = [
            tid
            for tid, path in paths.items()
            if path.casefold() == wanted or path.rsplit("/", 1)[-1].casefold() == wanted
        ]
        if not roots and prefix:
            roots = [
                tid
                for tid, path in paths.items()
                if path.rsplit("/", 1)[-1].casefold().startswith(wanted)
                or path.casefold().startswith(wanted)
            ]
        ids: set[int] = set()
        for tid in roots:
            ids.update(library.subtree_ids(tid))
        return sorted(ids)

    # ---- queries ------------------------------------------------------------------------------
    def _filtered_only(self, where: str, args: list[Any], limit: int) -> list[ItemResult]:
        rows = self.conn.execute(
            f"SELECT i.id FROM items i WHERE {where} ORDER BY i.added DESC, i.id DESC LIMIT ?",
            (*args, limit),
        ).fetchall()
        results = self._describe({r[0]: 0.0 for r in rows})
        for result in results:
            result.hits.append(Hit("filters", result.title))
        return results

    def _ranked(self, expression: str, where: str, args: list[Any], limit: int) -> list[ItemResult]:
        hits: dict[int, list[Hit]] = {}
        for item_id, hit in self._item_hits(expression, where, args):
            hits.setdefault(item_id, []).append(hit)
        for item_id, hit in self._annotation_hits(expression, where, args):
            hits.setdefault(item_id, []).append(hit)
        for item_id, hit in self._page_hits(expression, where, args):
            hits.setdefault(item_id, []).append(hit)
        scores: dict[int, float] = {}
        for item_id, item_hits in hits.items():
            item_hits.sort(key=lambda h: h.score)
            # The best hit decides; more places matching nudge an item up.
            scores[item_id] = item_hits[0].score + 0.1 * sum(h.score for h in item_hits[1:])
        best = sorted(scores, key=lambda i: (scores[i], i))[:limit]
        results = self._describe({i: scores[i] for i in best})
        for result in results:
            result.hits = hits[result.item_id]
        return results

    def _item_hits(self, expression: str, where: str, args: list[Any]) -> list[tuple[int, Hit]]:
        rows = self.conn.execute(
            f"SELECT s.rowid, bm25(search_items, {_ITEM_WEIGHTS}) AS score "
            f"FROM search_items s JOIN items i ON i.id = s.rowid "
            f"WHERE search_items MATCH ? AND {where} ORDER BY score LIMIT ?",
            (expression, *args, _CANDIDATES),
        ).fetchall()
        if not rows:
            return []
        scores = dict(rows)
        snippets = ", ".join(
            _snippet("search_items", n, SNIPPET_TOKENS) for n in range(len(_ITEM_FIELDS))
        )
        out: list[tuple[int, Hit]] = []
        for row in self._by_rowid("search_items", snippets, expression, list(scores)):
            rowid, texts = row[0], row[1:]
            for n, (name, text) in enumerate(zip(_ITEM_FIELDS, texts, strict=True)):
                if text and MARK_OPEN in text:
                    if name == "authors":
                        text = _unjson_authors(text)
                    # Later fields rank a little lower than the item's best field.
                    out.append((rowid, Hit(name, text, scores[rowid] * (1 - 0.05 * n))))
        return out

    def _annotation_hits(
        self, expression: str, where: str, args: list[Any]
    ) -> list[tuple[int, Hit]]:
        info = self._best_per_item(
            "search_annotations",
            "annotations a ON a.id = s.rowid JOIN items i ON i.id = a.item_id",
            f"a.item_id, a.page, bm25(search_annotations, {_ANNOTATION_WEIGHTS})",
            expression,
            where,
            args,
        )
        snippets = (
            f"{_snippet('search_annotations', 0, 24)}, {_snippet('search_annotations', 1, 24)}"
        )
        out: list[tuple[int, Hit]] = []
        for rowid, quote, comment in self._by_rowid(
            "search_annotations", snippets, expression, list(info)
        ):
            item_id, page, score = info[rowid]
            name, text = (
                ("highlight", quote) if quote and MARK_OPEN in quote else ("comment", comment)
            )
            if not text:
                text = quote or comment or ""
            out.append((item_id, Hit(name, text, score, page=page, annotation_id=rowid)))
        return out

    def _page_hits(self, expression: str, where: str, args: list[Any]) -> list[tuple[int, Hit]]:
        info = self._best_per_item(
            "search_pages",
            "pdf_pages p ON p.id = s.rowid JOIN items i ON i.id = p.item_id",
            f"p.item_id, p.page, bm25(search_pages) * {_PAGE_FACTOR}",
            expression,
            where,
            args,
        )
        snippet = _snippet("search_pages", 0, SNIPPET_TOKENS)
        out: list[tuple[int, Hit]] = []
        for rowid, text in self._by_rowid("search_pages", snippet, expression, list(info)):
            item_id, page, score = info[rowid]
            out.append((item_id, Hit("pdf", " ".join(text.split()), score, page=page)))
        return out

    def _best_per_item(
        self, table: str, join: str, columns: str, expression: str, where: str, args: list[Any]
    ) -> dict[int, tuple[int, int, float]]:
        """rowid -> (item id, page, score) for the best few matches of each item.

        ``columns`` selects item id, page and score (last), in that order.
        """
        rows = self.conn.execute(
            f"SELECT s.rowid, {columns} AS score FROM {table} s JOIN {join} "
            f"WHERE {table} MATCH ? AND {where} ORDER BY score LIMIT ?",
            (expression, *args, _CANDIDATES),
        ).fetchall()
        counts: dict[int, int] = {}
        kept: dict[int, tuple[int, int, float]] = {}
        for rowid, item_id, page, score in rows:
            n = counts.get(item_id, 0)
            if n < _HITS_PER_KIND:
                kept[rowid] = (item_id, page, score)
                counts[item_id] = n + 1
        return kept

    def _by_rowid(
        self, table: str, columns: str, expression: str, rowids: Sequence[int]
    ) -> list[tuple[Any, ...]]:
        """Snippets only for the rows kept: computing them for every match would be the cost."""
        marks = ",".join("?" * len(rowids))
        return self.conn.execute(
            f"SELECT rowid, {columns} FROM {table} WHERE {table} MATCH ? AND rowid IN ({marks})",
            (expression, *rowids),
        ).fetchall()

    def _describe(self, scores: dict[int, float]) -> list[ItemResult]:
        if not scores:
            return []
        marks = ",".join("?" * len(scores))
        rows = self.conn.execute(
            f"SELECT i.id, i.title, i.authors, i.year, i.status, i.pdf_path, st.pdf_path, "
            f"st.text_pages, st.error FROM items i "
            f"LEFT JOIN pdf_text_state st ON st.item_id = i.id WHERE i.id IN ({marks})",
            list(scores),
        ).fetchall()
        results = []
        for item_id, title, authors, year, status, pdf, read_path, text_pages, error in rows:
            results.append(
                ItemResult(
                    item_id=item_id,
                    title=title,
                    authors=_authors_text(authors),
                    year=year,
                    status=status,
                    has_pdf=bool(pdf),
                    score=scores[item_id],
                    pdf_text=_pdf_text_status(pdf, read_path, text_pages, error),
                )
            )
        order = list(scores)
        results.sort(key=lambda r: order.index(r.item_id))
        return results


def _snippet(table: str, column: int, tokens: int) -> str:
    return f"snippet({table}, {column}, '{MARK_OPEN}', '{MARK_CLOSE}', '{ELLIPSIS}', {tokens})"


def _pdf_text_status(
    pdf: str | None, read_path: str | None, text_pages: int | None, error: str | None
) -> str | None:
    if not pdf:
        return None
    if read_path != pdf:
        return PDF_TEXT_PENDING
    if error:
        return PDF_TEXT_UNREADABLE
    return PDF_TEXT_INDEXED if text_pages else PDF_TEXT_NO_LAYER


def _unjson_authors(snippet: str) -> str:
    """An authors snippet as "A, B" rather than the stored JSON '["A", "B"]'."""
    return snippet.replace('", "', ", ").replace('["', "").replace('"]', "").strip('[]"')


def _authors_text(raw: str) -> str:
    try:
        return ", ".join(str(a) for a in json.loads(raw))
    except (ValueError, TypeError):
        return raw or ""


_HAS_SQL = {
    "pdf": "i.pdf_path IS NOT NULL",
    "notes": "length(trim(i.notes)) > 0",
    "abstract": "length(trim(i.abstract)) > 0",
    "annotations": "EXISTS (SELECT 1 FROM annotations a WHERE a.item_id = i.id)",
    "text": "EXISTS (SELECT 1 FROM pdf_pages p WHERE p.item_id = i.id)",
    "new-version": "i.latest_version > i.version",
}


# ---- PDF page text ----------------------------------------------------------------------------
Extractor = Callable[[Path], list[str]]  # page texts, first page first; raises on a bad file


@dataclass(frozen=True, slots=True)
class IndexOutcome:
    item_id: int
    status: str  # PDF_TEXT_*; "gone" when the item or its file vanished meanwhile
    pages: int = 0
    text_pages: int = 0
    error: str | None = None


@dataclass(frozen=True, slots=True)
class PdfTextSummary:
    pdfs: int
    indexed: int
    no_text_layer: int
    unreadable: int
    pending: int


class PdfTextIndex:
    """Stores each PDF's page text for search; knows which PDFs still need reading."""

    def __init__(self, db: Database, files: FileStore, extract: Extractor) -> None:
        self.db = db
        self.files = files
        self.extract = extract

    def pending(self) -> list[int]:
        """Items whose PDF has not been read, or whose file changed since it was read."""
        rows = self.db.conn.execute(
            "SELECT i.id, i.pdf_path, st.pdf_path, st.size, st.mtime_ns FROM items i "
            "LEFT JOIN pdf_text_state st ON st.item_id = i.id "
            "WHERE i.pdf_path IS NOT NULL ORDER BY i.trashed IS NOT NULL, i.id DESC"
        ).fetchall()
        out = []
        for item_id, pdf, read_path, size, mtime_ns in rows:
            if read_path != pdf:
                out.append(item_id)
                continue
            stamp = self._stamp(pdf)
            if stamp is not None and stamp != (size, mtime_ns):
                out.append(item_id)
        return out

    def index_item(self, item_id: int) -> IndexOutcome:
        """Read the item's PDF now and store its pages (replacing any older text)."""
        row = self.db.conn.execute("SELECT pdf_path FROM items WHERE id = ?", (item_id,)).fetchone()
        if row is None or not row[0]:
            return IndexOutcome(item_id, "gone")
        pdf = row[0]
        stamp = self._stamp(pdf)
        if stamp is None:
            return IndexOutcome(item_id, "gone")
        pages: list[str] = []
        error = None
        try:
            pages = self.extract(self.files.absolute(pdf))
        except UserError as exc:
            error = str(exc)
        except Exception as exc:  # a broken file must never stop indexing the others
            error = f"readerapp could not read the text of this PDF ({exc})."
        return self._store(item_id, pdf, stamp, pages, error)

    def index_pending(self, progress: Callable[[int, int], None] | None = None) -> int:
        todo = self.pending()
        for n, item_id in enumerate(todo, 1):
            self.index_item(item_id)
            if progress:
                progress(n, len(todo))
        return len(todo)

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> PdfTextSummary:
        """Rebuild every search index from the library and read every PDF again."""
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM pdf_pages")
            conn.execute("DELETE FROM pdf_text_state")
            conn.execute("INSERT INTO search_items(search_items) VALUES ('rebuild')")
            conn.execute("INSERT INTO search_pages(search_pages) VALUES ('rebuild')")
            conn.execute("INSERT INTO search_annotations(search_annotations) VALUES ('rebuild')")
        self.index_pending(progress)
        return self.summary()

    def summary(self) -> PdfTextSummary:
        rows = self.db.conn.execute(
            "SELECT i.pdf_path, st.pdf_path, st.text_pages, st.error FROM items i "
            "LEFT JOIN pdf_text_state st ON st.item_id = i.id "
            "WHERE i.pdf_path IS NOT NULL AND i.trashed IS NULL"
        ).fetchall()
        states = [_pdf_text_status(*r) for r in rows]
        return PdfTextSummary(
            pdfs=len(states),
            indexed=states.count(PDF_TEXT_INDEXED),
            no_text_layer=states.count(PDF_TEXT_NO_LAYER),
            unreadable=states.count(PDF_TEXT_UNREADABLE),
            pending=states.count(PDF_TEXT_PENDING),
        )

    def status(self, item_id: int) -> str | None:
        """PDF_TEXT_* for one item (None without a PDF)."""
        row = self.db.conn.execute(
            "SELECT i.pdf_path, st.pdf_path, st.text_pages, st.error FROM items i "
            "LEFT JOIN pdf_text_state st ON st.item_id = i.id WHERE i.id = ?",
            (item_id,),
        ).fetchone()
        return _pdf_text_status(*row) if row else None

    def _stamp(self, pdf: str) -> tuple[int, int] | None:
        try:
            st = os.stat(self.files.absolute(pdf))
        except OSError:
            return None
        return st.st_size, st.st_mtime_ns

    def _store(
        self,
        item_id: int,
        pdf: str,
        stamp: tuple[int, int],
        pages: list[str],
        error: str | None,
    ) -> IndexOutcome:
        rows = [(item_id, n, text) for n, text in enumerate(pages, 1) if text.strip()]
        with self.db.transaction() as conn:
            current = conn.execute("SELECT pdf_path FROM items WHERE id = ?", (item_id,)).fetchone()
            if current is None or current[0] != pdf:
                return IndexOutcome(item_id, "gone")  # another file arrived while we read
            conn.execute("DELETE FROM pdf_pages WHERE item_id = ?", (item_id,))
            conn.executemany("INSERT INTO pdf_pages(item_id, page, text) VALUES (?, ?, ?)", rows)
            conn.execute(
                "INSERT OR REPLACE INTO pdf_text_state"
                "(item_id, pdf_path, size, mtime_ns, pages, text_pages, error) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (item_id, pdf, stamp[0], stamp[1], len(pages), len(rows), error),
            )
        status = _pdf_text_status(pdf, pdf, len(rows), error)
        return IndexOutcome(item_id, status or PDF_TEXT_PENDING, len(pages), len(rows), error)
