"""Topic watch rules and the arXiv feed schedule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from readerapp.core.arxiv_categories import canonical_category, parse_category_list
from readerapp.core.feed_entries import FeedEntry
from readerapp.core.feed_rules import RuleMatcher, WatchRule, parse_terms
from readerapp.core.feed_schedule import is_due, latest_arxiv_update, next_poll

PAPER = FeedEntry(
    key="arxiv:2401.00001",
    title="In-context Learning and Induction Heads",
    summary="We argue that induction  heads are the mechanism of in-context learning.",
    authors=["Catherine Olsson", "Nelson Elhage", "Neel Nanda", "Chris Olah"],
    categories=["cs.LG", "cs.CL"],
)


def reasons(rule: WatchRule, entry: FeedEntry = PAPER) -> list[str] | None:
    found = RuleMatcher([rule]).match(entry)
    return found[0][1] if found else None


def test_keyword_in_title_or_abstract_says_where():
    assert reasons(WatchRule(1, keywords=["induction heads"])) == ["title: 'induction heads'"]
    assert reasons(WatchRule(1, keywords=["mechanism"])) == ["abstract: 'mechanism'"]
    assert reasons(WatchRule(1, keywords=["induction"])) == ["title: 'induction'"]


def test_keywords_are_whole_words_and_case_insensitive():
    assert reasons(WatchRule(1, keywords=["HEAD"])) is None  # 'heads' is another word
    assert reasons(WatchRule(1, keywords=["In-Context LEARNING"])) is not None
    assert reasons(WatchRule(1, keywords=["learn.*"])) is None  # no regex injection


def test_categories_match_exactly_or_by_archive():
    assert reasons(WatchRule(1, categories=["cs.CL"])) == ["category: cs.CL"]
    assert reasons(WatchRule(1, categories=["cs"])) == ["category: cs"]
    assert reasons(WatchRule(1, categories=["stat.ML"])) is None


def test_authors_match_by_surname_and_initials_ignoring_accents():
    assert reasons(WatchRule(1, authors=["Neel Nanda"])) == ["author: Neel Nanda"]
    assert reasons(WatchRule(1, authors=["N. Nanda"])) == ["author: Neel Nanda"]
    assert reasons(WatchRule(1, authors=["nanda"])) == ["author: Neel Nanda"]
    assert reasons(WatchRule(1, authors=["M. Nanda"])) is None
    accented = FeedEntry(key="k", title="t", authors=["Benjamin Rémy"])
    assert reasons(WatchRule(1, authors=["Benjamin Remy"]), accented) == ["author: Benjamin Rémy"]


def test_any_and_all_modes():
    both = dict(categories=["stat.ML"], keywords=["induction heads"])
    assert reasons(WatchRule(1, mode="any", **both)) == ["title: 'induction heads'"]
    assert reasons(WatchRule(1, mode="all", **both)) is None
    rule = WatchRule(1, mode="all", categories=["cs.LG"], keywords=["induction heads"])
    assert reasons(rule) == ["category: cs.LG", "title: 'induction heads'"]


def test_disabled_and_empty_rules_never_match():
    assert reasons(WatchRule(1, keywords=["induction"], enabled=False)) is None
    assert not RuleMatcher([WatchRule(1)])
    assert parse_terms(" 'induction heads', grokking;\nsuperposition ") == [
        "induction heads",
        "grokking",
        "superposition",
    ]


def test_category_names_are_canonical():
    assert canonical_category("CS.lg") == "cs.LG"
    assert parse_category_list("cs.LG+stat.ml, cs.XX") == (["cs.LG", "stat.ML"], ["cs.XX"])


def et(y, m, d, hh, mm=0):
    # November 2026 is Eastern Standard Time (UTC-5).
    return datetime(y, m, d, hh, mm, tzinfo=UTC) + timedelta(hours=5)


def test_arxiv_updates_after_midnight_eastern_on_weekdays_only():
    # Thu 26 Nov 2026, 10:00 ET -> that morning's 00:30 ET.
    assert latest_arxiv_update(et(2026, 11, 26, 10)) == et(2026, 11, 26, 0, 30)
    # Sunday 29 Nov -> still Friday 27 Nov's update.
    assert latest_arxiv_update(et(2026, 11, 29, 15)) == et(2026, 11, 27, 0, 30)


def test_arxiv_feed_polls_once_a_day_and_catches_up():
    state = dict(daily_arxiv=True, last_attempt=None, failed=False, interval_minutes=None)
    fri_morning = et(2026, 11, 27, 9)
    assert is_due(fri_morning, last_success=et(2026, 11, 26, 9), **state)  # catch-up
    assert not is_due(fri_morning, last_success=et(2026, 11, 27, 1), **state)
    saturday = et(2026, 11, 28, 12)
    assert not is_due(saturday, last_success=et(2026, 11, 27, 1), **state)  # no weekend polls
    monday = et(2026, 11, 30, 0, 45)
    assert is_due(monday, last_success=et(2026, 11, 27, 1), **state)
    nxt = next_poll(now=saturday, last_success=et(2026, 11, 27, 1), **state)
    assert nxt == et(2026, 11, 30, 0, 30)


def test_other_feeds_poll_by_interval_and_retry_sooner_after_errors():
    now = datetime(2026, 11, 26, 12, tzinfo=UTC)
    base = dict(daily_arxiv=False, last_success=None)
    assert is_due(now, last_attempt=None, failed=False, interval_minutes=None, **base)
    recent = now - timedelta(minutes=30)
    assert not is_due(now, last_attempt=recent, failed=False, interval_minutes=None, **base)
    assert is_due(now, last_attempt=recent, failed=False, interval_minutes=20, **base)
    assert is_due(now, last_attempt=recent, failed=True, interval_minutes=240, **base)
