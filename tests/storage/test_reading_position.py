"""Where the reader left a paper, as saved and read back (the reading tab restores it)."""

from __future__ import annotations

import json

import pytest

from readerapp.app import Services
from readerapp.storage.reading_position import ReadingPosition, load_position, save_position


def test_a_place_in_the_gap_above_a_page_comes_back(services: Services) -> None:
    """The very top of a paper is the gap above page 1: a small negative y, kept as it is."""
    repo = services.repository
    save_position(repo, 7, ReadingPosition(page=0, y=-12.0))
    assert load_position(repo, 7) == ReadingPosition(page=0, y=-12.0)


@pytest.mark.parametrize(
    ("stored", "read"),
    [("Infinity", 0.0), ("NaN", 0.0), (-1e9, -200.0), (1e12, 14_400.0), ("3.5", 3.5)],
)
def test_a_damaged_offset_reads_as_a_place_on_the_page(services: Services, stored, read) -> None:
    """A value no view could scroll to (written by hand, or by a bug) opens the paper at a place
    on its page, instead of failing on every launch."""
    repo = services.repository
    repo.set_state("reading:7", json.dumps({"page": 2, "y": stored}))
    position = load_position(repo, 7)
    assert position is not None and position.page == 2 and position.y == read


@pytest.mark.parametrize(
    "damaged",
    [{"page": float("inf")}, {"page": 2, "rotation": 1e999}, {"page": None}],
)
def test_an_unreadable_place_opens_the_paper_at_its_start(services: Services, damaged) -> None:
    repo = services.repository
    repo.set_state("reading:7", json.dumps(damaged))
    assert load_position(repo, 7) is None


@pytest.mark.parametrize("scale", ["NaN", -1.5, 0, "Infinity"])
def test_a_zoom_no_view_can_show_opens_the_paper_fitted(services: Services, scale) -> None:
    repo = services.repository
    repo.set_state("reading:7", json.dumps({"page": 1, "scale": scale, "fit": None}))
    position = load_position(repo, 7)
    assert position is not None and position.page == 1 and position.scale is None
