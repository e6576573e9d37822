"""What Ctrl+C copies: the text as read, not as typeset."""

from __future__ import annotations

from readerapp.pdf.find_text import as_read


def test_copied_text_spells_out_ligatures_and_joins_words_broken_at_a_line_end() -> None:
    typeset = "We \ufb01ne-tune the e\ufb03cient\nlarge trans-\nformers (x\u00b2, Section 3-\nA)."
    assert (
        as_read(typeset)
        == "We fine-tune the efficient\nlarge transformers (x\u00b2, Section 3-\nA)."
    )
