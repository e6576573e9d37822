"""Awesome lists (Markdown tables of papers), long titles, tables of contents and badges."""

from __future__ import annotations

from pathlib import Path

from readerapp.core.reading_list import parse_reading_list

AWESOME = Path(__file__).resolve().parents[1] / "fixtures" / "imports" / "awesome-llm.md"


def test_an_awesome_list_table_is_one_item_a_row_with_no_raw_markdown_in_notes():
    parsed = parse_reading_list(AWESOME.read_text(encoding="utf-8"))
    rows = [e for e in parsed.entries if e.topics == [("Milestone Papers",)]]
    assert [(e.arxiv_id, e.year) for e in rows] == [
        ("1706.03762", 2017),
        (None, 2018),
        ("2001.08361", 2020),
        ("2201.11990", 2022),
        ("2203.02155", 2022),
    ]
    assert all(e.notes == "" for e in rows)  # no table rows, padding or badges in the notes
    assert rows[0].venue == "NeurIPS"  # the <br> and the badge are not part of it
    for entry in parsed.entries:
        assert "|" not in entry.notes and "<" not in entry.notes


def test_a_long_link_text_that_is_a_title_stays_the_title():
    parsed = parse_reading_list(AWESOME.read_text(encoding="utf-8"))
    (mt_nlg,) = [e for e in parsed.entries if e.arxiv_id == "2201.11990"]
    assert mt_nlg.title == (
        "Using DeepSpeed and Megatron to Train Megatron-Turing NLG 530B, "
        "A Large-Scale Generative Language Model"
    )
    assert not mt_nlg.title_is_guess and mt_nlg.notes == ""


def test_a_long_sentence_as_link_text_is_still_a_description():
    text = (
        "## T\n\n- [this paper shows that models trained on enough text learn to follow "
        "instructions in context without any tuning at all.](https://arxiv.org/abs/2005.14165)\n"
    )
    (entry,) = parse_reading_list(text).entries
    assert entry.title_is_guess and entry.title.startswith("arXiv:")
    assert entry.notes.startswith("this paper shows")


def test_table_of_contents_and_badges_are_not_items():
    parsed = parse_reading_list(AWESOME.read_text(encoding="utf-8"))
    urls = [e.url for e in parsed.entries]
    assert not any(u.startswith("#") or "star-history" in u or "awesome.re" in u for u in urls)
    assert parsed.title == "Awesome-LLM"
    assert ("Table of Content",) not in parsed.topics  # navigation, not a topic
    assert ("Milestone Papers",) in parsed.topics
