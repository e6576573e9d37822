"""The pure rules for untrusted input: which links open where, entity declarations anywhere in
XML, and remote text printed on a terminal."""

from __future__ import annotations

import json

import pytest

from readerapp.core.link_policy import LinkRoute, decide_link
from readerapp.core.terminal_text import terminal_safe
from readerapp.core.xml_safety import declares_entities


@pytest.mark.parametrize(
    ("url", "route", "opened"),
    [
        ("https://example.org/a?b=c", LinkRoute.BROWSER, "https://example.org/a?b=c"),
        ("HTTP://EXAMPLE.ORG/", LinkRoute.BROWSER, "HTTP://EXAMPLE.ORG/"),
        ("mailto:someone@example.org", LinkRoute.BROWSER, "mailto:someone@example.org"),
        (
            "https://arxiv.org/pdf/2405.01234v2",
            LinkRoute.ARXIV,
            "https://arxiv.org/pdf/2405.01234v2",
        ),
        ("arXiv:2405.01234", LinkRoute.ARXIV, "https://arxiv.org/abs/2405.01234"),
        ("doi:10.1000/182", LinkRoute.DOI, "https://doi.org/10.1000/182"),
        ("https://doi.org/10.1000/182", LinkRoute.DOI, "https://doi.org/10.1000/182"),
    ],
)
def test_links_that_open(url: str, route: LinkRoute, opened: str) -> None:
    decision = decide_link(url)
    assert decision.route is route and decision.url == opened


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "file:///etc/passwd",
        "smb://server/share",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:x",
        "ms-msdt:/id x",
        "search-ms:query=x",
        "http:///no-host",
        "https://example.org/\x1b[2J",
        "relative/path.html",
        "doi:not-a-doi",
    ],
)
def test_links_that_are_refused_say_so_with_the_address(url: str) -> None:
    decision = decide_link(url)
    assert decision.route is LinkRoute.REFUSED
    assert decision.sentence.startswith("Not opened:") and "\x1b" not in decision.sentence


def test_a_huge_refused_address_is_shown_shortened() -> None:
    decision = decide_link("data:text/plain," + "A" * 100_000)
    assert decision.route is LinkRoute.REFUSED and len(decision.sentence) < 400


ENTITY_DOCTYPE = b'<!DOCTYPE r [<!ENTITY a "aaaa">]>'


@pytest.mark.parametrize(
    "document",
    [
        b'<?xml version="1.0"?>' + ENTITY_DOCTYPE + b"<r>&a;</r>",
        b'<?xml version="1.0"?><!--' + b"x" * 3_000_000 + b"-->" + ENTITY_DOCTYPE + b"<r/>",
        b'<?xml version="1.0"?><!doctype r [<!entity a "x">]><r/>',
        ('<?xml version="1.0" encoding="utf-16"?>' + ENTITY_DOCTYPE.decode()).encode("utf-16"),
        ('<?xml version="1.0" encoding="utf-32"?>' + ENTITY_DOCTYPE.decode()).encode("utf-32"),
        ('<?xml version="1.0"?>' + ENTITY_DOCTYPE.decode()).encode("utf-16-be"),
    ],
)
def test_entity_declarations_are_found_anywhere_in_any_encoding(document: bytes) -> None:
    assert declares_entities(document)


def test_a_plain_doctype_or_a_feed_is_not_refused() -> None:
    assert not declares_entities(b'<?xml version="1.0"?><!DOCTYPE rss><rss version="2.0"/>')
    assert not declares_entities(
        b'<rss version="2.0"><channel><title>ENTITY</title></channel></rss>'
    )


def test_terminal_text_escapes_controls_and_keeps_lines() -> None:
    raw = "Title\x1b[2J\x1b]0;x\x07\x9b6n\u202eevil\r\nnext\tline"
    shown = terminal_safe(raw)
    assert shown == "Title\\u001b[2J\\u001b]0;x\\u0007\\u009b6n\\u202eevil\\u000d\nnext\tline"
    assert json.loads(terminal_safe(json.dumps({"t": raw}, ensure_ascii=False)))["t"] == raw
