"""arXiv: parsing a full 100-paper API answer, and applying a batched version check to the library.

Ratios against floors measured in the same run: feedparser's own parse of the same bytes, and one
bulk UPDATE of the same rows.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import feedparser

from benchmarks import Figure
from readerapp.app import open_services
from readerapp.core.arxiv_ids import ArxivId
from readerapp.net.arxiv import PaperMetadata, parse_api_response

ENTRY = """<entry><id>http://arxiv.org/abs/{i}v{v}</id><title>Paper {n} about
  sparse features</title><updated>2024-02-02T10:00:00Z</updated>
<summary>An abstract that is wrapped
  over lines, as the legacy format did, for paper {n}.</summary>
<category term="cs.CL" scheme="http://arxiv.org/schemas/atom"/><category term="cs.LG"/>
<published>2024-01-02T10:00:00Z</published><arxiv:comment>12 pages</arxiv:comment>
<arxiv:primary_category term="cs.CL"/><author><name>Ada Lovelace</name></author>
<author><name>Alan Turing</name></author><arxiv:doi>10.1000/{n}</arxiv:doi></entry>"""


def _api_answer(count: int) -> bytes:
    entries = "".join(ENTRY.format(i=f"2401.{n:05d}", v=1 + n % 3, n=n) for n in range(count))
    return (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:arxiv="http://arxiv.org/schemas/atom">' + entries + "</feed>"
    ).encode()


def _best(fn, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _paired(ours, floor, rounds: int = 15) -> tuple[float, float]:
    """(median of ours / floor over back-to-back pairs, median seconds of ours): a shared
    machine's speed drifts, and a pair sees one moment of it. The order alternates."""
    ratios, times = [], []
    for n in range(rounds):
        timed = {}
        for side in (ours, floor) if n % 2 else (floor, ours):
            start = time.perf_counter()
            side()
            timed[side] = time.perf_counter() - start
        ratios.append(timed[ours] / timed[floor])
        times.append(timed[ours])
    return statistics.median(ratios), statistics.median(times)


def run() -> list[Figure]:
    body = _api_answer(100)
    parse_api_response(body)  # warm: imports and feedparser's first-call set-up
    ratio, ours = _paired(lambda: parse_api_response(body), lambda: feedparser.parse(body))
    figures = [
        Figure(
            "arxiv: parse 100-paper API answer vs feedparser alone, median of 15 pairs",
            ratio,
            1.3,
        ),
        Figure("arxiv: parse 100-paper API answer", ours * 1000, 250, "ms"),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        services = open_services(str(Path(tmp) / "lib"), seed=False)
        try:
            papers = services.papers
            asked = []
            with services.db.transaction():
                for n in range(1000):
                    ident = ArxivId(f"2402.{n:05d}", 1)
                    item = papers.create_arxiv_item(ident, None, [], want_pdf=False)
                    asked.append((item.id, ident.id))
            found = {
                a: PaperMetadata(a, 2, f"Paper {a}", ["Ada Lovelace"], "Abstract.", ["cs.CL"])
                for _, a in asked
            }
            start = time.perf_counter()
            papers.apply_metadata_batch(found, asked)
            applied = time.perf_counter() - start
            assert papers.state.pending() == [], "every pending paper was filled in"
            ids = [i for i, _ in asked]

            def bulk() -> None:
                with services.db.transaction() as conn:
                    conn.executemany(
                        "UPDATE items SET latest_version = 3, title = ? WHERE id = ?",
                        [(f"t{i}", i) for i in ids],
                    )

            floor_update = _best(bulk, 3)
        finally:
            services.close()
    figures += [
        Figure("arxiv: apply a 1000-paper version check", applied * 1000, 1000, "ms"),
        Figure("arxiv: apply 1000-paper check vs one bulk UPDATE", applied / floor_update, 15),
    ]
    return figures
