"""Finding a quote again in changed text: exact, by context among repeats, fuzzy, or not at all."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from readerapp.core.anchoring import TextAnchor, locate, make_anchor, normalize

TEXT = normalize(
    """We study sparse autoencoders on the residual stream. The method recovers features that
    are monosemantic. Results show that the features are interpretable. The method recovers
    features that are causal when ablated. A limitation is the cost of training."""
)


def _anchor_of(text: str, quote: str, occurrence: int = 0) -> TextAnchor:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return make_anchor(text, start, start + len(quote))


def test_make_anchor_keeps_quote_and_context() -> None:
    anchor = _anchor_of(TEXT, "the features are interpretable")
    assert anchor.quote == "the features are interpretable"
    assert anchor.prefix.endswith("Results show that")
    assert anchor.suffix.startswith(". The method")


def test_exact_match_after_text_inserted_before_and_after() -> None:
    anchor = _anchor_of(TEXT, "the features are interpretable")
    changed = "An inserted opening paragraph about something else. " + TEXT + " And an appendix."
    match = locate(changed, anchor)
    assert match is not None and match.exact
    assert changed[match.start : match.end] == "the features are interpretable"


def test_context_chooses_between_repeated_quotes() -> None:
    quote = "The method recovers features that are"
    second = _anchor_of(TEXT, quote, occurrence=1)
    changed = "Preface. " + TEXT
    match = locate(changed, second)
    assert match is not None
    assert changed[match.end :].startswith(" causal when ablated")
    first = _anchor_of(TEXT, quote, occurrence=0)
    match = locate(changed, first)
    assert match is not None
    assert changed[match.end :].startswith(" monosemantic")


def test_fuzzy_match_when_a_few_words_changed() -> None:
    anchor = _anchor_of(TEXT, "A limitation is the cost of training")
    changed = TEXT.replace(
        "A limitation is the cost of training", "A key limitation is the cost of training"
    )
    match = locate(changed, anchor)
    assert match is not None and not match.exact
    assert "limitation is the cost of training" in changed[match.start : match.end]


def test_fuzzy_match_of_a_corrected_typo() -> None:
    typo = TEXT.replace("monosemantic", "monosemantc")
    anchor = _anchor_of(typo, "recovers features that are monosemantc")
    match = locate(TEXT, anchor)
    assert match is not None and not match.exact
    assert TEXT[match.start : match.end] == "recovers features that are monosemantic"


def test_removed_passage_is_not_found() -> None:
    anchor = _anchor_of(TEXT, "Results show that the features are interpretable.")
    changed = TEXT.replace("Results show that the features are interpretable. ", "")
    assert locate(changed, anchor) is None


def test_empty_quote_and_empty_text_are_not_found() -> None:
    assert locate(TEXT, TextAnchor("")) is None
    assert locate("", TextAnchor("anything")) is None


def test_normalize_collapses_whitespace_and_ligatures() -> None:
    assert normalize("  e\ufb03cient \n\t \ufb01ne\u00ad-tuning ") == "efficient fine-tuning"


words = st.lists(
    st.sampled_from(["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]),
    min_size=30,
    max_size=80,
)


@settings(max_examples=60, deadline=None)
@given(words, st.data())
def test_any_quote_is_found_exactly_after_insertions(ws: list[str], data: st.DataObject) -> None:
    text = " ".join(ws)
    i = data.draw(st.integers(0, len(ws) - 4))
    n = data.draw(st.integers(3, min(10, len(ws) - i)))
    start = len(" ".join(ws[:i])) + (1 if i else 0)
    quote = " ".join(ws[i : i + n])
    anchor = make_anchor(text, start, start + len(quote))
    changed = "inserted words here " + text + " and after"
    match = locate(changed, anchor)
    assert match is not None and match.exact
    assert changed[match.start : match.end] == quote
    # context picks the original place among repeats
    assert match.start == start + len("inserted words here ")
