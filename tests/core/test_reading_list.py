"""The Markdown reading list reader, against the seed diary (expectations written by hand) and
against the shapes a diary takes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from readerapp.core.models import ItemKind
from readerapp.core.reading_list import parse_reading_list
from tests.conftest import SEED_DIARY

RF = "Research focus"
WAT = ("What are transformers?",)

# (title, kind, arxiv id, topics) for every item, in the order the diary names them; read off
# /work/shared/seed/ai-diary.md by a person, not produced by the code.
EXPECTED_ITEMS = [
    ("Attention Is All You Need", ItemKind.PAPER, "1706.03762", [WAT]),
    ("Sebastian Ratchka's LinkedIn post", ItemKind.POST, None, [WAT]),
    ("Annotated Transformer", ItemKind.ARTICLE, None, [WAT]),
    ("The Illustrated Transformer", ItemKind.ARTICLE, None, [WAT]),
    # "## [Mirage](...)" is a level-2 heading that is a link: an item closing the section above;
    # the favourites after it sit under no heading at all.
    ("Are Emergent Abilities of Large Language Models a Mirage?", ItemKind.PAPER, "2304.15004", []),
    ("Exploiting Novel GPT-4 APIs", ItemKind.PAPER, "2312.14302", []),
    ("Orca: Progressive Learning from Complex Explanation Traces of GPT-4", ItemKind.PAPER, "2306.02707", []),
    ("A closer look at RLHF", ItemKind.THREAD, None, [(RF, "Alignment")]),
    # the link text is a sentence about the post, so the title comes from the URL's slug
    ("Hallucinations in large language", ItemKind.POST, None, [(RF, "Hallucination")]),
    ("Open Problems in Mechanistic Interpretability", ItemKind.PAPER, "2501.16496", [(RF, "Interpretability")]),
    # 2001.083613 is not an arXiv id: kept as written, without an id, and reported
    ("Scaling Laws for Neural Language Models", ItemKind.PAPER, None, [(RF, "Scaling Laws")]),
    ("In-Context Learning and Induction Heads", ItemKind.ARTICLE, None, [(RF, "In-context learning")]),
    ("Learning to Simulate Dynamic Environments with GameGAN", ItemKind.PAPER, "2005.12126", [(RF, "World Models")]),
    ("World Models", ItemKind.ARTICLE, None, [(RF, "World Models")]),
    ("Mastering Atari with Discrete World Models", ItemKind.PAPER, "2010.02193", [(RF, "World Models")]),
    ("V-JEPA: Latent Video Prediction for Visual Representation Learning", ItemKind.OPENREVIEW, None, [(RF, "World Models")]),
]  # fmt: skip


def _diary():
    return parse_reading_list(SEED_DIARY.read_text(encoding="utf-8"))


def test_diary_topics_follow_headings_and_numbered_pseudo_headings():
    parsed = _diary()
    assert parsed.title == "AI Research"  # the lone "#" heading names the document
    assert parsed.topics == [
        WAT,
        (RF,),
        (RF, "Alignment"),
        (RF, "Hallucination"),  # 2)"Hallucination" problem
        (RF, "Interpretability"),
        (RF, "Scaling Laws"),
        (RF, "In-context learning"),
        (RF, "World Models"),
    ]


def test_diary_items_titles_kinds_ids_and_topics():
    parsed = _diary()
    got = [(e.title, e.kind, e.arxiv_id, e.topics) for e in parsed.entries]
    assert got == EXPECTED_ITEMS


def test_diary_urls_are_kept_clean_and_arxiv_links_canonical():
    by_title = {e.title: e for e in _diary().entries}
    orca = by_title["Orca: Progressive Learning from Complex Explanation Traces of GPT-4"]
    assert orca.url == "https://arxiv.org/abs/2306.02707"  # written as a /pdf/ link
    assert orca.version is None
    linkedin = by_title["Sebastian Ratchka's LinkedIn post"]
    assert linkedin.url == (
        "https://www.linkedin.com/posts/"
        "sebastianraschka_ai-llm-transformers-activity-7074387165543092224-tlX-"
    )  # the share button's utm_ parameters are gone
    assert by_title["Scaling Laws for Neural Language Models"].url == (
        "https://arxiv.org/abs/2001.083613"
    )


def test_diary_notes_hold_the_prose_that_belongs_to_each_item():
    by_title = {e.title: e for e in _diary().entries}
    attention = by_title["Attention Is All You Need"]
    # mentioned twice: both sentences are its notes, and its authors come from "by ..."
    assert attention.notes.startswith("It was introduced through the paper [Attention Is All")
    assert "consider reading the [Transformer paper](https://arxiv.org/abs/1706.03762)" in (
        attention.notes
    )
    assert attention.authors[0] == "Ashish Vaswani" and attention.authors[-1] == "Illia Polosukhin"
    assert "Aidan N. Gomez" in attention.authors
    mirage = by_title["Are Emergent Abilities of Large Language Models a Mirage?"]
    assert mirage.notes.startswith("This paper presents a compelling case")
    orca = by_title["Orca: Progressive Learning from Complex Explanation Traces of GPT-4"]
    assert orca.notes == (
        "_Can large language models (LLMs) train themselves?_\n"
        "Credits: [Cameron Wolfe](https://cameronrwolfe.substack.com/p/"
        "orca-properly-imitating-proprietary) found through this "
        "[twitter thread](https://twitter.com/cwolferesearch/status/1673398297304911872)"
    )
    world = by_title["World Models"]
    assert world.authors == ["David Ha", "Jürgen Schmidhuber"]
    assert world.notes == ""  # "by ..." was all there was, and it became the authors
    illustrated = by_title["The Illustrated Transformer"]
    assert illustrated.authors == ["Jay Alammar"]
    hallucination = by_title["Hallucinations in large language"]
    assert hallucination.notes.startswith("Lately I have been thinking about the intersection")
    assert by_title["Exploiting Novel GPT-4 APIs"].notes == ""


def test_diary_problems_are_reported_with_lines_and_what_was_done():
    problems = {(p.line, p.what.split(" ")[0]): p for p in _diary().problems}
    image = problems[(10, "image")]
    assert "Transformer Architecture" in image.what and "skipped" in image.action
    malformed = problems[(59, "the")]
    assert "2001.083613" in malformed.what and "arXiv:2001.08361" in malformed.what
    assert "no arXiv id" in malformed.action
    credits = [p for p in _diary().problems if p.line == 40]
    assert len(credits) == 2 and all("kept in the notes of “Orca" in p.action for p in credits)
    skipped_prose = sorted(p.line for p in _diary().problems if "has no link" in p.what)
    assert skipped_prose == [3, 7, 9, 19, 20, 26, 33]


def test_heading_levels_nest_and_close():
    text = "# A\n\n## B\n\n- [x](https://a.example/x)\n\n# C\n\n## D\n\n[y](https://a.example/y)\n"
    parsed = parse_reading_list(text)
    assert parsed.title is None  # two top headings: both are topics
    assert parsed.topics == [("A",), ("A", "B"), ("C",), ("C", "D")]
    assert [e.topics for e in parsed.entries] == [[("A", "B")], [("C", "D")]]


def test_arxiv_links_in_every_form_are_one_paper_with_its_version():
    text = (
        "## P\n\n"
        "- [One](https://arxiv.org/abs/2304.15004v2)\n"
        "- [Again](http://export.arxiv.org/pdf/2304.15004.pdf)\n"
        "- [Old](https://arxiv.org/abs/math.CA/0611800v3)\n"
    )
    entries = parse_reading_list(text).entries
    assert [(e.arxiv_id, e.version, e.title) for e in entries] == [
        ("2304.15004", 2, "One"),
        ("math/0611800", 3, "Old"),
    ]


def test_kinds_follow_the_host_and_generic_link_text_is_not_a_title():
    text = (
        "## K\n\n"
        "- [this thread](https://x.com/someone/status/123)\n"
        "- [Why we blog](https://blog.example.org/why)\n"
        "- [A post](https://foo.substack.com/p/a-good-post)\n"
        "- [Review](https://openreview.net/forum?id=abc)\n"
        "- [Repo](https://github.com/a/b)\n"
    )
    entries = parse_reading_list(text).entries
    assert [(e.kind, e.title, e.title_is_guess) for e in entries] == [
        (ItemKind.THREAD, "Thread by @someone", True),
        (ItemKind.POST, "Why we blog", False),
        (ItemKind.POST, "A good post", True),
        (ItemKind.OPENREVIEW, "Review", False),
        (ItemKind.WEB, "Repo", False),
    ]


def test_sub_bullets_and_following_paragraph_are_notes_with_links_kept():
    text = (
        "## T\n\n"
        "- [Paper](https://arxiv.org/abs/1706.03762) is the classic\n"
        "  - read section 3\n"
        "  - compare [that one](https://example.org/b)\n"
    )
    parsed = parse_reading_list(text)
    (entry,) = parsed.entries
    assert entry.notes == (
        "is the classic\n\n- read section 3\n- compare [that one](https://example.org/b)"
    )
    assert any("that one" in p.what and "kept in the notes" in p.action for p in parsed.problems)


def test_indented_lines_are_read_as_text_not_code():
    text = "## T\n\n1)First\n\n    -[Deep](https://example.org/deep)\n"
    (entry,) = parse_reading_list(text).entries
    assert (entry.title, entry.topics, entry.line) == ("Deep", [("T", "First")], 5)


def test_prose_lists_without_links_are_not_topics():
    text = "## T\n\n1. This is a sentence.\n2. Another one.\n"
    parsed = parse_reading_list(text)
    assert parsed.topics == [("T",)] and parsed.entries == []
    assert [p.line for p in parsed.problems] == [3, 4]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "# ",
                "## ",
                "- ",
                "1) ",
                "2.",
                "    ",
                "> ",
                "[",
                "]",
                "(",
                ")",
                "https://arxiv.org/abs/",
                "2304.15004",
                "x.com/a/status/1",
                "![i](",
                "\n",
                "\n\n",
                "*",
                "_",
                "`",
                "word ",
                "“q” ",
            ]
        )
        | st.text(max_size=20),
        max_size=60,
    ).map("".join)
)
def test_any_text_reads_without_raising_and_every_item_has_a_title(text):
    parsed = parse_reading_list(text)
    for entry in parsed.entries:
        assert entry.title.strip()
        assert all(all(name and "/" not in name for name in path) for path in entry.topics)


def test_separator_after_a_lead_link_is_not_part_of_the_note():
    text = "## T\n\n- [Paper](https://example.org/p): why it matters\n- [Other](https://e.org/o) — later\n"
    assert [e.notes for e in parse_reading_list(text).entries] == ["why it matters", "later"]
