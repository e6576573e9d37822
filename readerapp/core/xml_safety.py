"""Refusing XML that declares its own entities (billion laughs, quadratic blow-up, external
entities) before any parser sees it: feeds and OPML files come from strangers.

The whole document is searched, not a prefix: a DOCTYPE may follow a megabyte of comment. Only
text encodings with NUL bytes in the ASCII range (UTF-16, UTF-32) are decoded first; every other
encoding XML allows writes ``<!DOCTYPE`` and ``<!ENTITY`` as the ASCII bytes searched for.
"""

from __future__ import annotations

import codecs
import re

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_WIDE_STARTS = (  # "<?" or "<" without a BOM, as XML 1.0 appendix F lists them
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
)


def declares_entities(data: bytes) -> bool:
    """True when a DOCTYPE anywhere in ``data`` is followed by an entity declaration."""
    data = _as_ascii_compatible(data)
    doctype = _DOCTYPE.search(data)
    return doctype is not None and _ENTITY.search(data, doctype.end()) is not None


def _as_ascii_compatible(data: bytes) -> bytes:
    encoding = next((name for bom, name in _WIDE_BOMS if data.startswith(bom)), None)
    if encoding is None:
        head = data[:4]
        encoding = next((name for start, name in _WIDE_STARTS if head == start), None)
    if encoding is None:
        return data
    return data.decode(encoding, errors="replace").encode("utf-8", errors="replace")
