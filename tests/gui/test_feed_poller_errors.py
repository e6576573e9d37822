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


def test_a_feed_is_stored_as_it_arrives_not_after_a_slow_one_on_the_same_host(qtbot, services):
    """Feeds on one host are fetched one after another; one that hangs must not keep the ones
    fetched before it from showing until it times out."""
    with ScriptedServer() as server:

        def hangs_then_hangs_up(handler) -> None:
            server.release.wait(30)
            handler.close_connection = True  # no answer at all: the fetch fails at once

        server.route("/fast", Reply(200, rss("Fast"), RSS_TYPE))
        server.route("/hangs", hangs_then_hangs_up)
        fast = services.feeds.add(server.url("/fast"), title="Fast site")
        hanging = services.feeds.add(server.url("/hangs"), title="Hanging site")
        poller = FeedPoller(services.feeds)
        try:
            with qtbot.waitSignal(
                poller.feedRefreshed, check_params_cb=lambda i: i == fast.id, timeout=20000
            ):
                poller.refresh_all()
            assert poller.busy  # the hanging feed is still being fetched
            assert services.feeds.unread_counts().get(fast.id, 0) > 0  # and the fast one is stored
            with qtbot.waitSignal(poller.roundFinished, timeout=20000) as done:
                server.release.set()
            results = {r.feed_id: r.ok for r in done.args[0].results}
            assert results == {fast.id: True, hanging.id: False}
        finally:
            poller.stop()
