"""Feed entries normalised from feedparser's output: arXiv RSS (2024+), legacy RDF, the arXiv API,
and any RSS/Atom feed.

A paper is keyed by its versionless arXiv id (``arxiv:2411.17705``) however many feeds list it and
whatever version is announced; other entries are keyed by guid, else link. arXiv's two error shapes
(the RSS "Feed error for query" channel and the API's ``Error`` entry) become :class:`FeedError`.
"""

from __future__ import annotations

import calendar
import hashlib
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from readerapp.core.arxiv_ids import parse_arxiv_id


class FeedError(Exception):
    """A fetched document that is not a usable feed; str() is a sentence for the user."""


@dataclass(slots=True)
class FeedEntry:
    """One entry as readerapp stores it."""

    key: str
    title: str
    link: str = ""
    authors: list[str] = field(default_factory=list)
    summary: str = ""  # plain text, or sanitised-later HTML when summary_is_html
    summary_is_html: bool = False
    published: str = ""  # ISO 8601 UTC, "" when the feed gave none
    categories: list[str] = field(default_factory=list)
    arxiv_id: str | None = None
    version: int | None = None
    announce_type: str = ""  # new | cross | replace | replace-cross | "" (not arXiv RSS)
    guid: str = ""
    doi: str = ""
    journal_ref: str = ""


@dataclass(slots=True)
class ParsedFeed:
    title: str
    entries: list[FeedEntry]
    site_url: str = ""
    warning: str = ""  # a bozo feed that still had entries: kept, with this note


_ANNOUNCE = re.compile(
    r"^\s*arXiv:(?P<id>\S+)\s+Announce Type:\s*(?P<type>[\w-]+)\s*(?:Abstract:\s*)?",
    re.IGNORECASE,
)
# Legacy RDF titles: "Title. (arXiv:1808.09955v1 [astro-ph.IM])" or "... [cs.LG] UPDATED)".
_LEGACY_TITLE = re.compile(
    r"^(?P<title>.*?)\.?\s*\(arXiv:(?P<id>[^\s\]]+)\s*(?:\[(?P<cat>[^\]]*)\])?\s*"
    r"(?P<flag>UPDATED|CROSS LISTED)?\)\s*$",
    re.DOTALL,
)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_LATEX_ACCENTS = {
    "'": "\u0301",
    "`": "\u0300",
    '"': "\u0308",
    "^": "\u0302",
    "~": "\u0303",
    "c": "\u0327",
    "v": "\u030c",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "H": "\u030b",
}
_LATEX_ACCENT = re.compile(r"\\([`'\"^~=.])\{?([A-Za-z])\}?|\\([cvuH])\{([A-Za-z])\}")
_LATEX_LETTERS = {r"\o": "ø", r"\O": "Ø", r"\l": "ł", r"\L": "Ł", r"\ss": "ß", r"\aa": "å"}


def _delatex(name: str) -> str:
    """arXiv metadata writes accents in TeX (``Benjamin R\\'emy``): show them as letters."""
    import unicodedata

    if "\\" not in name:
        return name

    def accent(m: re.Match[str]) -> str:
        mark = m[1] or m[3]
        letter = m[2] or m[4]
        return unicodedata.normalize("NFC", letter + _LATEX_ACCENTS[mark])

    name = _LATEX_ACCENT.sub(accent, name)
    for tex, letter in _LATEX_LETTERS.items():
        name = re.sub(re.escape(tex) + r"(?![A-Za-z])\{?\}?", letter, name)
    return name.replace("{", "").replace("}", "")


def split_authors(text: str) -> list[str]:
    """Split arXiv's one comma-joined ``dc:creator`` into names.

    Affiliations follow a name in parentheses and may hold commas themselves, so commas are
    split only outside parentheses; the affiliations are dropped from the names.
    """
    if "<" in text:  # legacy RDF: HTML-escaped <a href=...>Name</a> links
        text = _TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    if "(" not in text:  # no affiliations: the cheap way
        return [_delatex(" ".join(n.split())) for n in _split_plain(text)]
    names: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            if ch == ",":
                names.append("".join(current))
                current = []
            else:
                current.append(ch)
    names.append("".join(current))
    result = []
    for raw in names:
        name = _SPACE.sub(" ", raw).strip()
        if name.lower().startswith("and "):
            name = name[4:].strip()
        if name:
            result.append(_delatex(name))
    return result


def _split_plain(text: str) -> list[str]:
    names = []
    for raw in text.split(","):
        name = raw.strip()
        if name.lower().startswith("and "):
            name = name[4:].strip()
        if name:
            names.append(name)
    return names


_ISO_CACHE: dict[tuple[int, ...], str] = {}


def updated_parsed(parsed: Mapping[str, Any]) -> Any:
    """feedparser's ``updated_parsed``, when the feed has one. (``get`` would hand back
    ``published_parsed`` in its place, with a deprecation warning, and we ask for that
    ourselves where it is wanted.)"""
    # noqa below: get() is exactly what must not be called here.
    return parsed["updated_parsed"] if "updated_parsed" in parsed else None  # noqa: SIM401


def _iso(parsed: Any) -> str:
    if not parsed:
        return ""
    key = tuple(parsed[:6])
    cached = _ISO_CACHE.get(key)
    if cached is not None:  # a daily feed gives every entry the same date
        return cached
    if len(_ISO_CACHE) > 4096:
        _ISO_CACHE.clear()
    _ISO_CACHE[key] = value = _iso_uncached(parsed)
    return value


def _iso_uncached(parsed: Any) -> str:
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (TypeError, ValueError, OverflowError):
        return ""


def _clean_title(text: str) -> str:
    text = text or ""
    if "<" in text:
        text = _TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    return " ".join(text.split())


def _authors(entry: Mapping[str, Any]) -> list[str]:
    found = entry.get("authors") or []
    names = [a.get("name", "") for a in found if isinstance(a, Mapping)]
    names = [n for n in names if n]
    if len(names) == 1:  # arXiv RSS: one comma-joined dc:creator
        return split_authors(names[0])
    return [_delatex(_SPACE.sub(" ", html.unescape(n)).strip()) for n in names]


def _arxiv_ref(entry: Mapping[str, Any]) -> tuple[str | None, int | None]:
    for candidate in (entry.get("id"), entry.get("guid"), entry.get("link")):
        if isinstance(candidate, str) and candidate:
            if candidate.startswith("http") and "arxiv.org" not in candidate.lower():
                continue
            ref = parse_arxiv_id(candidate)
            if ref is not None:
                return ref.id, ref.version
    return None, None


def normalise_entry(entry: Mapping[str, Any], feed_date: str = "") -> FeedEntry | None:
    """One feedparser entry as a :class:`FeedEntry`; None when it has nothing to key it by."""
    # A plain dict: FeedParserDict's key aliasing makes every lookup cost microseconds, and the
    # keys read here are its canonical ones anyway.
    entry = dict(entry)
    title = _clean_title(entry.get("title", ""))
    summary = entry.get("summary") or ""
    summary_type = (entry.get("summary_detail") or {}).get("type", "text/html")
    is_html = "html" in summary_type and "<" in summary
    categories = [term for t in entry.get("tags") or () if (term := dict.get(t, "term"))]
    announce = str(entry.get("arxiv_announce_type") or "").strip().lower()
    arxiv_id, version = _arxiv_ref(entry)

    m = _ANNOUNCE.match(summary)
    if m:  # arXiv RSS: "arXiv:IDvN Announce Type: new \nAbstract: ..."
        ref = parse_arxiv_id(m["id"])
        if ref is not None:
            arxiv_id, version = ref.id, ref.version or version
        announce = announce or m["type"].lower()
        summary = summary[m.end() :]
    legacy = _LEGACY_TITLE.match(title)
    if legacy and parse_arxiv_id(legacy["id"]) is not None:
        ref = parse_arxiv_id(legacy["id"])
        assert ref is not None
        arxiv_id, version = ref.id, ref.version or version
        title = legacy["title"].strip()
        if legacy["cat"] and not categories:
            categories = [c.strip() for c in legacy["cat"].split(",") if c.strip()]
        flag = legacy["flag"] or ""
        announce = announce or {"UPDATED": "replace", "CROSS LISTED": "cross"}.get(flag, "new")
    primary = (entry.get("arxiv_primary_category") or {}).get("term")
    if primary and primary in categories:  # the primary category first, as arXiv shows it
        categories.remove(primary)
        categories.insert(0, primary)
    elif primary:
        categories.insert(0, primary)

    if is_html:
        summary = html_text_if_trivial(summary)
        is_html = "<" in summary
    elif "&" in summary:
        summary = html.unescape(summary)
    summary = summary.strip()
    if not is_html:
        summary = _unwrap(summary)

    guid = str(entry.get("id") or "")
    link = str(entry.get("link") or "")
    if arxiv_id:
        key = f"arxiv:{arxiv_id}"
        link = f"https://arxiv.org/abs/{arxiv_id}"
    elif guid:
        key = f"guid:{guid}"
    elif link:
        key = f"link:{link}"
    elif title:
        key = "title:" + hashlib.sha1(title.encode()).hexdigest()
    else:
        return None
    published = _iso(entry.get("published_parsed") or updated_parsed(entry)) or feed_date
    return FeedEntry(
        key=key,
        title=title or "(untitled)",
        link=link,
        authors=_authors(entry),
        summary=summary,
        summary_is_html=is_html,
        published=published,
        categories=categories,
        arxiv_id=arxiv_id,
        version=version,
        announce_type=announce,
        guid=guid,
        doi=str(entry.get("arxiv_doi") or ""),
        journal_ref=str(
            entry.get("arxiv_journal_reference") or entry.get("arxiv_journal_ref") or ""
        ),
    )


def html_text_if_trivial(summary: str) -> str:
    """Legacy arXiv wraps plain abstracts in one ``<p>``: keep such text as text."""
    stripped = summary.strip()
    if stripped.startswith("<p>") and stripped.endswith("</p>") and stripped.count("<") == 2:
        return html.unescape(stripped[3:-4])
    return summary


def _unwrap(text: str) -> str:
    """Hard-wrapped abstracts (API, legacy RDF) read as one paragraph; blank lines stay breaks."""
    if "\n" not in text:
        return " ".join(text.split())
    paragraphs = re.split(r"\n\s*\n", text)
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def normalise_feed(parsed: Mapping[str, Any], *, http_status: int = 200) -> ParsedFeed:
    """feedparser's result as a :class:`ParsedFeed`, or :class:`FeedError` when it is not a feed."""
    feed = parsed.get("feed") or {}
    title = _clean_title(feed.get("title", ""))
    raw_entries = parsed.get("entries") or []
    if title.lower().startswith("feed error for query"):
        detail = _clean_title(feed.get("description") or feed.get("subtitle") or "")
        bad = _bad_category(title, detail)
        raise FeedError(f"arXiv says: no such category {bad}." if bad else f"arXiv says: {detail}")
    if len(raw_entries) == 1:
        only = raw_entries[0]
        if only.get("title", "").strip() == "Error" and "/api/errors" in str(only.get("id", "")):
            raise FeedError(f"arXiv says: {_clean_title(only.get('summary', 'bad query'))}.")
    feed_date = _iso(updated_parsed(feed) or feed.get("published_parsed"))
    entries: list[FeedEntry] = []
    seen: set[str] = set()
    for raw in raw_entries:
        entry = normalise_entry(raw, feed_date)
        if entry is None or entry.key in seen:
            continue
        seen.add(entry.key)
        entries.append(entry)
    bozo = bool(parsed.get("bozo"))
    if not entries:
        version = parsed.get("version") or ""
        if http_status >= 400:
            raise FeedError(f"The server answered HTTP {http_status}.")
        if not version:
            raise FeedError(_not_a_feed_reason(parsed))
        if bozo:
            raise FeedError(f"The feed is broken: {_bozo_text(parsed)}.")
    warning = (
        f"The feed has errors ({_bozo_text(parsed)}); what could be read was kept."
        if (bozo and entries and _bozo_is_serious(parsed))
        else ""
    )
    return ParsedFeed(
        title=title, entries=entries, site_url=str(feed.get("link") or ""), warning=warning
    )


def _bad_category(title: str, detail: str) -> str:
    m = re.search(r"Bad archive '([^']+)'", detail)
    if m:
        return m[1]
    m = re.search(r"/(?:rss|atom)/(\S+)$", title)
    return m[1] if m else ""


def _bozo_text(parsed: Mapping[str, Any]) -> str:
    exc = parsed.get("bozo_exception")
    text = str(exc) if exc else "not well-formed"
    text = re.sub(r"^<unknown>:", "", text).strip()
    return text.rstrip(".") or "not well-formed"


def _bozo_is_serious(parsed: Mapping[str, Any]) -> bool:
    # feedparser flags a charset mismatch it recovered from as bozo; that is not worth a warning.
    name = type(parsed.get("bozo_exception")).__name__
    return name not in ("CharacterEncodingOverride", "NonXMLContentType")


def _not_a_feed_reason(parsed: Mapping[str, Any]) -> str:
    headers = {k.lower(): v for k, v in (parsed.get("headers") or {}).items()}
    ctype = str(headers.get("content-type", "")).lower()
    if "html" in ctype and "xml" not in ctype:
        return "Not a feed: this is an HTML page."
    return "Not a feed: the server sent something that is neither RSS nor Atom."
