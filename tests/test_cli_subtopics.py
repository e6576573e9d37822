"""`readerapp list --topic X --subtopics`: the same items as the GUI's Show Items from Subtopics."""

from __future__ import annotations

import json
from pathlib import Path

from readerapp.cli import main


def test_list_with_subtopics_lists_each_item_of_the_subtree_once(capsys, home: Path) -> None:
    assert main(["--home", str(home), "list", "--topic", "Research focus", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    args = ["--home", str(home), "list", "--topic", "Research focus", "--subtopics", "--json"]
    assert main(args) == 0
    titles = [row["title"] for row in json.loads(capsys.readouterr().out)]
    assert len(titles) == len(set(titles)) == 9
    assert "Mastering Atari with Discrete World Models" in titles
