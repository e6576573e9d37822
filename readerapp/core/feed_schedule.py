"""When a feed is due: arXiv once a day after its midnight US/Eastern update, others by interval.

arXiv rebuilds its RSS feeds around midnight US/Eastern on announcement days and lists nothing new
on Saturdays and Sundays, so polling more often only costs arXiv bandwidth. A feed whose last
success is older than the latest update is due: that is also the catch-up at start-up.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, tzinfo

try:
    from zoneinfo import ZoneInfo

    ARXIV_TZ: tzinfo = ZoneInfo("America/New_York")
except Exception:  # no tz database (a bare Windows install): Eastern Standard Time is close
    from datetime import timezone

    ARXIV_TZ = timezone(timedelta(hours=-5), "EST")

DEFAULT_INTERVAL_MINUTES = 60
ARXIV_UPDATE_AT = time(0, 30)  # half an hour of slack after midnight for arXiv to publish
RETRY_AFTER_ERROR = timedelta(minutes=30)
ANNOUNCEMENT_WEEKDAYS = frozenset({0, 1, 2, 3, 4})  # Monday..Friday mornings (ET)


def parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def latest_arxiv_update(now: datetime) -> datetime:
    """The most recent arXiv feed update at or before ``now`` (weekdays only), in UTC."""
    local = now.astimezone(ARXIV_TZ)
    day = local.date()
    for _ in range(8):
        moment = datetime.combine(day, ARXIV_UPDATE_AT, ARXIV_TZ)
        if day.weekday() in ANNOUNCEMENT_WEEKDAYS and moment <= local:
            return moment.astimezone(UTC)
        day -= timedelta(days=1)
    raise AssertionError("a week always holds an announcement day")


def next_arxiv_update(now: datetime) -> datetime:
    local = now.astimezone(ARXIV_TZ)
    day = local.date()
    for _ in range(8):
        moment = datetime.combine(day, ARXIV_UPDATE_AT, ARXIV_TZ)
        if day.weekday() in ANNOUNCEMENT_WEEKDAYS and moment > local:
            return moment.astimezone(UTC)
        day += timedelta(days=1)
    raise AssertionError("a week always holds an announcement day")


def next_poll(
    *,
    daily_arxiv: bool,
    last_success: datetime | None,
    last_attempt: datetime | None,
    failed: bool,
    interval_minutes: int | None,
    now: datetime,
) -> datetime:
    """When the feed should next be fetched (``<= now`` means it is due)."""
    if daily_arxiv:
        update = latest_arxiv_update(now)
        if last_success is not None and last_success >= update:
            return next_arxiv_update(now)
        if failed and last_attempt is not None:
            return last_attempt + RETRY_AFTER_ERROR
        return update
    interval = timedelta(minutes=interval_minutes or DEFAULT_INTERVAL_MINUTES)
    if last_attempt is None:
        return now
    if failed:
        return last_attempt + min(interval, RETRY_AFTER_ERROR)
    return last_attempt + interval


def is_due(
    now: datetime,
    *,
    daily_arxiv: bool,
    last_success: datetime | None,
    last_attempt: datetime | None,
    failed: bool,
    interval_minutes: int | None,
) -> bool:
    when = next_poll(
        daily_arxiv=daily_arxiv,
        last_success=last_success,
        last_attempt=last_attempt,
        failed=failed,
        interval_minutes=interval_minutes,
        now=now,
    )
    return when <= now
