"""Text anchors for annotations: the quote plus some text before and after it.

An annotation remembers where it is twice: by page coordinates, and by its quoted words with a
little context. When the PDF changes (a new arXiv version, a re-download) the coordinates are
worthless, so the quote is found again in the new text: exactly first (context picks between
repeats), then fuzzily (a few words changed). What cannot be found is reported as ``None`` so the
caller keeps the annotation as detached instead of dropping it.

Pure Python: texts are plain strings whose whitespace has been collapsed with :func:`normalize`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

CONTEXT_CHARS = 40
FUZZY_THRESHOLD = 0.75  # share of the quote's characters that must still line up
_MAX_CANDIDATES = 40
_SEED_WORDS = 3
_WS = re.compile(r"\s+")
# The ligature glyphs LaTeX fonts draw, spelled out.
LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"}
# Ligatures and invisible characters PDFs emit that a reader types differently.
_TRANSLATE = str.maketrans(
    {
        "\u00ad": None,  # soft hyphen
        "\u200b": None,
        **LIGATURES,
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
    }
)


def normalize(text: str) -> str:
    """Whitespace collapsed to single spaces, ligatures expanded, curly quotes straightened."""
    return _WS.sub(" ", text.translate(_TRANSLATE)).strip()


@dataclass(frozen=True, slots=True)
class TextAnchor:
    """What an annotation quotes, with up to CONTEXT_CHARS of text on each side."""

    quote: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True, slots=True)
class AnchorMatch:
    """Where an anchor was found: ``text[start:end]``; ``exact`` is False for a fuzzy match."""

    start: int
    end: int
    exact: bool
    score: float


def make_anchor(text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> TextAnchor:
    """The anchor for ``text[start:end]`` (``text`` already normalized)."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    return TextAnchor(
        quote=text[start:end].strip(),
        prefix=text[max(0, start - context) : start].strip(),
        suffix=text[end : end + context].strip(),
    )


def locate(text: str, anchor: TextAnchor, hint: int | None = None) -> AnchorMatch | None:
    """Find ``anchor`` in ``text``: exact first, then fuzzy; ``None`` when it is gone.

    ``hint`` (an offset where the quote used to be) breaks ties between equally good places.
    """
    quote = normalize(anchor.quote)
    if not quote or not text:
        return None
    exact = _exact(text, quote, anchor, hint)
    if exact is not None:
        return exact
    return _fuzzy(text, quote, anchor, hint)


def _exact(text: str, quote: str, anchor: TextAnchor, hint: int | None) -> AnchorMatch | None:
    starts = []
    pos = text.find(quote)
    while pos != -1:
        starts.append(pos)
        pos = text.find(quote, pos + 1)
    if not starts:
        return None
    best = max(
        starts, key=lambda s: (_context_score(text, s, s + len(quote), anchor), -_dist(s, hint))
    )
    return AnchorMatch(best, best + len(quote), True, 1.0)


def _fuzzy(text: str, quote: str, anchor: TextAnchor, hint: int | None) -> AnchorMatch | None:
    """Align the quote around candidate places voted for by its word seeds and its context."""
    votes: dict[int, int] = {}
    for offset, seed in _seeds(quote):
        pos = text.find(seed)
        seen = 0
        while pos != -1 and seen < _MAX_CANDIDATES:
            start = max(0, pos - offset)
            bucket = start // 16  # nearby candidates are the same place
            votes[bucket] = votes.get(bucket, 0) + 1
            pos = text.find(seed, pos + 1)
            seen += 1
    prefix, suffix = normalize(anchor.prefix), normalize(anchor.suffix)
    if len(prefix) >= 8:
        pos = text.find(prefix)
        if pos != -1:
            votes[(pos + len(prefix)) // 16] = votes.get((pos + len(prefix)) // 16, 0) + 2
    if len(suffix) >= 8:
        pos = text.find(suffix)
        if pos != -1:
            start = max(0, pos - len(quote))
            votes[start // 16] = votes.get(start // 16, 0) + 2
    if not votes:
        return None
    ranked = sorted(votes, key=lambda b: -votes[b])[:_MAX_CANDIDATES]
    best: AnchorMatch | None = None
    best_key: tuple[float, float, float] = (0.0, 0.0, 0.0)
    slack = max(16, len(quote) // 2)
    for bucket in ranked:
        window_start = max(0, bucket * 16 - slack)
        window = text[window_start : bucket * 16 + len(quote) + slack + 16]
        found = _align(quote, window)
        if found is None:
            continue
        score, a, b = found
        start, end = window_start + a, window_start + b
        start, end = _snap_to_words(text, start, end)
        key = (score, _context_score(text, start, end, anchor), -_dist(start, hint))
        if score >= FUZZY_THRESHOLD and key > best_key:
            best, best_key = AnchorMatch(start, end, False, score), key
    return best


def _seeds(quote: str) -> list[tuple[int, str]]:
    """Runs of a few words taken across the quote, with their offsets in it."""
    words = [(m.start(), m.group()) for m in re.finditer(r"\S+", quote)]
    if len(words) < _SEED_WORDS:
        return [(0, quote)] if len(quote) >= 4 else []
    seeds = []
    step = max(1, (len(words) - _SEED_WORDS + 1) // 12)  # at most about a dozen seeds
    for i in range(0, len(words) - _SEED_WORDS + 1, step):
        start = words[i][0]
        last_start, last_word = words[i + _SEED_WORDS - 1]
        seeds.append((start, quote[start : last_start + len(last_word)]))
    return seeds


def _align(quote: str, window: str) -> tuple[float, int, int] | None:
    """How much of ``quote`` lines up in ``window``, and the span of ``window`` it covers."""
    matcher = SequenceMatcher(None, quote, window, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size >= 3]
    if not blocks:
        return None
    matched = sum(b.size for b in blocks)
    first, last = blocks[0], blocks[-1]
    a = first.b - first.a  # extend to where the quote's first character would be
    b = last.b + last.size + (len(quote) - last.a - last.size)
    a, b = max(0, a), min(len(window), b)
    span = max(1, b - a)
    # Penalize a span much longer than the quote (the words were spread apart).
    score = matched / max(len(quote), span)
    return score, a, b


def _snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a fuzzy span to whole words: a highlight never starts or ends mid-word."""
    while 0 < start < len(text) and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while start < end and text[start].isspace():
        start += 1
    while 0 < end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _context_score(text: str, start: int, end: int, anchor: TextAnchor) -> float:
    """How well the text around a place matches the anchor's prefix and suffix (0..2)."""
    prefix, suffix = normalize(anchor.prefix), normalize(anchor.suffix)
    score = 0.0
    if prefix:
        before = text[max(0, start - len(prefix) - 1) : start].rstrip()
        score += _common_suffix(before, prefix) / len(prefix)
    if suffix:
        after = text[end : end + len(suffix) + 1].lstrip()
        score += _common_prefix(after, suffix) / len(suffix)
    return score


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


def _dist(pos: int, hint: int | None) -> int:
    return 0 if hint is None else abs(pos - hint)
