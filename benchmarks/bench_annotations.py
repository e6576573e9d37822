"""Annotation figures: re-anchoring onto a new version, making a highlight, showing the pane.

Floors are measured in the same run: re-anchoring is compared with reading the new PDF's text
(work any re-anchoring must do), a highlight with reading its one page's words.
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

import pymupdf

from benchmarks import Figure
from readerapp.app import open_services
from readerapp.pdf.textmap import DocumentText

PAGES = 300
HIGHLIGHTS = 300
WORDS = [
    "model",
    "features",
    "sparse",
    "attention",
    "residual",
    "stream",
    "layer",
    "training",
    "loss",
    "scaling",
    "data",
    "token",
    "probe",
    "circuit",
    "neuron",
    "head",
    "gradient",
    "alignment",
    "reward",
    "policy",
    "context",
    "window",
    "evaluation",
    "benchmark",
    "transformer",
    "dictionary",
    "autoencoder",
    "interpretability",
    "causal",
    "ablation",
]


def _lines(rng: random.Random, n: int) -> list[str]:
    return [" ".join(rng.choice(WORDS) for _ in range(11)) + f" ({i})." for i in range(n)]


def _make(path: Path, pages: list[list[str]]) -> Path:
    doc = pymupdf.open()
    for lines in pages:
        page = doc.new_page()
        for i, line in enumerate(lines):
            page.insert_text((50, 60 + 14 * i), line, fontsize=9)
    doc.save(path)
    doc.close()
    return path


def _best(func, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def run() -> list[Figure]:
    rng = random.Random(5)
    tmp = Path(tempfile.mkdtemp(prefix="bench-annotations-"))
    pages = [_lines(rng, 40) for _ in range(PAGES)]
    v1 = _make(tmp / "v1.pdf", pages)
    # v2: a new first page and a new line at the top of every page shift everything.
    v2 = _make(tmp / "v2.pdf", [["A new title page."]] + [["Inserted line."] + p for p in pages])

    services = open_services(str(tmp / "library"), seed=False)
    item = services.library.add_item("Benchmark paper", kind="paper")
    services.files.store_copy(v1, "items/bench.pdf")
    services.library.update_item(item.id, pdf_path="items/bench.pdf")
    svc = services.annotations
    with pymupdf.open(v1) as doc:
        targets = []
        for k in range(HIGHLIGHTS):
            page_index = (k * 7) % PAGES
            line = pages[page_index][(k * 3) % 40]
            quote = " ".join(line.split()[2:7])
            rects = [tuple(r) for r in doc[page_index].search_for(quote)][:1]
            targets.append((page_index, rects, quote))

    floor_page = _best(lambda: DocumentText.from_path(v1, range(150, 151)), 5)
    start = time.perf_counter()
    for page_index, rects, quote in targets:
        svc._text_cache.clear()  # worst case: the page's words are read for every highlight
        svc.create_text(item.id, page_index, list(rects), quote)
    per_highlight = (time.perf_counter() - start) / len(targets)

    floor_text = _best(lambda: DocumentText.from_path(v2))
    start = time.perf_counter()
    report = svc.reanchor_item(item.id, v2)
    reanchor = time.perf_counter() - start
    placed = report.exact + report.fuzzy

    from PySide6.QtWidgets import QApplication

    from readerapp.gui.annotation_pane import AnnotationPane

    app = QApplication.instance() or QApplication([])
    anns, palette = svc.annotations(item.id), svc.repo.palette()

    def first_show() -> None:
        pane = AnnotationPane(services.item_edits)
        pane.resize(300, 800)
        pane.set_annotations(anns, palette)
        pane.deleteLater()

    show = _best(first_show)
    pane = AnnotationPane(services.item_edits)
    pane.resize(300, 800)
    pane.set_annotations(anns[1:], palette)
    start = time.perf_counter()
    pane.set_annotations(anns, palette)  # one highlight made: the pane follows
    follow = time.perf_counter() - start
    pane.deleteLater()
    app.processEvents()
    services.close()

    return [
        Figure(
            "annotations: highlight made and committed vs reading its page",
            per_highlight / floor_page,
            4.0,  # the page read, plus two lookups, the insert and its search-index trigger
        ),
        Figure("annotations: one highlight on a 300-page PDF", per_highlight * 1000, 50, "ms"),
        Figure(
            f"annotations: re-anchor {HIGHLIGHTS} highlights vs reading v2's text",
            reanchor / floor_text,
            2.0,
        ),
        Figure(
            "annotations: highlights placed on v2", placed / HIGHLIGHTS, 1.0, higher_is_better=True
        ),
        Figure(f"annotations: pane first shows {len(anns)} annotations", show * 1000, 800, "ms"),
        Figure(
            f"annotations: pane follows one new highlight among {len(anns)}",
            follow * 1000,
            50,
            "ms",
        ),
    ]
