"""A background refresh that hits an unexpected error finishes its round and leaves the error,
with its traceback, in the log (real poller, real server on 127.0.0.1)."""

from __future__ import annotations

import logging

import pytest

from readerapp.qt.feed_poller import FeedPoller
from readerapp.storage.feeds import RETENTION_READ_KEY
from tests.net.hostile_answers import RSS_TYPE, rss
from tests.net.server import Reply, ScriptedServer


def test_a_failing_cleanup_still_ends_the_round_and_is_logged(
    qtbot, services, caplog: pytest.LogCaptureFixture
) -> None:
    # A kept-days setting no date arithmetic can use (edited by hand in the database).
    services.repository.set_state(RETENTION_READ_KEY, "999999999")
    with ScriptedServer() as server:
        server.route("/feed", Reply(200, rss("Good"), RSS_TYPE))
        services.feeds.add(server.url("/feed"), title="A good site")
        poller = FeedPoller(services.feeds)
        try:
            with (
                caplog.at_level(logging.WARNING, logger="readerapp"),
                qtbot.waitSignal(poller.roundFinished, timeout=20000) as done,
            ):
                poller.refresh_all()
        finally:
            poller.stop()
    assert [r.ok for r in done.args[0].results] == [True]  # the feed itself was stored
    (record,) = [r for r in caplog.records if r.name == "readerapp.qt.feed_poller"]
    assert record.getMessage() == "Removing old feed entries failed"
    assert record.exc_info is not None and isinstance(record.exc_info[1], OverflowError)
