"""arXiv identifiers in every form seen in the wild, reduced to (versionless id, version).

New style: ``YYMM.NNNN`` / ``YYMM.NNNNN`` with optional ``vN``. Old style:
``archive(.SubjectClass)/YYMMNNN`` whose canonical form drops the subject class and lowercases the
archive (``math.CA/0611800v2`` -> ``math/0611800``, version 2). Accepted wrappers: ``arXiv:`` and
``oai:arXiv.org:`` prefixes, abs/pdf/html URLs on arxiv.org, export.arxiv.org and www.arxiv.org, with
or without ``.pdf``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

# After arXiv/arxiv-base arxiv/identifier: new ids run 0704-... with 4 digits until 1412, 5 after.
_NEW = re.compile(r"(?P<yymm>\d{4})\.(?P<num>\d{4,5})(?:v(?P<version>[1-9]\d{0,3}))?")
_OLD = re.compile(
    r"(?P<archive>[a-zA-Z]+(?:-[a-zA-Z]{2,})?)(?:\.[a-zA-Z-]{2,})?/"
    r"(?P<yymm>\d{4})(?P<num>\d{3})(?:v(?P<version>[1-9]\d{0,3}))?"
)
_PREFIX = re.compile(r"^(?:oai:arxiv\.org:|arxiv:)", re.IGNORECASE)
_HOSTS = {"arxiv.org", "www.arxiv.org", "export.arxiv.org", "xxx.lanl.gov", "browse.arxiv.org"}
_PATH = re.compile(r"^/(?:abs|pdf|html|format|ps)/(?P<rest>.+?)(?:\.pdf)?/?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ArxivId:
    """A versionless arXiv id and, when the source named one, its version."""

    id: str
    version: int | None = None

    def __str__(self) -> str:
        return f"{self.id}v{self.version}" if self.version else self.id

    @property
    def is_old_style(self) -> bool:
        return "/" in self.id

    def abs_url(self) -> str:
        return f"https://arxiv.org/abs/{self}"

    def pdf_url(self, base: str = "https://arxiv.org/pdf/") -> str:
        return f"{base.rstrip('/')}/{self}"


def _valid_new(yymm: str, num: str) -> bool:
    year, month = int(yymm[:2]), int(yymm[2:])
    if not 1 <= month <= 12:
        return False
    if len(num) == 4:  # four-digit numbers ran from 0704 to 1412
        return (7, 4) <= (year, month) <= (14, 12)
    return (year, month) >= (15, 1)


def _match_bare(text: str) -> ArxivId | None:
    m = _NEW.fullmatch(text)
    if m:
        if not _valid_new(m["yymm"], m["num"]):
            return None
        version = int(m["version"]) if m["version"] else None
        return ArxivId(f"{m['yymm']}.{m['num']}", version)
    m = _OLD.fullmatch(text)
    if m:
        month = int(m["yymm"][2:])
        if not 1 <= month <= 12:
            return None
        version = int(m["version"]) if m["version"] else None
        return ArxivId(f"{m['archive'].lower()}/{m['yymm']}{m['num']}", version)
    return None


def parse_arxiv_id(text: str) -> ArxivId | None:
    """Return the id named by ``text`` (a bare id, prefixed id or arXiv URL), or None."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not text or len(text) > 300:
        return None
    if "://" in text or text.lower().startswith(("arxiv.org/", "www.arxiv.org/")):
        return _parse_url(text if "://" in text else "https://" + text)
    return _match_bare(_PREFIX.sub("", text))


def _parse_url(url: str) -> ArxivId | None:
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or host not in _HOSTS:
        return None
    m = _PATH.match(unquote(parts.path))
    if not m:
        return None
    return _match_bare(_PREFIX.sub("", m["rest"]))


def is_arxiv_url(url: str) -> bool:
    """True when ``url`` points at an arXiv host, whether or not it names a valid paper."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return False
    return host in _HOSTS


def safe_file_stem(arxiv_id: str) -> str:
    """A file name stem for an id that is safe on every file system (old ids contain '/')."""
    return re.sub(r"[^A-Za-z0-9.\-]", "_", arxiv_id)
