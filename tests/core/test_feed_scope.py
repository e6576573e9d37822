"""Feed scopes are typed values whose text form, and the pair form older versions saved, read back."""

from __future__ import annotations

import json

import pytest

from readerapp.core.feed_scope import ALL_ENTRIES, STARRED, FeedScope, FeedScopeKind


@pytest.mark.parametrize(
    "scope", [ALL_ENTRIES, STARRED, FeedScope.topic(3), FeedScope.feed(12)], ids=str
)
def test_a_scope_reads_back_from_its_text(scope: FeedScope) -> None:
    assert FeedScope.parse(str(scope)) == scope


def test_the_text_form_is_short_and_readable() -> None:
    assert [str(s) for s in (ALL_ENTRIES, STARRED, FeedScope.topic(3), FeedScope.feed(12))] == [
        "all",
        "starred",
        "topic:3",
        "feed:12",
    ]


@pytest.mark.parametrize(
    ("saved", "expected"),
    [
        (("feed", 12), FeedScope.feed(12)),
        (("topic", 3), FeedScope.topic(3)),
        (("starred", 0), STARRED),
        (("all", 0), ALL_ENTRIES),
        (json.loads(json.dumps(("feed", 7))), FeedScope.feed(7)),  # a pair through JSON: a list
    ],
)
def test_the_pairs_saved_by_earlier_versions_still_read(saved, expected: FeedScope) -> None:
    assert FeedScope.parse(saved) == expected


def test_a_stored_kind_reads_as_the_enum() -> None:
    scope = FeedScope("feed", 5)  # type: ignore[arg-type]  # as a database row would give it
    assert scope.kind is FeedScopeKind.FEED
    assert scope == FeedScope.feed(5)


@pytest.mark.parametrize(
    "saved", ["feeds:3", "feed", "feed:x", "starred:4", "topic:0", "", ("feed",), ("tag", 1)]
)
def test_what_names_no_scope_is_refused(saved) -> None:
    with pytest.raises(ValueError, match="scope"):
        FeedScope.parse(saved)


def test_a_scope_is_frozen_and_hashable() -> None:
    assert len({FeedScope.feed(1), FeedScope.feed(1), FeedScope.topic(1)}) == 2
    with pytest.raises(AttributeError):
        FeedScope.feed(1).ident = 2  # type: ignore[misc]
