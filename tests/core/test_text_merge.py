"""Both versions of a text changed in two places are kept; one side's change simply wins."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from readerapp.core.text_merge import BLOCK_END, MergedText, merge_text


def test_a_change_on_one_side_only_wins_without_a_conflict() -> None:
    assert merge_text("a", "a b", "a", when="10:00") == MergedText("a b", False)
    assert merge_text("a", "a", "a c", when="10:00") == MergedText("a c", False)
    assert merge_text("a", "same", "same", when="10:00") == MergedText("same", False)


def test_both_sides_keep_their_words_the_other_side_marked_after_the_users() -> None:
    base = "Scaling laws hold.\n"
    mine = "Scaling laws hold.\nBut check the compute budget"
    theirs = "Scaling laws hold.\n\nImported: see Chinchilla.\n"
    merged = merge_text(base, mine, theirs, when="10:42")
    assert merged.conflict
    assert merged.text.startswith(mine)  # the user's text, cursor and all, stay as typed
    block = merged.text[len(mine) :]
    assert "Written elsewhere at 10:42" in block
    assert "Imported: see Chinchilla." in block
    assert "Scaling laws hold." not in block  # only what the other side added
    assert block.rstrip().endswith(BLOCK_END)


def test_merging_the_same_change_twice_adds_it_once() -> None:
    base, theirs = "notes", "notes\nimported line\n"
    once = merge_text(base, "notes and mine", theirs, when="10:00").text
    assert once.count("imported line") == 1
    assert merge_text(base, once, theirs, when="10:01").text == once


def test_text_removed_elsewhere_is_still_in_the_users_copy() -> None:
    merged = merge_text("keep\ndrop\n", "keep\ndrop\nmore\n", "keep\n", when="10:00")
    assert merged.text == "keep\ndrop\nmore\n"


def test_one_line_texts_stay_on_one_line() -> None:
    merged = merge_text(
        "which layer?", "which layer? 5", "which head?\n", when="9:05", one_line=True
    )
    assert merged.conflict
    assert merged.text.startswith("which layer? 5")
    assert "which head?" in merged.text and "\n" not in merged.text


@given(st.text(max_size=40), st.text(max_size=40), st.text(max_size=40))
def test_nothing_typed_is_ever_lost(base: str, mine: str, theirs: str) -> None:
    merged = merge_text(base, mine, theirs, when="10:00")
    if mine != base:
        assert merged.text.startswith(mine)  # the user's text is always kept whole
    else:
        assert merged.text == theirs
