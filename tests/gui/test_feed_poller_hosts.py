"""The GUI's background refresh fetches each server on its own worker: a slow site holds only
its own feeds (real servers on 127.0.0.1, the real poller and its threads)."""

from __future__ import annotations

import threading

from readerapp.qt.feed_poller import FeedPoller
from tests.net.hostile_answers import RSS_TYPE, rss, send_feed
from tests.net.server import Reply, ScriptedServer


def test_a_slow_site_does_not_hold_the_others_feeds(qtbot, services) -> None:
    release_slow = threading.Event()

    def slow_answer(handler) -> None:
        release_slow.wait(15)  # answers once the good feed is stored (or gives up)
        send_feed(handler, "Slow")

    with ScriptedServer() as slow, ScriptedServer() as good:
        slow.route("/feed", slow_answer)
        good.route("/feed", Reply(200, rss("Good"), RSS_TYPE))
        slow_feed = services.feeds.add(slow.url("/feed"), title="A slow site")
        good_feed = services.feeds.add(good.url("/feed"), title="B good site")
        poller = FeedPoller(services.feeds)
        stored: list[int] = []
        poller.feedRefreshed.connect(stored.append)
        try:
            with qtbot.waitSignal(poller.feedRefreshed, timeout=10000):
                poller.refresh_all()
            assert stored == [good_feed.id] and poller.busy  # the slow one is still out
            release_slow.set()
            with qtbot.waitSignal(poller.roundFinished, timeout=20000) as round_done:
                pass
        finally:
            release_slow.set()
            poller.stop()
    assert stored == [good_feed.id, slow_feed.id]
    assert all(r.ok for r in round_done.args[0].results)
