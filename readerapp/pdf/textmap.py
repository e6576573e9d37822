"""A PDF's words with their boxes, joined into one normalized text with known offsets.

Anchoring works on plain text (``readerapp.core.anchoring``); this module maps between that text
and page geometry: the words under a selection become a character span, and a span found again in a
new version becomes line rectangles to draw.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Container
from dataclasses import dataclass, field
from pathlib import Path

import pymupdf

from readerapp.core.anchoring import normalize
from readerapp.core.annotation import Rect
from readerapp.core.reading_text import joins_next_line
from readerapp.pdf.document import MUPDF_LOCK, shown_words


@dataclass(frozen=True, slots=True)
class Word:
    start: int  # offset in the document text
    end: int
    rect: Rect
    line: tuple[int, int]  # (block, line) on its page


@dataclass(slots=True)
class DocumentText:
    """Every page's words in reading order, joined by single spaces (pages too), as read: a word
    broken at a line end is one word (``core.reading_text``)."""

    text: str = ""
    page_starts: list[int] = field(default_factory=list)
    words: list[list[Word]] = field(default_factory=list)  # per page (0-based)

    @classmethod
    def from_path(cls, path: Path | str, pages: Container[int] | None = None) -> DocumentText:
        with MUPDF_LOCK, pymupdf.open(path) as doc:  # the viewer renders on other threads
            return cls.from_document(doc, pages)

    @classmethod
    def from_document(
        cls, doc: pymupdf.Document, pages: Container[int] | None = None
    ) -> DocumentText:
        """The text of ``pages`` (all by default); pages outside it are present but empty."""
        wanted = pages if pages is not None else range(doc.page_count)
        parts: list[str] = []
        length = 0
        result = cls()
        for index in range(doc.page_count):
            if length:
                parts.append(" ")
                length += 1
            result.page_starts.append(length)
            page_words: list[Word] = []
            if index in wanted:
                found = [
                    (w[:4], word, (w[5], w[6]))
                    for w in shown_words(doc[index])
                    if (word := normalize(w[4]))
                ]
                joined = False  # the word before was the first half of a broken word
                for n, (rect, word, line) in enumerate(found):
                    if page_words and not joined:
                        parts.append(" ")
                        length += 1
                    following = found[n + 1] if n + 1 < len(found) else None
                    # "com-" ending a line, "pile" starting the next: "compile", as read.
                    joined = (
                        following is not None
                        and following[2] != line
                        and joins_next_line(word, following[1])
                    )
                    if joined:
                        word = word[:-1]
                    page_words.append(Word(length, length + len(word), rect, line))
                    parts.append(word)
                    length += len(word)
            result.words.append(page_words)
        result.text = "".join(parts)
        return result

    def page_of(self, offset: int) -> int:
        """The 0-based page holding ``offset``."""
        return max(0, bisect_right(self.page_starts, offset) - 1)

    def page_text(self, index: int) -> str:
        end = (
            self.page_starts[index + 1] - 1 if index + 1 < len(self.page_starts) else len(self.text)
        )
        return self.text[self.page_starts[index] : end]

    def span_in_rects(self, index: int, rects: list[Rect]) -> tuple[int, int] | None:
        """The span of the words on page ``index`` whose middle lies inside one of ``rects``."""
        inside = [w for w in self.words[index] if any(_centre_in(w.rect, r) for r in rects)]
        if not inside:
            return None
        return inside[0].start, inside[-1].end

    def quote_span(self, index: int, rects: list[Rect], quote: str = "") -> tuple[int, int] | None:
        """The span of the words under ``rects``, narrowed to ``quote`` when it lies inside.

        Words are the map's unit; a selection or a highlight made elsewhere can be narrower (a
        word without its full stop), and its own text says exactly how much.
        """
        span = self.span_in_rects(index, rects)
        if span is None:
            return None
        quote = normalize(quote)
        inner = self.text.find(quote, span[0], span[1]) if quote else -1
        return (inner, inner + len(quote)) if inner != -1 else span

    def rects_for(self, start: int, end: int) -> list[tuple[int, list[Rect]]]:
        """Line rectangles covering ``text[start:end]``, grouped by 0-based page."""
        out: list[tuple[int, list[Rect]]] = []
        for index in range(self.page_of(start), self.page_of(max(start, end - 1)) + 1):
            lines: dict[tuple[int, int], list[float]] = {}
            order: list[tuple[int, int]] = []
            for w in self.words[index]:
                if w.end <= start or w.start >= end:
                    continue
                box = lines.get(w.line)
                if box is None:
                    lines[w.line] = list(w.rect)
                    order.append(w.line)
                else:
                    box[0], box[1] = min(box[0], w.rect[0]), min(box[1], w.rect[1])
                    box[2], box[3] = max(box[2], w.rect[2]), max(box[3], w.rect[3])
            if order:
                out.append((index, [tuple(lines[k]) for k in order]))  # type: ignore[misc]
        return out

    def flow_position(self, index: int, rects: list[Rect]) -> int | None:
        """Where page ``index``'s text flow reaches ``rects``: the offset from the page's start
        of the first word inside them, else of the word nearest their top-left corner (a note
        beside a paragraph, a figure without text). None for a page without words."""
        words = self.words[index] if 0 <= index < len(self.words) else []
        if not words:
            return None
        inside = next((w for w in words if any(_centre_in(w.rect, r) for r in rects)), None)
        if inside is None:
            x, y = min(r[0] for r in rects), min(r[1] for r in rects)
            inside = min(words, key=lambda w: _distance(w.rect, x, y))
        return inside.start - self.page_starts[index]

    def text_in_rects(self, index: int, rects: list[Rect]) -> str:
        span = self.span_in_rects(index, rects)
        return self.text[span[0] : span[1]] if span else ""


def _centre_in(word: Rect, area: Rect) -> bool:
    cx, cy = (word[0] + word[2]) / 2, (word[1] + word[3]) / 2
    return area[0] <= cx <= area[2] and area[1] <= cy <= area[3]


def _distance(word: Rect, x: float, y: float) -> float:
    dx = max(word[0] - x, 0.0, x - word[2])
    dy = max(word[1] - y, 0.0, y - word[3])
    return dx * dx + dy * dy
