"""A fast parser for arXiv's own feeds (the RSS of a day's listing, the Atom of the API).

feedparser reads any feed, however ill-formed, but in pure Python: a 1,504-item arXiv day takes
it most of a second. arXiv's feeds are well-formed XML of a fixed shape, so this module reads them
with the standard library's C parser (``xml.etree.ElementTree``, about 40x faster) into the same
mapping feedparser gives, for the keys :func:`readerapp.core.feed_entries.normalise_feed` reads.

It answers ``None`` (and the caller uses feedparser) for anything it is not sure to read exactly
as feedparser would: not arXiv's namespace under arXiv's prefix, a DOCTYPE, an element it does not
know, ``xml:base``, a charset other than UTF-8, a date it cannot read, or XML that is not
well-formed. Text with markup or entities in it goes through feedparser's own sanitizer, as it
would inside feedparser; plain text (nearly all of arXiv's) needs none of it.
"""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

ARXIV_NS = "http://arxiv.org/schemas/atom"
ATOM_NS = "http://www.w3.org/2005/Atom"
DC_NS = "http://purl.org/dc/elements/1.1/"
_A, _X, _DC = f"{{{ATOM_NS}}}", f"{{{ARXIV_NS}}}", f"{{{DC_NS}}}"
_ARXIV_PREFIX = b'xmlns:arxiv="' + ARXIV_NS.encode() + b'"'
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENCODING = re.compile(rb"^<\?xml[^>]*\bencoding=[\"']([\w.-]+)[\"']", re.IGNORECASE)
_LINK_REF = re.compile("&([A-Za-z0-9_]+);")

# Elements feedparser stores under keys that normalise_feed does not read, or not at all.
_RSS_CHANNEL_IGNORED = {
    "docs", "language", "managingEditor", "webMaster", "skipDays", "skipHours", "ttl",
    "generator", "copyright", "image", f"{_A}link", f"{_DC}rights", f"{_DC}language",
}  # fmt: skip
_RSS_ITEM_IGNORED = {f"{_DC}rights", f"{_X}comment", "comments"}
_ATOM_FEED_IGNORED = {
    "{http://a9.com/-/spec/opensearch/1.1/}itemsPerPage",
    "{http://a9.com/-/spec/opensearch/1.1/}totalResults",
    "{http://a9.com/-/spec/opensearch/1.1/}startIndex",
}
_ATOM_ENTRY_IGNORED = {f"{_X}comment"}
_ARXIV_KEYS = {
    "announce_type": "arxiv_announce_type",
    "DOI": "arxiv_doi",
    "doi": "arxiv_doi",
    "journal_reference": "arxiv_journal_reference",
    "journal_ref": "arxiv_journal_ref",
}


class _NotArxivShaped(Exception):
    """Something this parser does not read exactly as feedparser does: use feedparser."""


def parse_arxiv_feed(body: bytes, headers: dict[str, str] | None = None) -> dict[str, Any] | None:
    """feedparser's result for an arXiv RSS or API feed, or None when feedparser must read it."""
    head = body[:4096]
    if _ARXIV_PREFIX not in head or b"xml:base" in body:
        return None
    if _DOCTYPE.search(body):  # anywhere (arXiv sends none): feedparser and its entity checks
        return None
    declared = _ENCODING.match(body.lstrip()[:200])
    if declared and declared.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
        return None
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    content_type = headers.get("content-type", "").lower()
    if "charset=" in content_type and "utf-8" not in content_type.split("charset=", 1)[1]:
        return None
    if "content-location" in headers:  # feedparser would resolve links against it
        return None
    try:
        root = ET.fromstring(body)
        if root.tag == "rss" and root.get("version") == "2.0":
            return _rss(root, headers)
        if root.tag == f"{_A}feed":
            return _atom(root, headers)
    except (ET.ParseError, _NotArxivShaped, ValueError, TypeError, IndexError):
        pass
    return None


def _result(
    feed: dict[str, Any], entries: list[dict[str, Any]], version: str, headers: dict[str, str]
) -> dict[str, Any]:
    return {"feed": feed, "entries": entries, "bozo": False, "version": version, "headers": headers}


# ---- RSS 2.0 (rss.arxiv.org) -------------------------------------------------------------------
def _rss(root: ET.Element, headers: dict[str, str]) -> dict[str, Any]:
    channels = [c for c in root if c.tag == "channel"]
    if len(channels) != 1 or len(root) != 1:
        raise _NotArxivShaped
    feed: dict[str, Any] = {}
    entries: list[dict[str, Any]] = []
    for child in channels[0]:
        tag = child.tag
        if tag == "item":
            entries.append(_rss_item(child))
        elif tag == "title":
            feed["title"] = _content(child, "text/plain", "title", rss=True)[0]
        elif tag == "description":
            feed["subtitle"] = _content(child, "text/html", "subtitle", rss=True)[0]
        elif tag == "link":
            feed["link"] = _link_text(child)
        elif tag == "lastBuildDate":
            feed["updated_parsed"] = _rfc822(child)
        elif tag == "pubDate":
            feed["published_parsed"] = _rfc822(child)
        elif tag not in _RSS_CHANNEL_IGNORED:
            raise _NotArxivShaped
    return _result(feed, entries, "rss20", headers)


def _rss_item(item: ET.Element) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    permalink_guid = None
    for child in item:
        if len(child):
            raise _NotArxivShaped  # markup inside an item's field: feedparser's business
        tag = child.tag
        if tag == "title":
            entry["title"] = _content(child, "text/plain", "title", rss=True)[0]
        elif tag == "description":
            entry["summary"], kind = _content(child, "text/html", "description", rss=True)
            entry["summary_detail"] = {"type": kind}
        elif tag == "link":
            entry["link"] = _link_text(child)
        elif tag == "guid":
            entry["id"] = _text(child)
            if child.get("isPermaLink", "true").lower() != "false":
                permalink_guid = entry["id"]
        elif tag == "category":
            entry.setdefault("tags", []).append({"term": _text(child)})
        elif tag == "pubDate":
            entry["published_parsed"] = _rfc822(child)
        elif tag == f"{_DC}creator":
            name = _text(child)
            if "@" in name or "<" in name or "&" in name or "authors" in entry:
                raise _NotArxivShaped  # feedparser would look for an e-mail address in it
            entry["authors"] = [{"name": name}]
        elif tag.startswith(_X) and tag[len(_X) :] in _ARXIV_KEYS:
            entry[_ARXIV_KEYS[tag[len(_X) :]]] = _text(child)
        elif tag not in _RSS_ITEM_IGNORED:
            raise _NotArxivShaped
    if permalink_guid and "link" not in entry:
        entry["link"] = permalink_guid  # as feedparser: a permalink guid stands in for a link
    return entry


# ---- Atom (export.arxiv.org/api) ---------------------------------------------------------------
def _atom(root: ET.Element, headers: dict[str, str]) -> dict[str, Any]:
    feed: dict[str, Any] = {}
    entries: list[dict[str, Any]] = []
    feed_id = ""
    for child in root:
        tag = child.tag
        if tag == f"{_A}entry":
            entries.append(_atom_entry(child))
        elif tag == f"{_A}title":
            feed["title"] = _atom_text(child, "title")[0]
        elif tag == f"{_A}updated":
            feed["updated_parsed"] = _iso8601(child)
        elif tag == f"{_A}id":
            feed_id = _text(child)
        elif tag == f"{_A}link":
            href = _atom_alternate(child)
            if href is not None:
                feed["link"] = href
        elif tag not in _ATOM_FEED_IGNORED:
            raise _NotArxivShaped
    if feed_id and "link" not in feed:
        feed["link"] = feed_id  # as feedparser: an Atom id stands in for a missing link
    return _result(feed, entries, "atom10", headers)


def _atom_entry(element: ET.Element) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    for child in element:
        tag = child.tag
        if tag == f"{_A}author":
            entry.setdefault("authors", []).append({"name": _atom_author(child)})
            continue
        if len(child):
            raise _NotArxivShaped
        if tag == f"{_A}id":
            entry["id"] = _text(child)
        elif tag == f"{_A}title":
            entry["title"] = _atom_text(child, "title")[0]
        elif tag == f"{_A}summary":
            entry["summary"], kind = _atom_text(child, "summary")
            entry["summary_detail"] = {"type": kind}
        elif tag == f"{_A}updated":
            entry["updated_parsed"] = _iso8601(child)
        elif tag == f"{_A}published":
            entry["published_parsed"] = _iso8601(child)
        elif tag == f"{_A}link":
            href = _atom_alternate(child)
            if href is not None:
                entry["link"] = href
        elif tag == f"{_A}category":
            entry.setdefault("tags", []).append({"term": child.get("term")})
        elif tag == f"{_X}primary_category":
            entry["arxiv_primary_category"] = {"term": child.get("term")}
        elif tag.startswith(_X) and tag[len(_X) :] in _ARXIV_KEYS:
            entry[_ARXIV_KEYS[tag[len(_X) :]]] = _text(child)
        elif tag not in _ATOM_ENTRY_IGNORED:
            raise _NotArxivShaped
    if entry.get("id") and "link" not in entry:
        entry["link"] = entry["id"]  # as feedparser: an Atom id stands in for a missing link
    return entry


def _atom_author(author: ET.Element) -> str:
    names = [c for c in author if c.tag == f"{_A}name"]
    if len(names) != 1 or any(c.tag not in (f"{_A}name", f"{_X}affiliation") for c in author):
        raise _NotArxivShaped
    name = _text(names[0])
    if "@" in name or "<" in name or "&" in name:
        raise _NotArxivShaped
    return name


def _atom_alternate(link: ET.Element) -> str | None:
    """The href feedparser keeps as ``link`` (the last one wins): a ``rel="alternate"`` (the
    default) link to an HTML page (the default type)."""
    rel = link.get("rel", "alternate")
    kind = link.get("type", "application/atom+xml" if rel == "self" else "text/html")
    if rel != "alternate" or kind.lower() not in ("text/html", "html", "application/xhtml+xml"):
        return None
    href = link.get("href") or ""
    if not href.startswith(("http://", "https://")):
        raise _NotArxivShaped  # relative: feedparser resolves it
    return href


def _atom_text(element: ET.Element, name: str) -> tuple[str, str]:
    kind = {"text": "text/plain", "html": "text/html"}.get(element.get("type", "text"))
    if kind is None:
        raise _NotArxivShaped
    return _content(element, kind, name, rss=False)


# ---- text as feedparser leaves it --------------------------------------------------------------
def _text(element: ET.Element) -> str:
    return _fix_encoding((element.text or "").strip())


def _link_text(element: ET.Element) -> str:
    text = _text(element)
    if "&" in text:  # feedparser's repair of `?a=1&b=2` written unescaped
        text = _LINK_REF.sub(r"&\g<1>", text.replace("&amp;", "&"))
    if text and not text.startswith(("http://", "https://")):
        raise _NotArxivShaped  # feedparser resolves relative links
    return text


def _content(element: ET.Element, kind: str, name: str, *, rss: bool) -> tuple[str, str]:
    """(text, content type) of a title or summary, as feedparser's ``pop`` leaves them."""
    text = (element.text or "").strip()
    if "<" in text or "&" in text:
        # Markup or a character that is markup in HTML: feedparser's own rules, not ours.
        from feedparser.mixin import _FeedParserMixin
        from feedparser.sanitizer import _sanitize_html
        from feedparser.urls import resolve_relative_uris

        if rss and kind == "text/plain" and _FeedParserMixin.looks_like_html(text):
            kind = "text/html"
        if kind == "text/html":
            text = resolve_relative_uris(text, "", "utf-8", kind)
            text = _sanitize_html(text, "utf-8", kind)
    del name  # every field read here is one feedparser resolves and sanitises alike
    return _fix_encoding(text), kind


def _fix_encoding(text: str) -> str:
    """feedparser's last steps on all text: undo UTF-8 read as Latin-1, map cp1252's C1 range."""
    if text.isascii():
        return text
    try:
        text = text.encode("iso-8859-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    from feedparser.html import _cp1252

    return text.translate(_cp1252)


def _rfc822(element: ET.Element) -> time.struct_time:
    """An RSS date as feedparser gives it: a UTC struct_time (ValueError when unreadable)."""
    when = parsedate_to_datetime(_text(element))
    if when.tzinfo is None:
        raise ValueError("a date without a zone")
    return when.astimezone(UTC).timetuple()


def _iso8601(element: ET.Element) -> time.struct_time:
    when = datetime.fromisoformat(_text(element))
    if when.tzinfo is None:
        raise ValueError("a date without a zone")
    return when.astimezone(UTC).timetuple()
