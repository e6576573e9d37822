"""Text as the reader reads it, the one rule for what Ctrl+C copies, what a highlight quotes and
what search finds: ligatures spelled out, a word hyphenated at a line end joined up, and the lines
of a paragraph joined into one.

LaTeX breaks "compile" into "com-" at the end of one line and "pile" at the start of the next. A
hyphen followed by a lower-case letter on the next line is such a break; "GPT-" before "4" or
"Section 3-" before "A" is not, and keeps its hyphen.
"""

from __future__ import annotations

import re

from readerapp.core.anchoring import LIGATURES

_LIGATURES = str.maketrans({**LIGATURES, "\ufb05": "st", "\ufb06": "st"})
_BROKEN_WORD = re.compile(r"(?<=[^\W\d_])-[ \t]*\n[ \t]*(?=[a-z])")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


def joins_next_line(word: str, following: str) -> bool:
    """Whether ``word``, last on its line, is the first half of a word that ``following``
    (first on the next line) ends."""
    return len(word) > 1 and word.endswith("-") and word[-2].isalpha() and following[:1].islower()


def join_broken_words(text: str) -> str:
    """``text`` with every word hyphenated at a line end ("com-\\npile") joined ("compile")."""
    return _BROKEN_WORD.sub("", text)


def spell_out_ligatures(text: str) -> str:
    return text.translate(_LIGATURES)


def as_read(text: str) -> str:
    """Selected text (lines separated by newlines, paragraphs by a blank line) as the reader
    reads it: ligatures spelled out, broken words joined, each paragraph on one line, paragraphs
    a blank line apart. Other characters stay as they are (x², not x2)."""
    paragraphs = _PARAGRAPH_BREAK.split(spell_out_ligatures(text).strip())
    joined = (" ".join(join_broken_words(p).split()) for p in paragraphs)
    return "\n\n".join(p for p in joined if p)
