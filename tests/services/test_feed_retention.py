"""How long feed entries are kept: one rule for the CLI and the GUI."""

from __future__ import annotations

import pytest

from readerapp.cli import main
from readerapp.core.errors import BadInputError


def test_entries_are_kept_at_least_a_day(empty_services) -> None:
    feeds = empty_services.feeds
    before = feeds.retention_days()
    with pytest.raises(BadInputError, match="at least 1 day"):
        feeds.set_retention_days(0, 30)
    assert feeds.retention_days() == before
    feeds.set_retention_days(2, 40)
    assert feeds.retention_days() == (2, 40)


def test_the_cli_refuses_zero_days_with_a_sentence(empty_services, capsys) -> None:
    home = str(empty_services.paths.root)
    assert main(["--home", home, "feeds", "retention", "--read-days", "0"]) != 0
    assert "at least 1 day" in capsys.readouterr().err
