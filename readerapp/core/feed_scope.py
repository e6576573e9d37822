"""Which feed entries a list shows: all of them, the starred ones, one topic's inbox or one feed.

A scope is a typed value, so storage, the services, the feed panel and the command line agree on
it and a misspelt kind fails where it is made, not as an empty list. Its text form (``"all"``,
``"starred"``, ``"topic:3"``, ``"feed:12"``) is what a saved value holds; the older pair form
(``("feed", 12)``) still reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class FeedScopeKind(StrEnum):
    ALL = "all"
    STARRED = "starred"
    TOPIC = "topic"  # the entries a topic's watch rules matched (its inbox)
    FEED = "feed"


# The kinds that name one topic or one feed by its id; the others stand alone (id 0).
_WITH_ID = frozenset({FeedScopeKind.TOPIC, FeedScopeKind.FEED})


@dataclass(frozen=True, slots=True)
class FeedScope:
    """A kind of entry list and, for a topic inbox or a feed, the id of that topic or feed."""

    kind: FeedScopeKind
    ident: int = 0

    def __post_init__(self) -> None:
        kind = FeedScopeKind(self.kind)  # "feed" as stored reads as the enum; a typo raises
        object.__setattr__(self, "kind", kind)
        if (kind in _WITH_ID) != (self.ident > 0):
            raise ValueError(f"a {kind} scope takes {'an id' if kind in _WITH_ID else 'no id'}")

    @classmethod
    def feed(cls, feed_id: int) -> FeedScope:
        return cls(FeedScopeKind.FEED, feed_id)

    @classmethod
    def topic(cls, topic_id: int) -> FeedScope:
        return cls(FeedScopeKind.TOPIC, topic_id)

    @classmethod
    def parse(cls, saved: str | Sequence[object]) -> FeedScope:
        """A scope from its text (``"feed:12"``) or the pair saved by earlier versions
        (``("feed", 12)``, a list once it went through JSON); ValueError if it names none."""
        if isinstance(saved, str):
            name, _, ident = saved.partition(":")
            parts: Sequence[object] = (name, ident or 0)
        else:
            parts = saved
        if len(parts) != 2:
            raise ValueError(f"not a feed scope: {saved!r}")
        try:
            return cls(FeedScopeKind(str(parts[0])), int(str(parts[1])))
        except ValueError as exc:
            raise ValueError(f"not a feed scope: {saved!r}") from exc

    def __str__(self) -> str:
        return f"{self.kind}:{self.ident}" if self.kind in _WITH_ID else str(self.kind)


ALL_ENTRIES = FeedScope(FeedScopeKind.ALL)
STARRED = FeedScope(FeedScopeKind.STARRED)
