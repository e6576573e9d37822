"""Feeds for the tests: the hand-written files in tests/fixtures/feeds/, and a day of arXiv RSS as
large as a real multi-category one, generated in arXiv's exact format with invented papers.

The large feed is made here rather than committed: 1,504 items of XML is megabytes, and being
generated it can say exactly what it holds (how many items of each kind, which categories).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from tests.conftest import fixture_path


def feed_bytes(name: str) -> bytes:
    """The bytes of a hand-written feed in tests/fixtures/feeds/."""
    return fixture_path("feeds", name).read_bytes()


@dataclass(frozen=True)
class RssItem:
    """One item of arXiv's RSS 2.0 feed (the format in use since January 2024)."""

    arxiv_id: str
    version: int
    title: str
    abstract: str
    creators: str  # arXiv's one comma-joined dc:creator, affiliations in parentheses
    categories: list[str]
    announce_type: str = "new"  # new | cross | replace | replace-cross
    rights: str = "http://arxiv.org/licenses/nonexclusive-distrib/1.0/"
    doi: str = ""
    journal_reference: str = ""


@dataclass(frozen=True)
class RssDay:
    """A day's announcement: the channel and its items."""

    categories: str  # "cs.LG+cs.CL", as in the feed's URL
    items: list[RssItem] = field(default_factory=list)
    day: str = "Tue, 24 Nov 2026"


_RSS_HEAD = """<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" version="2.0">
  <channel>
    <title>{names} updates on arXiv.org</title>
    <link>http://rss.arxiv.org/rss/{query}</link>
    <description>{names} updates on the arXiv.org e-print archive.</description>
    <atom:link href="http://rss.arxiv.org/rss/{query}" rel="self" type="application/rss+xml"/>
    <docs>http://www.rssboard.org/rss-specification</docs>
    <language>en-us</language>
    <lastBuildDate>{day} 05:02:11 +0000</lastBuildDate>
    <managingEditor>rss-help@arxiv.org</managingEditor>
    <pubDate>{day} 00:00:00 -0500</pubDate>
    <skipDays>
      <day>Saturday</day>
      <day>Sunday</day>
    </skipDays>
"""


def arxiv_rss(day: RssDay) -> bytes:
    """``day`` as arXiv's RSS server writes it, byte for byte in its layout."""
    names = ", ".join(day.categories.split("+"))
    out = [_RSS_HEAD.format(names=names, query=day.categories, day=day.day)]
    for item in day.items:
        out.append("    <item>\n")
        out.append(f"      <title>{escape(item.title)}</title>\n")
        out.append(f"      <link>https://arxiv.org/abs/{item.arxiv_id}</link>\n")
        # arXiv writes a space before the line break after the announce type.
        out.append(
            f"      <description>arXiv:{item.arxiv_id}v{item.version} Announce Type: "
            f"{item.announce_type} \nAbstract: {escape(item.abstract)}</description>\n"
        )
        out.append(
            f'      <guid isPermaLink="false">oai:arXiv.org:{item.arxiv_id}v{item.version}</guid>\n'
        )
        out.extend(f"      <category>{c}</category>\n" for c in item.categories)
        out.append(f"      <pubDate>{day.day} 00:00:00 -0500</pubDate>\n")
        out.append(f"      <arxiv:announce_type>{item.announce_type}</arxiv:announce_type>\n")
        out.append(f"      <dc:rights>{item.rights}</dc:rights>\n")
        if item.doi:
            out.append(f"      <arxiv:DOI>{escape(item.doi)}</arxiv:DOI>\n")
        if item.journal_reference:
            out.append(
                "      <arxiv:journal_reference>"
                f"{escape(item.journal_reference)}</arxiv:journal_reference>\n"
            )
        out.append(f"      <dc:creator>{escape(item.creators)}</dc:creator>\n")
        out.append("    </item>\n")
    out.append("  </channel>\n</rss>\n")
    return "".join(out).encode()


# ---- the large feed ---------------------------------------------------------------------------

# As many items of each kind as a real day of 20 archives (28 Nov 2024): new first, then
# cross-lists, then replacements, the order arXiv lists them in.
LARGE_FEED_KINDS = {"new": 926, "cross": 9, "replace": 569}
LARGE_FEED_SIZE = sum(LARGE_FEED_KINDS.values())

_CATEGORY_SETS = [
    ["cs.LG", "cs.AI"],
    ["cs.CL"],
    ["cs.CV", "cs.LG"],
    ["cs.RO", "cs.SY", "eess.SY"],
    ["stat.ML", "cs.LG"],
    ["cs.CR"],
    ["cs.CL", "cs.AI", "cs.LG"],
    ["math.OC", "cs.LG"],
    ["cs.NE"],
    ["quant-ph"],
    ["cs.HC", "cs.CY"],
    ["astro-ph.IM", "cs.LG"],
]
_OPENINGS = ["Towards", "Revisiting", "Scaling", "Understanding", "Learning", "Benchmarking"]
_SUBJECTS = [
    "Sparse Autoencoders",
    "Neural Operators",
    "Reward Models",
    "Tactile Policies",
    "Mechanistic Interpretability",
    "Graph Transformers",
    "Federated Optimisers",
    "Diffusion Samplers",
    "Spiking Networks",
    "Retrieval Heads",
    "Quantum Kernels",
]
_SETTINGS = [
    "for Long Documents",
    "under Distribution Shift",
    "with Few Labels",
    "in Noisy Sensors",
    "at Scale",
    "for Legged Robots",
    "from First Principles",
]
_FIRST = ["Maren", "Idris", "Saskia", "Tomasz", "Abena", "Kenji", "Lucía", "Oskar", "Priya", "Femi"]
_LAST = ["Holtby", "Okafor", "Vendrell", "Wren", "Asante", "Arakawa", "Ferreyra", "Lindqvist"]
_LAST += ["Raghunathan", "Adeyemi", "Castellanos", "Marchetti", "Brightwater"]
_CC_BY = "http://creativecommons.org/licenses/by/4.0/"
_AFFILIATIONS = ["(Universidad Nacional de Córdoba, Argentina)", "(NTNU, Trondheim, Norway)"]


def _creators(n: int) -> str:
    count = 1 + n % 4
    names = [
        f"{_FIRST[(n + k * 3) % len(_FIRST)]} {_LAST[(n * 7 + k) % len(_LAST)]}"
        for k in range(count)
    ]
    if n % 10 == 4:  # affiliations with commas of their own, as arXiv appends them
        names[0] += " " + _AFFILIATIONS[n % 2]
    return ", ".join(names)


_SYLLABLES = ["ka", "vo", "ru", "mi", "te", "lo", "sa", "ni", "da", "pe", "zu", "ro", "ha", "ki"]


def _method_name(n: int) -> str:
    """A made-up method name, different for every n below 14**3: titles are unique, as in arXiv."""
    digits = [(n // 14**k) % 14 for k in range(3)]
    return "".join(_SYLLABLES[d] for d in digits).capitalize()


def _large_item(n: int, kind: str) -> RssItem:
    subject = _SUBJECTS[n % len(_SUBJECTS)]
    title = (
        f"{_method_name(n)}: {_OPENINGS[n % len(_OPENINGS)]} {subject} "
        f"{_SETTINGS[(n // 3) % len(_SETTINGS)]}"
    )
    abstract = (
        f"We study {subject.lower()} {_SETTINGS[n % len(_SETTINGS)].lower()}, "
        f"borrowing ideas from work on {_SUBJECTS[(n + 4) % len(_SUBJECTS)].lower()}. "
        f"On {3 + n % 9} benchmarks our method improves on the best baseline by {n % 17 + 1}%, "
        "and an ablation shows which part of it matters. Code and data are released."
    )
    if kind == "new":
        ident, version = f"2611.{10000 + n:05d}", 1
    elif kind == "cross":
        ident, version = f"2611.{20000 + n:05d}", 1 + n % 2
    else:  # replacements of papers from earlier months, at a later version
        ident, version = f"{2401 + n % 12:04d}.{30000 + n:05d}", 2 + n % 4
    doi = f"10.5555/synthetic.{n:05d}" if n % 14 == 0 else ""
    journal = f"Journal of Invented Results {n % 30 + 1}, {n} (2026)" if n % 15 == 0 else ""
    return RssItem(
        arxiv_id=ident,
        version=version,
        title=title,
        abstract=abstract,
        creators=_creators(n),
        categories=list(_CATEGORY_SETS[n % len(_CATEGORY_SETS)]),
        announce_type=kind,
        rights=_CC_BY if n % 3 else RssItem.rights,
        doi=doi,
        journal_reference=journal,
    )


def large_arxiv_items() -> list[RssItem]:
    """The large feed's items, in order (for tests that need to know what it holds)."""
    kinds = [kind for kind, count in LARGE_FEED_KINDS.items() for _ in range(count)]
    return [_large_item(n, kind) for n, kind in enumerate(kinds)]


@functools.cache
def large_arxiv_rss() -> bytes:
    """A day of arXiv RSS with :data:`LARGE_FEED_SIZE` items across many categories."""
    return arxiv_rss(RssDay("cs+stat+math+quant-ph+astro-ph", large_arxiv_items()))
