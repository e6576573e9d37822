"""Page text as the reader reads it: find ignores ligatures, case and line-end hyphens, and
Ctrl+C copies words whole.

LaTeX papers draw "fi", "ffi" and the like as one ligature glyph, and break words across lines
with a hyphen: typed "efficiency" or "transformers" must still match "eﬃciency" and
"trans- / formers". Each match is reported as one rectangle per line it covers, so a match that
wraps onto the next line is still one match.
"""

from __future__ import annotations

import bisect
import re
import unicodedata

from readerapp.core.reading_text import as_read, joins_next_line
from readerapp.pdf.types import Rect, Word

__all__ = ["PageText", "as_read", "normalise"]

_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Ligatures and other compatibility forms spelled out, case folded, spaces collapsed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


class PageText:
    """A page's words joined into one normalised string, with where each word sits in it."""

    def __init__(self, words: list[Word]) -> None:
        parts: list[str] = []
        # For each word kept: where its text begins in the haystack, its length there (without
        # a line-end hyphen), and the word. Starts ascend, so a match finds its words by bisect.
        self._starts: list[int] = []
        self._lengths: list[int] = []
        self._words: list[Word] = []
        at = 0
        for i, word in enumerate(words):
            text = normalise(word.text)
            if not text:
                continue
            following = words[i + 1] if i + 1 < len(words) else None
            # "trans-" ending a line, then "formers": one word, as the reader sees it.
            joined = (
                following is not None
                and (following.block, following.line) != (word.block, word.line)
                and joins_next_line(text, following.text)
            )
            if joined:
                text = text[:-1]
            self._starts.append(at)
            self._lengths.append(len(text))
            self._words.append(word)
            parts.append(text)
            at += len(text)
            if not joined:
                parts.append(" ")
                at += 1
        self.haystack = "".join(parts)

    def find(self, query: str) -> list[list[Rect]]:
        """Every match of ``query``: for each, one rectangle per line it covers."""
        needle = normalise(query)
        if not needle:
            return []
        matches = []
        start = self.haystack.find(needle)
        while start >= 0:
            matches.append(self._rects(start, start + len(needle)))
            start = self.haystack.find(needle, start + len(needle))
        return matches

    def _rects(self, start: int, end: int) -> list[Rect]:
        lines: dict[tuple[int, int], list[float]] = {}
        first = max(0, bisect.bisect_right(self._starts, start) - 1)
        for i in range(first, len(self._starts)):
            word_start, length, word = self._starts[i], self._lengths[i], self._words[i]
            if word_start >= end:
                break
            a, b = max(start, word_start), min(end, word_start + length)
            if a >= b:
                continue
            # Part of a word: its share of the word's width (glyph widths are not known here).
            x0, y0, x1, y1 = word.rect
            share = (x1 - x0) / max(1, length)
            left, right = x0 + (a - word_start) * share, x0 + (b - word_start) * share
            key = (word.block, word.line)
            if key in lines:
                box = lines[key]
                box[:] = [min(box[0], left), min(box[1], y0), max(box[2], right), max(box[3], y1)]
            else:
                lines[key] = [left, y0, right, y1]
        return [(b[0], b[1], b[2], b[3]) for b in lines.values()]
