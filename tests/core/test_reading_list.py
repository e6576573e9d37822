"""The Markdown reading list reader, against a diary-shaped reading list (expectations written by
hand) and against the shapes a diary takes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from readerapp.core.models import ItemKind
from readerapp.core.reading_list import parse_reading_list
from tests.conftest import READING_LIST

OQ = "Open questions"
HOW = ("How do diffusion models work?",)
WM = (OQ, "World Models")

# (title, kind, arXiv id, topics) for every item, in the order the list names them; read off
# tests/fixtures/reading-list.md by a person, not produced by the code.
EXPECTED_ITEMS = [
    ("Denoising Walks Through Data Space", ItemKind.PAPER, "2104.05512", [HOW]),
    ("Priya Natarajan's LinkedIn post", ItemKind.POST, None, [HOW]),
    ("Annotated Diffusion Model", ItemKind.ARTICLE, None, [HOW]),
    ("The Illustrated Diffusion", ItemKind.ARTICLE, None, [HOW]),
    # "## [Do Diffusion ...](...)" is a level-2 heading that is a link: an item closing the
    # section above; the favourites after it sit under no heading at all.
    ("Do Diffusion Models Memorise Their Training Images?", ItemKind.PAPER, "2305.08812", []),
    ("Guidance Without Classifiers, Revisited", ItemKind.PAPER, "2310.11122", []),
    ("Consistency Training for Fast Samplers: One Step Is Enough", ItemKind.PAPER, "2308.04417", []),
    ("Reward hacking in image generators", ItemKind.THREAD, None, [(OQ, "Alignment")]),
    # the link text is a sentence about the post, so the title comes from the URL's slug
    ("Shortcuts in vision models", ItemKind.POST, None, [(OQ, "Shortcut")]),
    ("Concept Directions in the Latent Space of Image Generators", ItemKind.PAPER, "2410.07788", [(OQ, "Interpretability")]),
    # 2001.083613 is not an arXiv id: kept as written, without an id, and reported
    ("Scaling Laws for Denoising Networks", ItemKind.PAPER, None, [(OQ, "Scaling Laws")]),
    ("Features That Survive Noise", ItemKind.ARTICLE, None, [(OQ, "Representation learning")]),
    ("Planning in Imagined Frames with a Video Diffusion Model", ItemKind.PAPER, "2402.09151", [WM]),
    ("Dreaming Agents", ItemKind.ARTICLE, None, [WM]),
    ("Learning Physics from Pixels with Latent Diffusion", ItemKind.PAPER, "2311.17021", [WM]),
    ("Predictive Latents for Embodied Video Models", ItemKind.OPENREVIEW, None, [WM]),
]  # fmt: skip


def _diary():
    return parse_reading_list(READING_LIST.read_text(encoding="utf-8"))


def test_diary_topics_follow_headings_and_numbered_pseudo_headings():
    parsed = _diary()
    assert parsed.title == "Learning Machines"  # the lone "#" heading names the document
    assert parsed.topics == [
        HOW,
        (OQ,),
        (OQ, "Alignment"),
        (OQ, "Shortcut"),  # 2)"Shortcut" problem
        (OQ, "Interpretability"),
        (OQ, "Scaling Laws"),
        (OQ, "Representation learning"),
        WM,
    ]


def test_diary_items_titles_kinds_ids_and_topics():
    parsed = _diary()
    got = [(e.title, e.kind, e.arxiv_id, e.topics) for e in parsed.entries]
    assert got == EXPECTED_ITEMS


def test_diary_urls_are_kept_clean_and_arxiv_links_canonical():
    by_title = {e.title: e for e in _diary().entries}
    consistency = by_title["Consistency Training for Fast Samplers: One Step Is Enough"]
    assert consistency.url == "https://arxiv.org/abs/2308.04417"  # written as a /pdf/ link
    assert consistency.version is None
    linkedin = by_title["Priya Natarajan's LinkedIn post"]
    assert linkedin.url == (
        "https://www.linkedin.com/posts/"
        "priyanatarajan_diffusion-generative-models-activity-7090011122233344455-aB9z"
    )  # the share button's utm_ parameters are gone
    assert by_title["Scaling Laws for Denoising Networks"].url == (
        "https://arxiv.org/abs/2001.083613"
    )


def test_diary_notes_hold_the_prose_that_belongs_to_each_item():
    by_title = {e.title: e for e in _diary().entries}
    denoising = by_title["Denoising Walks Through Data Space"]
    # mentioned twice: both sentences are its notes, and its authors come from "by ..."
    assert denoising.notes.startswith("The idea took off with the paper [Denoising Walks")
    assert "consider reading the [diffusion paper](https://arxiv.org/abs/2104.05512)" in (
        denoising.notes
    )
    assert denoising.authors == [
        "Ingrid Falkenberg",
        "Tomasz Wren",
        "Odile Marchetti",
        "Kwame Asare-Boadu",
    ]
    memorise = by_title["Do Diffusion Models Memorise Their Training Images?"]
    assert memorise.notes.startswith("This paper makes a careful case")
    consistency = by_title["Consistency Training for Fast Samplers: One Step Is Enough"]
    assert consistency.notes == (
        "_Can a sampler learn to skip steps by itself?_\n"
        "Credits: [Oren Blumfeld](https://orenblumfeld.substack.com/p/"
        "consistency-one-step-samplers) found through this "
        "[twitter thread](https://twitter.com/orenblum/status/1691234567890123456)"
    )
    dreaming = by_title["Dreaming Agents"]
    assert dreaming.authors == ["Nadia Petrosyan", "Lukas Oberholzer"]
    assert dreaming.notes == ""  # "by ..." was all there was, and it became the authors
    illustrated = by_title["The Illustrated Diffusion"]
    assert illustrated.authors == ["Mira Castellanos"]
    shortcuts = by_title["Shortcuts in vision models"]
    assert shortcuts.notes.startswith("Lately I keep wondering whether the shortcuts")
    assert by_title["Guidance Without Classifiers, Revisited"].notes == ""


def test_diary_problems_are_reported_with_lines_and_what_was_done():
    problems = {(p.line, p.what.split(" ")[0]): p for p in _diary().problems}
    image = problems[(10, "image")]
    assert "Diffusion Process" in image.what and "skipped" in image.action
    malformed = problems[(59, "the")]
    assert "2001.083613" in malformed.what and "arXiv:2001.08361" in malformed.what
    assert "no arXiv id" in malformed.action
    credits = [p for p in _diary().problems if p.line == 40]
    assert len(credits) == 2
    assert all("kept in the notes of “Consistency Training" in p.action for p in credits)
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
