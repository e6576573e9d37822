"""`readerapp feeds watch --all|--any`: "Match when" is the topic's, as in the Watch Rules dialog."""

from __future__ import annotations

from pathlib import Path

from readerapp.app import open_services
from readerapp.cli import main


def test_watch_sets_the_topics_match_mode_for_all_its_rules(capsys, home: Path) -> None:
    topic = ["--home", str(home), "feeds", "watch", "Research focus/Interpretability"]
    assert main([*topic, "--keyword", "probes"]) == 0
    assert main([*topic, "--category", "cs.LG", "--keyword", "circuits", "--all"]) == 0
    assert main([*topic, "--author", "Ada Example"]) == 0  # takes the topic's way: all
    services = open_services(str(home))
    try:
        topic_id = services.library.find_topic("Research focus/Interpretability").id
        assert [r.mode for r in services.feeds.store.rules(topic_id)] == ["all", "all", "all"]
    finally:
        services.close()
    assert main([*topic, "--keyword", "sae", "--any"]) == 0
    services = open_services(str(home))
    try:
        assert {r.mode for r in services.feeds.store.rules(topic_id)} == {"any"}
    finally:
        services.close()
