"""How tall the next band of a slow page should be, so that drawing it takes about BAND_SECONDS.

MuPDF's Python bindings hold the GIL while they draw, so the GUI thread waits as long as a band
takes. A slow page's last render measured where it is slow (a dense figure), in page points: the
next render, at any zoom, sizes its bands from that profile. A page drawn in bands for the first
time is sized as it goes.
"""

from __future__ import annotations

BAND_SECONDS = 0.025
MIN_BAND_ROWS = 8
# After each band of a slow page the drawing thread pauses this long without the GIL: the GUI
# thread needs it once per Python callback, and an event-loop turn can run several in a row.
BAND_PAUSE_SECONDS = 0.002
# A slow page drawn in bands before its profile is known: bands of at most this many rows, so
# the first band to reach a dense figure cannot take long (the overhead is ~1 ms per band).
MOST_UNPROFILED_ROWS = 96

# (top, bottom) in PDF points and the seconds each pixel of that stretch took to draw.
Profile = list[tuple[float, float, float]]
# What one band measured: (top, bottom) in device pixels, seconds, pixels per row.
Sample = tuple[int, int, float, int]
# Drawing costs per object more than per pixel at small sizes: a thumbnail's seconds per pixel
# would make every band of the full page tiny. Renders smaller than this measure no profile.
MIN_PROFILE_PIXELS = 200_000


def measured_profile(zoom: float, samples: list[Sample]) -> Profile:
    """The profile of a render in bands; one band (a page drawn whole) says nothing of where
    the page is slow, only that it is, and gives an empty profile."""
    if len(samples) < 2:
        return []
    return [
        (top / zoom, bottom / zoom, seconds / max(1, (bottom - top) * width))
        for top, bottom, seconds, width in samples
    ]


def predicted_seconds(profile: Profile, top: int, bottom: int, zoom: float, width: int) -> float:
    """What the profile says drawing device rows ``top`` to ``bottom`` takes."""
    seconds = 0.0
    for seg_top, seg_bottom, seconds_per_pixel in profile:
        rows = min(bottom, seg_bottom * zoom) - max(top, seg_top * zoom)
        if rows > 0:
            seconds += rows * width * seconds_per_pixel
    return seconds


def planned_rows(
    profile: Profile, top: int, zoom: float, width: int, most: int, budget: float = BAND_SECONDS
) -> int:
    """Rows from device row ``top`` down whose drawing the profile says fits ``budget``."""
    row = float(top)
    for seg_top, seg_bottom, seconds_per_pixel in profile:
        start, end = max(row, seg_top * zoom), seg_bottom * zoom
        if end <= start:
            continue
        row_seconds = seconds_per_pixel * width
        if row_seconds * (end - start) >= budget:
            row = start + budget / row_seconds
            break
        budget -= row_seconds * (end - start)
        row = end
    else:
        return most  # the rest of the page fits
    return max(MIN_BAND_ROWS, min(most, int(row) - top))


def next_rows(rows: int, seconds: float, most: int) -> int:
    """Without a profile: the rows for the next band, given that ``rows`` rows took
    ``seconds``, sized to take BAND_SECONDS. They grow by half at most from one band to the
    next, so a band sized in the empty margin above a dense figure does not run far over."""
    wanted = int(rows * BAND_SECONDS / seconds) if seconds > 0 else most
    return max(MIN_BAND_ROWS, min(most, rows + rows // 2, wanted))
