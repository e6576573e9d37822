"""The search box's language, parsed into free-text terms and field filters.

Words are ANDed; ``"a phrase"``; ``word*`` is a prefix; ``a OR b``; ``-word`` / ``NOT word``
excludes items whose details contain it; filters: ``author:olsson``, ``topic:Interpretability``,
``status:to-read``, ``has:pdf``, ``year:2023`` (also ``2020-2023``, ``>2020``), ``-key:value``
negates. Nothing a user types is an error: unknown syntax is read as plain words, and a filter
value that cannot be used becomes a sentence in :attr:`ParsedQuery.problems`.

Pure Python; every term is turned into a quoted FTS5 string here, so user text never reaches the
FTS5 expression parser as syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FILTER_KEYS = ("author", "topic", "status", "has", "year")
_KEY_ALIASES = {"authors": "author", "by": "author", "in": "topic", "tag": "topic", "is": "status"}
STATUS_ALIASES = {
    "to-read": "to-read",
    "toread": "to-read",
    "to_read": "to-read",
    "unread": "to-read",
    "reading": "reading",
    "read": "read",
    "done": "read",
    "finished": "read",
}
HAS_VALUES = {
    "pdf": "pdf",
    "notes": "notes",
    "note": "notes",
    "abstract": "abstract",
    "highlights": "annotations",
    "highlight": "annotations",
    "annotations": "annotations",
    "annotation": "annotations",
    "text": "text",
    "new-version": "new-version",
    "update": "new-version",
}
_WORD = re.compile(r"\w", re.UNICODE)
_YEAR_RANGE = re.compile(r"^(\d{4})?\s*(?:-|\.\.)\s*(\d{4})?$")
_YEAR_CMP = re.compile(r"^(>=|<=|>|<)\s*(\d{4})$")
# A term is a quoted phrase, a key:"quoted value", or a run of non-space characters.
_TOKEN = re.compile(r'-?"[^"]*"?|-?[^\s"]+:"[^"]*"?|[^\s"]+')
AUTO_PREFIX_MIN = 2  # as-you-type prefixes shorter than this match too much to be useful


@dataclass(frozen=True, slots=True)
class Term:
    """One free-text term: a word or a phrase, optionally a prefix."""

    text: str
    prefix: bool = False
    phrase: bool = False

    def fts(self) -> str:
        quoted = '"' + self.text.replace('"', '""') + '"'
        return quoted + ("*" if self.prefix else "")

    def loose_fts(self) -> str:
        """The words of the term ANDed, in any order (a phrase without its word order)."""
        words = re.findall(r"\w+", self.text)
        if len(words) < 2:
            return self.fts()
        parts = ['"' + w + '"' for w in words]
        parts[-1] += "*" if self.prefix else ""
        return "(" + " AND ".join(parts) + ")"


@dataclass(frozen=True, slots=True)
class Filter:
    key: str  # one of FILTER_KEYS
    value: str  # normalized: a status, a has-value, "lo-hi" years, an author/topic text
    negated: bool = False
    prefix: bool = False  # author/topic typed so far (as-you-type)
    year_range: tuple[int | None, int | None] | None = None


@dataclass(slots=True)
class ParsedQuery:
    """A query: AND of clauses, each an OR of terms; plus exclusions and filters."""

    clauses: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)
    filters: list[Filter] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def has_text(self) -> bool:
        return bool(self.clauses)

    @property
    def is_empty(self) -> bool:
        return not self.clauses and not self.excluded and not self.filters

    def fts(self, *, loose: bool = False) -> str:
        """The FTS5 MATCH expression for the free text ('' when there is none).

        ``loose`` drops the word order of phrases: cheaper to rank, same words.
        """
        parts = []
        for clause in self.clauses:
            alts = [t.loose_fts() if loose else t.fts() for t in clause]
            parts.append(alts[0] if len(alts) == 1 else "(" + " OR ".join(alts) + ")")
        return " AND ".join(parts)

    def words(self) -> list[str]:
        """Every word of the free text, for marking matches outside the index (PDF pages)."""
        return [t.text for clause in self.clauses for t in clause]


def has_word(text: str) -> bool:
    return bool(_WORD.search(text))


def plain_text_fts(raw: str) -> str:
    """The safest possible reading of ``raw``: its words, each quoted, ANDed."""
    words = re.findall(r"\w+", raw, re.UNICODE)
    return " AND ".join('"' + w + '"' for w in words)


def parse_query(raw: str, *, prefix_last: bool = False) -> ParsedQuery:
    """Parse ``raw``; with ``prefix_last`` the word being typed matches as a prefix."""
    query = ParsedQuery()
    raw = raw.replace("\x00", " ")
    tokens = _TOKEN.findall(raw)
    typing = prefix_last and bool(raw) and not raw[-1].isspace()
    pending_or = False
    pending_not = False
    for index, token in enumerate(tokens):
        last = typing and index == len(tokens) - 1
        if token == "OR":
            pending_or = bool(query.clauses)
            continue
        if token == "AND":
            continue
        if token == "NOT":
            pending_not = True
            continue
        negated = pending_not
        pending_not = False
        if token.startswith("-") and len(token) > 1:
            negated, token = True, token[1:]
        if _parse_filter(query, token, negated, last):
            pending_or = False
            continue
        term = _term(token, last)
        if term is None:
            continue
        if negated:
            query.excluded.append(term)
        elif pending_or and query.clauses:
            query.clauses[-1].append(term)
        else:
            query.clauses.append([term])
        pending_or = False
    return query


def _term(token: str, typing: bool) -> Term | None:
    phrase = token.startswith('"')
    if phrase:
        text = token.strip('"')
        closed = len(token) > 1 and token.endswith('"')
        prefix = typing and not closed
    else:
        prefix = token.endswith("*")
        text = token.rstrip("*")
        if typing and not prefix:
            prefix = len(text) >= AUTO_PREFIX_MIN
    text = text.strip()
    if not has_word(text):
        return None
    return Term(text=text, prefix=prefix, phrase=phrase)


def _parse_filter(query: ParsedQuery, token: str, negated: bool, typing: bool) -> bool:
    """Add ``token`` as a filter if it is ``key:value`` with a known key; False otherwise."""
    key, sep, value = token.partition(":")
    key = key.lower()
    key = _KEY_ALIASES.get(key, key)
    if not sep or key not in FILTER_KEYS:
        return False
    closed = value.endswith('"') and len(value) > 1
    value = value.strip('"').strip()
    if not value:
        return True  # "author:" while typing: nothing to filter on yet
    if key == "author":
        query.filters.append(
            Filter("author", value, negated, prefix=value.endswith("*") or (typing and not closed))
        )
    elif key == "topic":
        query.filters.append(Filter("topic", value, negated, prefix=typing and not closed))
    elif key == "status":
        status = STATUS_ALIASES.get(value.lower())
        if status is None:
            if not typing:
                query.problems.append(
                    f"“status:{value}” is not a status; use status:to-read, status:reading or "
                    "status:read."
                )
        else:
            query.filters.append(Filter("status", status, negated))
    elif key == "has":
        what = HAS_VALUES.get(value.lower())
        if what is None:
            if not typing:
                query.problems.append(
                    f"“has:{value}” is not something an item can have; use has:pdf, has:notes, "
                    "has:highlights, has:abstract, has:text or has:new-version."
                )
        else:
            query.filters.append(Filter("has", what, negated))
    else:
        years = _parse_years(value)
        if years is None:
            if not typing:
                query.problems.append(
                    f"“year:{value}” is not a year; use year:2023, year:2020-2023 or year:>2020."
                )
        else:
            query.filters.append(Filter("year", value, negated, year_range=years))
    return True


def _parse_years(value: str) -> tuple[int | None, int | None] | None:
    if value.isdigit() and len(value) == 4:
        return int(value), int(value)
    match = _YEAR_CMP.match(value)
    if match:
        op, year = match.group(1), int(match.group(2))
        return {
            ">": (year + 1, None),
            ">=": (year, None),
            "<": (None, year - 1),
            "<=": (None, year),
        }[op]
    match = _YEAR_RANGE.match(value)
    if match and (match.group(1) or match.group(2)):
        lo = int(match.group(1)) if match.group(1) else None
        hi = int(match.group(2)) if match.group(2) else None
        if lo is not None and hi is not None and lo > hi:
            lo, hi = hi, lo
        return lo, hi
    return None
