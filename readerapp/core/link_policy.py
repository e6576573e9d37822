"""Which links readerapp opens, and how: the one rule every click goes through (a PDF's links, an
item's address, a note's preview, a feed entry), in the GUI and wherever else a link is followed.

http, https and mailto go to the system browser; arXiv and DOI links are handled by the app (an
arXiv paper already in the library opens there; a DOI becomes its https://doi.org address);
every other scheme (``javascript:``, ``file:``, ``smb:``, ``data:``, custom handlers) is refused
with a sentence that shows the address as text: the system's opener would run whatever program
claims the scheme.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import quote, urlsplit

from readerapp.core.arxiv_ids import parse_arxiv_id

_DOI_HOSTS = frozenset({"doi.org", "dx.doi.org", "www.doi.org"})
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SHOWN_LENGTH = 200  # a refused address is shown, but a data: URL can be megabytes


class LinkRoute(StrEnum):
    BROWSER = "browser"  # hand ``url`` to the system browser
    ARXIV = "arxiv"  # the app shows the paper (``arxiv_id``), else its abs page in the browser
    DOI = "doi"  # the app opens ``url``, the https://doi.org address of ``doi``
    REFUSED = "refused"  # never handed to the system; ``sentence`` says why, with the address


@dataclass(frozen=True, slots=True)
class LinkDecision:
    route: LinkRoute
    url: str  # what to open (for REFUSED: the address as given, for showing as text)
    sentence: str = ""
    arxiv_id: str = ""
    doi: str = ""


def decide_link(url: str) -> LinkDecision:
    """How to follow ``url`` (see the module docstring)."""
    text = url.strip()
    if _CONTROL.search(text):
        return _refused(text, "it contains control characters")
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
    except ValueError:
        return _refused(text, "it is not a well-formed address")
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        if not host:
            return _refused(text, "it names no web site")
        ident = parse_arxiv_id(text)
        if ident is not None:
            return LinkDecision(LinkRoute.ARXIV, text, arxiv_id=ident.id)
        if host in _DOI_HOSTS and _DOI.match(parts.path.lstrip("/")):
            return LinkDecision(LinkRoute.DOI, text, doi=parts.path.lstrip("/"))
        return LinkDecision(LinkRoute.BROWSER, text)
    if scheme == "mailto":
        return LinkDecision(LinkRoute.BROWSER, text)
    if scheme == "arxiv":
        ident = parse_arxiv_id(text)
        if ident is not None:
            return LinkDecision(
                LinkRoute.ARXIV, f"https://arxiv.org/abs/{ident}", arxiv_id=ident.id
            )
    if scheme == "doi":
        doi = text.split(":", 1)[1].lstrip("/")
        if _DOI.match(doi):
            return LinkDecision(
                LinkRoute.DOI, f"https://doi.org/{quote(doi, safe='/:;()')}", doi=doi
            )
    if not scheme:
        return _refused(text, "it is not a full web address")
    return _refused(text, f"readerapp opens only web and e-mail links, not “{scheme}:” links")


def _refused(text: str, why: str) -> LinkDecision:
    shown = _CONTROL.sub("", text)
    if len(shown) > _SHOWN_LENGTH:
        shown = shown[:_SHOWN_LENGTH] + "…"
    return LinkDecision(
        LinkRoute.REFUSED, text, sentence=f"Not opened: {why}. The link was: {shown}"
    )
