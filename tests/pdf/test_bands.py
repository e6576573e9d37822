"""Band sizes for slow pages: from the profile the page's last render measured, or as it goes."""

from __future__ import annotations

import pytest

from readerapp.pdf.bands import (
    BAND_SECONDS,
    MIN_BAND_ROWS,
    measured_profile,
    next_rows,
    planned_rows,
)

# A page 100 points tall whose middle (40-60 pt) is a dense figure: 1000 times slower per pixel.
SPARSE, DENSE = 1e-9, 1e-6
PROFILE = [(0.0, 40.0, SPARSE), (40.0, 60.0, DENSE), (60.0, 100.0, SPARSE)]


def test_a_profile_is_kept_in_points_and_seconds_per_pixel() -> None:
    profile = measured_profile(2.0, [(0, 80, 0.008, 100), (80, 200, 1.2, 100)])
    assert profile == [(0.0, 40.0, pytest.approx(1e-6)), (40.0, 100.0, pytest.approx(1e-4))]
    assert measured_profile(2.0, [(0, 200, 1.2, 100)]) == []  # drawn whole: where is unknown


def test_bands_over_the_dense_part_are_short_and_elsewhere_long() -> None:
    width, zoom, most = 1000, 10.0, 500  # the figure spans device rows 400-600
    # Above it: down to the figure and a little into it, as far as the budget goes.
    rows = planned_rows(PROFILE, 0, zoom, width, most)
    assert 400 < rows < 400 + BAND_SECONDS / (DENSE * width) + 1
    # Inside it: the budget's worth of dense rows.
    assert planned_rows(PROFILE, 450, zoom, width, most) == int(BAND_SECONDS / (DENSE * width))
    # Below it: as many as allowed.
    assert planned_rows(PROFILE, 600, zoom, width, most) == most
    # The same page at twice the zoom: the figure is at rows 800-1200, and as dense per pixel.
    assert planned_rows(PROFILE, 900, 2 * zoom, width, most) == int(BAND_SECONDS / (DENSE * width))
    # Never fewer than MIN_BAND_ROWS, even where a row alone takes longer than the budget.
    assert planned_rows(PROFILE, 450, zoom, 10**7, most) == MIN_BAND_ROWS


def test_without_a_profile_bands_follow_the_last_one() -> None:
    assert next_rows(100, BAND_SECONDS / 4, 1000) == 150  # quick: at most half as many more
    assert next_rows(1000, BAND_SECONDS * 4, 1000) == 250
    assert next_rows(1000, 100.0, 1000) == MIN_BAND_ROWS
    assert next_rows(800, 0.0, 1000) == 1000
