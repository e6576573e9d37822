"""What Zotero users expect of the library pane: items from subtopics, and an item's context
menu that opens, reveals and copies (real window offscreen, the starter library)."""

from __future__ import annotations

from pathlib import Path

import pymupdf
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QApplication, QMenu

from readerapp.gui.main_window import MainWindow
from tests.desktop_urls import caught_urls
from tests.gui.test_main_window import reopen


def titles(win: MainWindow) -> list[str]:
    model = win.item_model
    return [model.row_data(r).title for r in range(model.rowCount())]


def item_menu(win: MainWindow, ids: list[int]) -> QMenu:
    """The menu the item list shows for ``ids`` (built as a right-click builds it)."""
    menu = QMenu(win)
    win.items.contextMenuWanted.emit(menu, ids)
    return menu


def action(menu: QMenu, text: str):
    found = [a for a in menu.actions() if a.text() == text]
    assert found, f"no “{text}” in {[a.text() for a in menu.actions()]}"
    return found[0]


def test_a_parent_topic_lists_and_counts_its_subtopics_items_when_asked(qtbot, window, home):
    research = window.library.find_topic("Research focus")
    world = window.library.find_topic("Research focus/World Models")
    window.tree.select_topic(research.id)
    assert titles(window) == []
    assert window.topic_model.index_for_topic(research.id).data() == "Research focus"

    window.subtopics_action.trigger()  # View -> Show Items from Subtopics
    assert "Mastering Atari with Discrete World Models" in titles(window)
    assert len(titles(window)) == 9 == len(set(titles(window)))
    index = window.topic_model.index_for_topic(research.id)
    assert index.data() == "Research focus  (9)"
    assert "9 items here and in its subtopics (0 filed here directly)" in index.data(3)
    assert window.topic_model.index_for_topic(world.id).data() == "World Models  (4)"
    assert window.status_label.text() == "9 items"

    restarted = reopen(qtbot, home, window)
    assert restarted.subtopics_action.isChecked()
    restarted.tree.select_topic(research.id)
    assert len(titles(restarted)) == 9
    restarted.subtopics_action.trigger()
    assert titles(restarted) == []


def test_removing_from_a_parent_topic_leaves_subtopic_filings_alone(qtbot, window):
    research = window.library.find_topic("Research focus")
    world = window.library.find_topic("Research focus/World Models")
    window.subtopics_action.trigger()
    window.tree.select_topic(research.id)
    atari = window.library.find_by_arxiv_id("2010.02193")
    window.items.select_item(atari.id)
    window.remove_from_topic_action.trigger()
    assert window.library.item_topic_ids(atari.id) == [world.id]
    assert "filed in a subtopic" in window.statusBar().currentMessage()
    window.undo_action.trigger()  # nothing was pushed: undo does not file it under the parent
    assert research.id not in window.library.item_topic_ids(atari.id)


def test_item_menu_copies_citation_key_bibtex_and_links(qtbot, window):
    clipboard = QApplication.clipboard()
    paper = window.library.find_by_arxiv_id("1706.03762")
    window.library.update_item(paper.id, doi="10.5555/3295222.3295349")
    menu = item_menu(window, [paper.id])
    action(menu, "Copy Citation").trigger()
    assert clipboard.text().startswith("Ashish Vaswani, Noam Shazeer, ")
    assert clipboard.text().endswith("(2017). Attention Is All You Need. NeurIPS 2017.")
    assert window.statusBar().currentMessage() == "Copied the citation."
    action(menu, "Copy Citation Key").trigger()
    assert clipboard.text() == "vaswani2017attention"
    action(menu, "Copy BibTeX").trigger()
    assert clipboard.text().lstrip().startswith("@")
    assert "vaswani2017attention," in clipboard.text() and "1706.03762" in clipboard.text()
    action(menu, "Copy arXiv Link").trigger()
    assert clipboard.text() == "https://arxiv.org/abs/1706.03762"
    action(menu, "Copy DOI Link").trigger()
    assert clipboard.text() == "https://doi.org/10.5555/3295222.3295349"

    web = window.library.find_by_url("http://jalammar.github.io/illustrated-transformer/")
    both = item_menu(window, [paper.id, web.id])
    action(both, "Copy Citations").trigger()
    lines = clipboard.text().splitlines()
    assert len(lines) == 2 and lines[1].startswith(
        "Jay Alammar (2018). The Illustrated Transformer."
    )
    assert [a.text() for a in both.actions() if a.text().startswith("Copy arXiv")] == [
        "Copy arXiv Link"
    ]


def test_item_menu_opens_the_link_and_shows_the_file_in_its_folder(qtbot, window, tmp_path):
    with caught_urls("https", "file") as catcher:
        paper = window.library.find_by_arxiv_id("2010.02193")
        action(item_menu(window, [paper.id]), "Open Link").trigger()
        assert catcher.urls == ["https://arxiv.org/abs/2010.02193"]
        assert "Show File in Folder" not in [
            a.text() for a in item_menu(window, [paper.id]).actions()
        ]

        pdf = tmp_path / "paper.pdf"
        doc = pymupdf.open()
        doc.new_page().insert_text((72, 72), "An invented paper")
        doc.save(pdf)
        doc.close()
        (item_id,) = window.add_pdf_files([str(pdf)])
        action(item_menu(window, [item_id]), "Show File in Folder").trigger()
        folder = Path(QUrl(catcher.urls[-1]).toLocalFile())
        stored = window.services.files.absolute(window.library.item(item_id).pdf_path)
        assert folder == stored.parent and stored.is_file()

        window.library.update_item(item_id, pdf_path="../../outside.pdf")
        action(item_menu(window, [item_id]), "Show File in Folder").trigger()
        assert "outside the library folder" in window.statusBar().currentMessage()
        assert len(catcher.urls) == 2


def test_details_edits_are_undone_and_redone_with_the_edit_menu(qtbot, window):
    paper = window.library.find_by_arxiv_id("1706.03762")
    window.items.select_item(paper.id)
    details = window.details
    details.title.selectAll()
    qtbot.keyClicks(details.title, "Attention (typo)")  # typed: saved as it goes, one undo step
    details.title.editingFinished.emit()
    details.status.setCurrentIndex(details.status.findData("read"))
    assert window.library.item(paper.id).title == "Attention (typo)"
    assert window.undo_action.text() == "&Undo Edit status"
    window.undo_action.trigger()
    assert str(window.library.item(paper.id).status) == "to-read"
    window.undo_action.trigger()
    assert window.library.item(paper.id).title == "Attention Is All You Need"
    assert details.title.text() == "Attention Is All You Need"
    assert "Attention Is All You Need" in titles(window)
    window.redo_action.trigger()
    assert window.library.item(paper.id).title == "Attention (typo)"
    assert details.title.text() == "Attention (typo)"


def test_saves_made_while_typing_a_field_are_one_undo_step(qtbot, window):
    """Typing saves every second or so; Ctrl+Z still takes back the whole edit of the field."""
    paper = window.library.find_by_arxiv_id("1706.03762")
    window.items.select_item(paper.id)
    details = window.details
    details.title.selectAll()
    qtbot.keyClicks(details.title, "Attention")
    assert details.flush_notes()  # what the autosave does after a second of typing
    qtbot.keyClicks(details.title, " revisited")
    assert details.flush_notes()
    assert window.library.item(paper.id).title == "Attention revisited"
    assert window.undo_action.text() == "&Undo Edit title"
    window.undo_action.trigger()
    assert window.library.item(paper.id).title == "Attention Is All You Need"
    assert not window.undo_stack.canUndo() or window.undo_action.text() != "&Undo Edit title"
