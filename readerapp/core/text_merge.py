"""Keeping both versions of a text that was changed in two places at once.

An editor knows the text it started from (``base``), what the user made of it (``mine``), and
finds what is stored now (``theirs``). When only one side changed, that side wins. When both did,
the user's text is kept as typed and what the other side added follows it in a clearly marked
block, so nothing is lost and nothing is changed under the user's cursor.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

BLOCK_START = "──── Written elsewhere at {when}, while you were editing here (both kept) ────"
BLOCK_END = "──── End of what was written elsewhere ────"
INLINE_MARK = " [written elsewhere at {when}: {text}]"  # plain brackets: every font has them


@dataclass(frozen=True, slots=True)
class MergedText:
    text: str  # what to store
    conflict: bool  # both sides changed it: the other side's words follow the user's, marked


def merge_text(
    base: str, mine: str, theirs: str, *, when: str, one_line: bool = False
) -> MergedText:
    """The text to store when ``base`` became ``mine`` here and ``theirs`` elsewhere.

    A conflict's result always starts with ``mine`` unchanged, so an editor can append the rest
    without moving the cursor. ``one_line`` keeps the result on one line (a comment field).
    """
    if theirs in (base, mine):
        return MergedText(mine, False)
    if mine == base:  # nothing typed here since the last save: take theirs as it is
        return MergedText(theirs, False)
    added = theirs.strip() if one_line else _lines_added(base, theirs).strip("\n")
    if not added.strip():  # the other side only removed text: the user's copy still holds it
        return MergedText(mine, True)
    if added in mine:  # already merged once (the same import twice, a retried save)
        return MergedText(mine, False)
    if one_line:
        return MergedText(mine + INLINE_MARK.format(when=when, text=" ".join(added.split())), True)
    block = f"{BLOCK_START.format(when=when)}\n\n{added}\n\n{BLOCK_END}\n"
    gap = "\n" * max(0, 2 - (len(mine) - len(mine.rstrip("\n"))))  # one blank line before it
    return MergedText(mine + (gap if mine else "") + block, True)


def _lines_added(base: str, theirs: str) -> str:
    """The lines of ``theirs`` that ``base`` does not have (inserted or rewritten), in order."""
    old, new = base.splitlines(), theirs.splitlines()  # "a" and "a\n" end in the same line
    added: list[str] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag in ("insert", "replace"):
            added.extend(new[j1:j2])
    return "\n".join(added)
