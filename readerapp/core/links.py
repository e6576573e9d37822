"""Web links as reading-list items: a matching key, tracking-free URLs, the kind a host implies.

Two links name the same item when their keys match: scheme, ``www.``, trailing slash, fragment and
tracking parameters (``utm_*``, ``ref``, ...) do not count, and x.com is twitter.com.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from readerapp.core.arxiv_ids import is_arxiv_url, parse_arxiv_id
from readerapp.core.models import ItemKind

_TRACKING = re.compile(
    r"^(utm_.*|ref|ref_src|ref_url|fbclid|gclid|mc_cid|mc_eid|si|s|t|trk|trackingid|source|"
    r"igshid|_hsenc|_hsmi|share)$",
    re.IGNORECASE,
)
_HOST_ALIASES = {"x.com": "twitter.com", "mobile.twitter.com": "twitter.com"}
_THREAD_HOSTS = {"twitter.com", "x.com", "threads.net", "bsky.app", "mastodon.social"}
_PAPER_HOSTS = {
    "aclanthology.org",
    "proceedings.neurips.cc",
    "papers.nips.cc",
    "proceedings.mlr.press",
    "dl.acm.org",
    "ieeexplore.ieee.org",
    "doi.org",
    "dx.doi.org",
    "biorxiv.org",
    "www.biorxiv.org",
    "semanticscholar.org",
    "www.semanticscholar.org",
    "jmlr.org",
    "www.jmlr.org",
}
_WEB_HOSTS = {"github.com", "youtube.com", "youtu.be", "huggingface.co", "gitlab.com"}


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _bare_host(host: str) -> str:
    host = host.removeprefix("www.")
    return _HOST_ALIASES.get(host, host)


def clean_url(url: str) -> str:
    """``url`` without tracking parameters (what a share button appends); otherwise unchanged."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if not parts.query:
        return url
    kept = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)
    ]
    return urlunsplit(parts._replace(query=urlencode(kept)))


def url_key(url: str) -> str:
    """A key equal for links that name the same page (see the module docstring)."""
    url = url.strip()
    try:
        parts = urlsplit(url if "://" in url else "https://" + url)
    except ValueError:
        return url.lower()
    host = _bare_host((parts.hostname or "").lower())
    path = unquote(parts.path).rstrip("/")
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)
    )
    return f"{host}{path}" + (f"?{urlencode(query)}" if query else "")


def kind_for_url(url: str) -> ItemKind:
    """The kind of item a link points at, judged by its host (and, for a few hosts, its path)."""
    if parse_arxiv_id(url) or is_arxiv_url(url):
        return ItemKind.PAPER
    host = _host(url)
    bare = _bare_host(host)
    try:
        path = urlsplit(url).path.lower()
    except ValueError:
        path = ""
    if bare in _THREAD_HOSTS:
        return ItemKind.THREAD
    if bare == "openreview.net":
        return ItemKind.OPENREVIEW
    if bare == "linkedin.com":
        return ItemKind.POST if path.startswith(("/posts/", "/pulse/", "/feed/")) else ItemKind.WEB
    if (
        bare.endswith(("substack.com", "medium.com", "wordpress.com", "blogspot.com"))
        or bare.startswith("blog.")
        or "/blog/" in path + "/"
        or path.startswith("/p/")
    ):
        return ItemKind.POST
    if host in _PAPER_HOSTS or bare in _PAPER_HOSTS or path.endswith(".pdf"):
        return ItemKind.PAPER
    if bare in _WEB_HOSTS:
        return ItemKind.WEB
    return ItemKind.ARTICLE


def title_from_url(url: str) -> str:
    """A readable stand-in title when a link's text is not one ("twitter thread", a name, a URL)."""
    arxiv = parse_arxiv_id(url)
    if arxiv:
        return f"arXiv:{arxiv}"
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    host = _bare_host((parts.hostname or "").lower())
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if host in _THREAD_HOSTS and segments:
        user = segments[0]
        return f"Thread by @{user}" if "status" in segments else f"@{user}"
    if host == "linkedin.com" and len(segments) >= 2 and segments[0] == "posts":
        return f"LinkedIn post by {segments[1].split('_')[0]}"
    if host == "openreview.net":
        ident = dict(parse_qsl(parts.query)).get("id")
        return f"OpenReview {ident}" if ident else "OpenReview"
    for segment in reversed(segments):
        stem = re.sub(r"\.(html?|php|aspx?|pdf)$", "", segment, flags=re.IGNORECASE)
        if stem.lower() in ("index", "p", "post", "posts", "blog", "article") or len(stem) < 3:
            continue
        words = re.sub(r"[-_+]+", " ", stem).strip()
        if re.fullmatch(r"[\d\s]+", words):
            continue
        return words[:1].upper() + words[1:]
    return host or url
