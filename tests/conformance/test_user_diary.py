"""The user's own reading diary (../shared/seed/ai-diary.md) through the Markdown reader and the
importer: what a person reads off it is what the app reads, and the starter library, which
reproduces it, takes it in without a duplicate."""

from __future__ import annotations

from readerapp.cli import main
from readerapp.core.models import ItemKind
from readerapp.core.reading_list import parse_reading_list
from readerapp.storage.importer import import_file
from readerapp.storage.library import LibraryRepository
from readerapp.storage.starter import STARTER_STATE_KEY
from tests.conformance.conftest import DIARY
from tests.storage.test_import_export import shape, tables

RF = "Research focus"
WAT = ("What are transformers?",)

# (title, kind, arxiv id, topics) for every item, in the order the diary names them; read off
# seed/ai-diary.md by a person, not produced by the code.
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
    return parse_reading_list(DIARY.read_text(encoding="utf-8"))


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


def test_diary_into_empty_library_then_again_changes_nothing(empty_services, capsys):
    services = empty_services
    LibraryRepository(services.db).set_state(STARTER_STATE_KEY, "1")  # as the CLI seeds
    assert main(["--home", str(services.paths.root), "import", str(DIARY)]) == 0
    out = capsys.readouterr().out
    assert "8 topics created" in out and "16 items created" in out
    assert "line 59: the arXiv link https://arxiv.org/abs/2001.083613" in out
    assert "line 10: image “Transformer Architecture”" in out
    before = tables(services)
    assert main(["--home", str(services.paths.root), "import", str(DIARY)]) == 0
    out = capsys.readouterr().out
    assert "0 items created, 0 merged into existing items, 16 already there unchanged" in out
    assert tables(services) == before


def test_diary_into_starter_library_merges_without_duplicates(services):
    before_topics, before_items = shape(services)
    report = import_file(services.db, DIARY)
    assert (report.topics_created, report.items_created) == (0, 0)
    assert report.items_merged + report.items_unchanged == 16
    topics, items = shape(services)
    assert topics == before_topics
    assert len(items) == len(before_items)  # the malformed Scaling Laws link matched by title
    lib = services.library
    assert lib.find_by_arxiv_id("2304.15004").notes.startswith("This paper presents")
    assert lib.find_by_arxiv_id("2306.02707").notes.startswith("_Can large language models")
    # the starter's own titles win over the diary's link texts
    assert lib.find_by_arxiv_id("1706.03762").title == "Attention Is All You Need"
    assert any("to the library's paper of the same title" in str(p) for p in report.problems)
