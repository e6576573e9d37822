"""Searching the library: FTS5 over item details, highlights and PDF page text, grouped by item.

The indexes themselves are kept current by triggers (migration 5); this module turns a parsed
query into SQL, ranks with bm25, and groups hits by item with snippets. The PDF page text itself
is stored by ``readerapp.storage.pdf_text``.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from readerapp.core.search_query import Filter, ParsedQuery, parse_query, plain_text_fts
from readerapp.storage.db import Database
from readerapp.storage.library import LibraryRepository
from readerapp.storage.pdf_text import (
    PDF_TEXT_NO_LAYER,
    PDF_TEXT_PENDING,
    PDF_TEXT_UNREADABLE,
    pdf_text_status,
)

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
# bm25 costs a few microseconds per matching row, so a word found on every page of a big library
# cannot be ranked everywhere within a keystroke. Only the newest RANK_WINDOW matching rows of
# each index are ranked (all of them for any word that is not that common); title and author
# matches are looked up on their own so a broad word still finds the papers it names.
RANK_WINDOW = 1000  # rows of item details and highlights
RANK_WINDOW_PAGES = 500  # PDF pages: the newest 25 or so papers' worth of a very common word

_BASE_WHERE = "i.trashed IS NULL"


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


class SearchIndex:
    """Runs queries against the FTS5 indexes of one database connection."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    def rebuild(self) -> None:
        """Rebuild the FTS5 indexes from their content tables (repairs any damage)."""
        with self.db.transaction() as conn:
            for table in ("search_items", "search_pages", "search_annotations"):
                conn.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")

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
            loose = query.fts(loose=True)
            results.items = self._ranked(expression, loose, query.words(), where, args, limit)
        except sqlite3.OperationalError:
            # Cannot happen for a parsed query (every term is quoted); kept as the last guard.
            results.plain_text = True
            fallback = plain_text_fts(raw)
            try:
                words = re.findall(r"\w+", raw)
                results.items = (
                    self._ranked(fallback, fallback, words, where, args, limit) if fallback else []
                )
            except sqlite3.OperationalError:
                results.items = []
        return results

    # ---- filters ------------------------------------------------------------------------------
    def _filter_sql(self, query: ParsedQuery, problems: list[str]) -> tuple[str, list[Any]]:
        """SQL over ``i`` (items) for the filters and exclusions: ANDed across keys."""
        parts = [_BASE_WHERE]
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

    def _ranked(
        self,
        expression: str,
        loose: str,
        words: list[str],
        where: str,
        args: list[Any],
        limit: int,
    ) -> list[ItemResult]:
        filtered = where != _BASE_WHERE
        if filtered:
            self._materialize_filter(where, args)
        wanted = max(limit * 2, 60)
        items, broad = self._candidates(_ITEMS, expression, filtered, wanted, loose)
        if broad:  # not every match was ranked: make sure the titles and authors that match are
            named = "{title authors} : (" + expression + ")"
            named_loose = "{title authors} : (" + loose + ")"
            items += self._candidates(_ITEMS, named, filtered, wanted, named_loose)[0]
        notes = self._candidates(_ANNOTATIONS, expression, filtered, wanted)[0]
        pages = _best_per_item(self._candidates(_PAGES, expression, filtered, wanted * 3, loose)[0])
        scores: dict[int, list[float]] = {}
        item_score: dict[int, float] = {}
        for c in items:
            item_score[c.item_id] = min(c.score, item_score.get(c.item_id, 0.0))
        for item_id, score in item_score.items():
            scores.setdefault(item_id, []).append(score)
        for c in [*_best_per_item(notes), *pages]:
            scores.setdefault(c.item_id, []).append(c.score)
        totals = {}
        for item_id, values in scores.items():
            values.sort()
            # The best place decides; more places matching nudge an item up.
            totals[item_id] = values[0] + 0.1 * sum(values[1:])
        best = sorted(totals, key=lambda i: (totals[i], -i))[:limit]
        chosen = set(best)
        hits: dict[int, list[Hit]] = {i: [] for i in best}
        item_scores = {i: s for i, s in item_score.items() if i in chosen}
        self._item_snippets(expression, words, item_scores, hits)
        self._annotation_snippets(expression, [c for c in notes if c.item_id in chosen], hits)
        self._page_snippets(expression, words, [c for c in pages if c.item_id in chosen], hits)
        results = self._describe({i: totals[i] for i in best})
        for result in results:
            result.hits = sorted(hits[result.item_id], key=lambda h: h.score)
        return results

    def _materialize_filter(self, where: str, args: list[Any]) -> None:
        """Evaluate the filters once into temp tables (this connection's own): the items that
        pass and their PDF pages. Ranking then checks one membership per matching row instead
        of looking up each row's item and re-running topic or author subqueries."""
        conn = self.conn
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS search_filter(item_id INTEGER PRIMARY KEY)")
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS search_filter_pages(id INTEGER PRIMARY KEY)")
        conn.execute("DELETE FROM temp.search_filter")
        conn.execute("DELETE FROM temp.search_filter_pages")
        conn.execute(f"INSERT INTO temp.search_filter SELECT i.id FROM items i WHERE {where}", args)
        conn.execute(
            "INSERT INTO temp.search_filter_pages SELECT p.id FROM temp.search_filter f "
            "JOIN pdf_pages p ON p.item_id = f.item_id"
        )

    def _candidates(
        self,
        table: _Table,
        expression: str,
        filtered: bool,
        count: int,
        loose: str | None = None,
    ) -> tuple[list[_Candidate], bool]:
        """The best ``count`` matching rows of ``table`` within the ranked window, best first;
        and whether there were more matches than the window ranks.

        bm25 first counts every row matching each phrase in the whole index; for a phrase of
        common words that means checking word positions on nearly every page. So the rows that
        match a phrase are ranked by bm25 of its ``loose`` (unordered) words instead.
        """
        source = f"FROM {table.fts} s WHERE {table.fts} MATCH ?"
        if filtered:  # rows of the items that passed the filters (see _materialize_filter)
            source += f" AND +s.rowid IN ({table.passed})"  # "+": one pass, not one per id
        params: tuple[Any, ...] = (expression,)  # trashed items are dropped afterwards
        newest = [
            r[0]
            for r in self.conn.execute(
                f"SELECT s.rowid {source} ORDER BY s.rowid DESC LIMIT ?", (*params, table.window)
            )
        ]
        if not newest:
            return [], False
        broad = len(newest) == table.window
        window = f" AND s.rowid >= {int(newest[-1])}" if broad else ""
        if loose and loose != expression:
            rows = self.conn.execute(
                f"SELECT s.rowid, {table.score} AS score {source}{window} "
                "AND +s.rowid IN (SELECT value FROM json_each(?)) ORDER BY score LIMIT ?",
                (loose, *params[1:], json.dumps(newest), count),
            ).fetchall()
        else:
            rows = self.conn.execute(
                f"SELECT s.rowid, {table.score} AS score {source}{window} ORDER BY score LIMIT ?",
                (*params, count),
            ).fetchall()
        if not rows:
            return [], broad
        score = dict(rows)
        marks = ",".join("?" * len(score))
        placed = self.conn.execute(
            f"SELECT {table.key}, {table.item}, {table.page} FROM {table.content} "
            # "+" keeps SQLite from walking the trashed index instead of the ids given
            f"WHERE {table.key} IN ({marks}) AND +i.trashed IS NULL",
            list(score),
        ).fetchall()
        out = [_Candidate(rowid, item_id, page, score[rowid]) for rowid, item_id, page in placed]
        out.sort(key=lambda c: c.score)
        return out, broad

    def _item_snippets(
        self,
        expression: str,
        words: list[str],
        scores: dict[int, float],
        hits: dict[int, list[Hit]],
    ) -> None:
        """Which fields matched, with snippets cut in Python; FTS5's snippet() only for an item
        whose match the regex cannot see (accents folded, an unusual stem)."""
        if not scores:
            return
        pattern = match_pattern(words)
        marks = ",".join("?" * len(scores))
        rows = self.conn.execute(
            f"SELECT id, title, authors, abstract, notes FROM items WHERE id IN ({marks})",
            list(scores),
        ).fetchall()
        missing = []
        for item_id, title, authors, abstract, notes in rows:
            texts = (title, _authors_text(authors), " ".join(abstract.split()), notes)
            found = False
            for n, (name, text) in enumerate(zip(_ITEM_FIELDS, texts, strict=True)):
                width = max(len(text), 1) if n < 2 else 160  # titles and authors whole
                snippet = cut_snippet(text, pattern, width) if pattern and text else None
                if snippet is not None:
                    found = True
                    # Later fields rank a little lower than the item's best field.
                    hits[item_id].append(Hit(name, snippet, scores[item_id] * (1 - 0.05 * n)))
            if not found:
                missing.append(item_id)
        if not missing:
            return
        columns = ", ".join(
            _snippet("search_items", n, SNIPPET_TOKENS) for n in range(len(_ITEM_FIELDS))
        )
        for row in self._by_rowid("search_items", columns, expression, missing):
            rowid, texts = row[0], row[1:]
            for n, (name, text) in enumerate(zip(_ITEM_FIELDS, texts, strict=True)):
                if text and MARK_OPEN in text:
                    if name == "authors":
                        text = _unjson_authors(text)
                    hits[rowid].append(Hit(name, text, scores[rowid] * (1 - 0.05 * n)))

    def _annotation_snippets(
        self, expression: str, found: list[_Candidate], hits: dict[int, list[Hit]]
    ) -> None:
        if not found:
            return
        by_rowid = {c.rowid: c for c in found}
        columns = (
            f"{_snippet('search_annotations', 0, 24)}, {_snippet('search_annotations', 1, 24)}"
        )
        for rowid, quote, comment in self._by_rowid(
            "search_annotations", columns, expression, list(by_rowid)
        ):
            c = by_rowid[rowid]
            name, text = (
                ("highlight", quote) if MARK_OPEN in (quote or "") else ("comment", comment)
            )
            hit = Hit(name, text or quote or "", c.score, page=c.page, annotation_id=rowid)
            hits[c.item_id].append(hit)

    def _page_snippets(
        self,
        expression: str,
        words: list[str],
        found: list[_Candidate],
        hits: dict[int, list[Hit]],
    ) -> None:
        """Snippets of PDF pages, cut in Python: FTS5's snippet() re-reads a whole page per row."""
        if not found:
            return
        by_rowid = {c.rowid: c for c in found}
        marks = ",".join("?" * len(by_rowid))
        texts = self.conn.execute(
            f"SELECT id, text FROM pdf_pages WHERE id IN ({marks})", list(by_rowid)
        ).fetchall()
        pattern = match_pattern(words)
        missing = []
        for rowid, text in texts:
            snippet = cut_snippet(text, pattern) if pattern else None
            if snippet is None:
                missing.append(rowid)
                continue
            c = by_rowid[rowid]
            hits[c.item_id].append(Hit("pdf", snippet, c.score, page=c.page))
        if missing:  # a stemmed or accent-folded match Python's regex did not see
            column = _snippet("search_pages", 0, SNIPPET_TOKENS)
            for rowid, text in self._by_rowid("search_pages", column, expression, missing):
                c = by_rowid[rowid]
                hits[c.item_id].append(Hit("pdf", " ".join(text.split()), c.score, page=c.page))

    def _by_rowid(
        self, table: str, columns: str, expression: str, rowids: Sequence[int]
    ) -> list[tuple[Any, ...]]:
        marks = ",".join("?" * len(rowids))
        # "+rowid": one pass over the matches. A plain "rowid IN" would run the MATCH once per
        # id, and a prefix query builds its whole list of matches each time.
        return self.conn.execute(
            f"SELECT rowid, {columns} FROM {table} WHERE {table} MATCH ? AND +rowid IN ({marks})",
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
        order = {item_id: n for n, item_id in enumerate(scores)}
        results = [
            ItemResult(
                item_id=item_id,
                title=title,
                authors=_authors_text(authors),
                year=year,
                status=status,
                has_pdf=bool(pdf),
                score=scores[item_id],
                pdf_text=pdf_text_status(pdf, read_path, text_pages, error),
            )
            for item_id, title, authors, year, status, pdf, read_path, text_pages, error in rows
        ]
        results.sort(key=lambda r: order[r.item_id])
        return results


@dataclass(frozen=True, slots=True)
class _Table:
    """One FTS5 index and how its rows lead to items (``i`` is always the items table)."""

    fts: str
    content: str  # FROM-list entry naming the content rows and ``items i``
    passed: str  # the rowids whose item passed the filters
    key: str  # the content column equal to the FTS rowid
    item: str
    page: str
    score: str
    window: int = RANK_WINDOW


@dataclass(frozen=True, slots=True)
class _Candidate:
    rowid: int
    item_id: int
    page: int | None
    score: float


_ITEMS = _Table(
    "search_items",
    "items i",
    "SELECT item_id FROM temp.search_filter",
    "i.id",
    "i.id",
    "NULL",
    f"bm25(search_items, {_ITEM_WEIGHTS})",
)
_ANNOTATIONS = _Table(
    "search_annotations",
    "annotations a JOIN items i ON i.id = a.item_id",
    "SELECT a.id FROM annotations a WHERE a.item_id IN (SELECT item_id FROM temp.search_filter)",
    "a.id",
    "a.item_id",
    "a.page",
    f"bm25(search_annotations, {_ANNOTATION_WEIGHTS})",
)
_PAGES = _Table(
    "search_pages",
    "pdf_pages p JOIN items i ON i.id = p.item_id",
    "SELECT id FROM temp.search_filter_pages",
    "p.id",
    "p.item_id",
    "p.page",
    f"bm25(search_pages) * {_PAGE_FACTOR}",
    RANK_WINDOW_PAGES,
)


def _best_per_item(found: list[_Candidate]) -> list[_Candidate]:
    """The best few candidates of each item (``found`` is best first)."""
    counts: dict[int, int] = {}
    kept = []
    for c in found:
        n = counts.get(c.item_id, 0)
        if n < _HITS_PER_KIND:
            kept.append(c)
            counts[c.item_id] = n + 1
    return kept


def match_pattern(words: list[str]) -> re.Pattern[str] | None:
    """A regex finding the query's words in raw text (stems and prefixes, any case)."""
    pieces = []
    for word in words:
        tokens = re.findall(r"\w+", word)
        if tokens:
            pieces.append(r"\W+".join(_stem_prefix(t) + r"\w*" for t in tokens))
    if not pieces:
        return None
    return re.compile(r"\b(?:" + "|".join(pieces) + ")", re.IGNORECASE)


def _stem_prefix(token: str) -> str:
    """A prefix every inflection of ``token`` shares, as the porter stemmer would reduce it."""
    lowered = token.lower()
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "s", "ly", "y"):
        if lowered.endswith(suffix) and len(lowered) - len(suffix) >= 3:
            lowered = lowered[: -len(suffix)]
            break
    return re.escape(lowered)


def cut_snippet(text: str, pattern: re.Pattern[str], width: int = 160) -> str | None:
    """About ``width`` characters around the first match, every match marked; None if none."""
    first = pattern.search(text)
    if first is None:
        return None
    if len(text) <= width:
        return pattern.sub(lambda m: MARK_OPEN + m.group(0) + MARK_CLOSE, text)
    start = max(0, first.start() - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first.start() else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", first.end(), end)
        end = space if space > 0 else end
    window = text[start:end]
    marked = pattern.sub(lambda m: MARK_OPEN + m.group(0) + MARK_CLOSE, window)
    return (ELLIPSIS if start else "") + marked + (ELLIPSIS if end < len(text) else "")


def _snippet(table: str, column: int, tokens: int) -> str:
    return f"snippet({table}, {column}, '{MARK_OPEN}', '{MARK_CLOSE}', '{ELLIPSIS}', {tokens})"


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
