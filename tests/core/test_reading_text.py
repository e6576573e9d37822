"""The one text rule for what Ctrl+C copies, what a highlight quotes and what search finds."""

from __future__ import annotations

from readerapp.core.reading_text import as_read, join_broken_words, joins_next_line


def test_copied_text_spells_out_ligatures_joins_broken_words_and_a_paragraphs_lines() -> None:
    typeset = "We \ufb01ne-tune the e\ufb03cient\nlarge trans-\nformers (x\u00b2, Section 3-\nA)."
    assert as_read(typeset) == (
        "We fine-tune the efficient large transformers (x\u00b2, Section 3- A)."
    )


def test_paragraphs_stay_apart() -> None:
    text = "First paragraph that we com-\npile.\n\nSecond one,\nits end."
    assert as_read(text) == "First paragraph that we compile.\n\nSecond one, its end."


def test_only_a_letter_before_the_hyphen_and_lower_case_after_make_a_broken_word() -> None:
    assert join_broken_words("com-\npile GPT-\n4 al-\nternative Section 3-\nA") == (
        "compile GPT-\n4 alternative Section 3-\nA"
    )
    assert joins_next_line("com-", "pile")
    assert not joins_next_line("GPT-", "4") and not joins_next_line("-", "a")
    assert not joins_next_line("well-", "Known")
