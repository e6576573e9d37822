"""LaTeX in feed titles and abstracts as plain text (``$q$`` -> q, ``\\alpha`` -> α).

arXiv's feeds carry titles and abstracts as their authors typed them, LaTeX and all. pylatexenc's
latex2text does the reading; this module decides when to use it and keeps it from eating text
that is not LaTeX: a bare ``%`` would start a comment (the rest of the line lost) and a bare ``&``
is a table column, so both are escaped first. Footnotes and citations are dropped, not shown.
"""

from __future__ import annotations

import logging
import re
from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pylatexenc.latex2text import LatexNodes2Text

log = logging.getLogger(__name__)

_BARE_SPECIAL = re.compile(r"(?<!\\)([%&])")
# \href{url}{text}: pylatexenc knows no arguments for it; the text is what a reader wants.
_HREF = re.compile(r"\\href\s*\{[^{}]*\}\s*\{([^{}]*)\}")
# Macros whose argument is not part of the running text: shown by arXiv, noise in a list.
_SPACE_BEFORE_STOP = re.compile(r"[ \t]+(?=[,.;:])")  # left where a citation was dropped
_DROPPED_MACROS = ("footnote", "thanks", "cite", "citep", "citet", "ref", "label")


def looks_like_latex(text: str) -> bool:
    """True when ``text`` holds math or a command: plain text is left exactly as it is."""
    return "$" in text or "\\" in text


@cache
def _converter() -> LatexNodes2Text:
    # Imported on first use: most feeds (and every library start-up) never need it.
    from pylatexenc.latex2text import (
        LatexNodes2Text,
        MacroTextSpec,
        get_default_latex_context_db,
    )

    context = get_default_latex_context_db()
    context.add_context_category(
        "readerapp-dropped",
        prepend=True,
        macros=[MacroTextSpec(name, simplify_repl="") for name in _DROPPED_MACROS],
    )
    return LatexNodes2Text(latex_context=context, math_mode="text", strict_latex_spaces=True)


def latex_to_text(text: str) -> str:
    """``text`` with its LaTeX rendered as Unicode text; text without LaTeX is returned as is."""
    if not text or not looks_like_latex(text):
        return text
    source = _HREF.sub(r"\1", _BARE_SPECIAL.sub(r"\\\1", text))
    try:
        rendered = _converter().latex_to_text(source)
    except Exception:  # noqa: BLE001 (a parser bug must not lose the text: show it raw)
        log.debug("Could not read the LaTeX in %.80r", text, exc_info=True)
        return text
    return _SPACE_BEFORE_STOP.sub("", rendered.replace("\xa0", " "))


@lru_cache(maxsize=4096)  # a list redraws the same titles on every reload
def latex_title(text: str) -> str:
    """A title's LaTeX as text, on one line with single spaces."""
    return " ".join(latex_to_text(text).split()) if looks_like_latex(text) else text
