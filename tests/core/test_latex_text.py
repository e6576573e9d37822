"""Feed titles and abstracts: the authors' LaTeX read as text, plain text left alone."""

from __future__ import annotations

import pytest

from readerapp.core.latex_text import latex_title, latex_to_text


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (
            r"Learning $q$-Functions with $\alpha$-Divergences",
            "Learning q-Functions with α-Divergences",
        ),
        (r"Robust Agents\footnote{Work done at an invented lab.} Now", "Robust Agents Now"),
        (r"Schr\"odinger Bridges for $\mathbb{R}^d$", "Schrödinger Bridges for ℝ^d"),
        (r"A Precis\~ao da Metrologia Qu\^antica", "A Precisão da Metrologia Quântica"),
        ("A Plain Title at 100% Strength & More", "A Plain Title at 100% Strength & More"),
    ],
)
def test_titles_read_as_text(raw: str, shown: str) -> None:
    assert latex_title(raw) == shown


def test_abstracts_keep_percent_signs_and_drop_citations() -> None:
    raw = r"We gain 12% over $\ell_1$ baselines \cite{x}; code is \href{https://e.org/c}{here}."
    assert latex_to_text(raw) == "We gain 12% over ℓ_1 baselines; code is here."


def test_text_without_latex_is_returned_untouched() -> None:
    text = "Nothing to render: 40% fewer steps, A&B  spacing kept."
    assert latex_to_text(text) is text
