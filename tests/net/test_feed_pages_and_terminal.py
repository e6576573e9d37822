"""`readerapp feeds add` of a web page follows the feed the page names, and remote text (feed and
entry titles with escape sequences) never reaches the terminal raw. A real server on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readerapp.cli import main
from tests.net.hostile_answers import RSS_TYPE, html_page, rss
from tests.net.server import Reply, ScriptedServer

HTML = {"Content-Type": "text/html; charset=utf-8"}
CLEAR_SCREEN = "\x1b[2J\x1b[H"
RETITLE = "\x1b]0;owned\x07"
CSI_8BIT = "\x9b6n"
BIDI = "\u202egnp.exe"


def run(capsys: pytest.CaptureFixture[str], home: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--home", str(home), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_feeds_add_of_a_web_page_follows_the_first_feed_it_names(
    server: ScriptedServer, home: Path, capsys
) -> None:
    server.route("/blog/", Reply(200, html_page("/blog/feed.xml", "/blog/comments.atom"), HTML))
    server.route("/blog/feed.xml", Reply(200, rss("The blog"), RSS_TYPE))
    code, out, err = run(capsys, home, "feeds", "add", server.url("/blog/"))
    assert code == 0, err
    assert f"following its feed {server.url('/blog/feed.xml')} (the first of the 2" in out
    code, out, err = run(capsys, home, "feeds", "refresh")
    assert code == 0 and "3 new" in out, out + err
    code, out, _ = run(capsys, home, "feeds", "list", "--json")
    [feed] = json.loads(out)
    assert feed["title"] == "The blog"


def test_feeds_add_of_a_feed_or_an_unreachable_page_subscribes_as_given(
    server: ScriptedServer, home: Path, capsys
) -> None:
    server.route("/feed.xml", Reply(200, rss("Direct"), RSS_TYPE))
    code, out, _ = run(capsys, home, "feeds", "add", server.url("/feed.xml"))
    assert code == 0 and "web page" not in out
    code, out, _ = run(capsys, home, "feeds", "add", "http://127.0.0.1:9/feed")
    assert code == 0 and "Following" in out


def test_escape_sequences_in_remote_text_are_printed_escaped(
    server: ScriptedServer, home: Path, capsys
) -> None:
    title = f"Evil{CLEAR_SCREEN} blog{RETITLE}{CSI_8BIT}{BIDI}"
    body = rss(title, items=2, item_title=f"Post{CLEAR_SCREEN}")
    server.route("/feed", Reply(200, body, RSS_TYPE))
    texts = []
    for argv in (
        ("feeds", "add", server.url("/feed")),
        ("feeds", "refresh"),
        ("feeds", "list"),
        ("feeds", "list", "--json"),
    ):
        code, out, err = run(capsys, home, *argv)
        assert code == 0, err
        texts.append(out + err)
    shown = "".join(texts)
    for raw in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert raw not in shown
    assert "Evil\\u001b[2J" in shown  # escaped, so still readable
    rows = json.loads(texts[3])
    assert rows[0]["title"].startswith("Evil\x1b[2J")  # the JSON still means the real title
