"""The arXiv id parser: every form in the wild, property-tested with hypothesis."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readerapp.core.arxiv_ids import ArxivId, is_arxiv_url, parse_arxiv_id, safe_file_stem

ARCHIVES = ["hep-th", "hep-ph", "math", "astro-ph", "cond-mat", "q-bio", "physics", "cs", "gr-qc"]


@st.composite
def new_ids(draw) -> str:
    five = draw(st.booleans())
    if five:
        year, month = draw(st.integers(15, 99)), draw(st.integers(1, 12))
        num = f"{draw(st.integers(0, 99999)):05d}"
    else:
        year, month = draw(
            st.sampled_from(
                [(7, m) for m in range(4, 13)]
                + [(y, m) for y in range(8, 15) for m in range(1, 13)]
            )
        )
        num = f"{draw(st.integers(0, 9999)):04d}"
    return f"{year:02d}{month:02d}.{num}"


@st.composite
def old_ids(draw) -> tuple[str, str]:
    """(canonical id, as written): the written form may carry a subject class and capitals."""
    archive = draw(st.sampled_from(ARCHIVES))
    year, month = draw(st.sampled_from([91, 95, 99, 0, 5, 7])), draw(st.integers(1, 12))
    num = f"{draw(st.integers(0, 999)):03d}"
    canonical = f"{archive}/{year:02d}{month:02d}{num}"
    subject = draw(st.sampled_from(["", ".CA", ".AG", ".str-el", ".CO"]))
    written_archive = archive.upper() if draw(st.booleans()) else archive
    return canonical, f"{written_archive}{subject}/{year:02d}{month:02d}{num}"


WRAPPERS = [
    "{}",
    "arXiv:{}",
    "ARXIV:{}",
    "oai:arXiv.org:{}",
    "https://arxiv.org/abs/{}",
    "http://export.arxiv.org/abs/{}",
    "https://www.arxiv.org/pdf/{}",
    "https://arxiv.org/pdf/{}.pdf",
    "arxiv.org/abs/{}",
    "  https://arxiv.org/abs/{}/  ",
]


@given(new_ids(), st.one_of(st.none(), st.integers(1, 40)), st.sampled_from(WRAPPERS))
def test_formatting_a_new_style_id_then_parsing_gives_it_back(ident, version, wrapper):
    written = str(ArxivId(ident, version))
    assert parse_arxiv_id(wrapper.format(written)) == ArxivId(ident, version)


@given(old_ids(), st.one_of(st.none(), st.integers(1, 40)), st.sampled_from(WRAPPERS))
def test_formatting_an_old_style_id_then_parsing_gives_the_canonical_id(ids, version, wrapper):
    canonical, written = ids
    suffix = f"v{version}" if version else ""
    parsed = parse_arxiv_id(wrapper.format(written + suffix))
    assert parsed == ArxivId(canonical, version)
    assert parsed.is_old_style and "/" not in safe_file_stem(parsed.id)


@given(st.text(max_size=400))
def test_no_text_crashes_the_parser(text):
    result = parse_arxiv_id(text)
    assert result is None or isinstance(result, ArxivId)


@given(st.text(alphabet="0123456789.vV/:abcdefhmprstx-", max_size=40))
def test_whatever_parses_formats_back_to_itself(text):
    parsed = parse_arxiv_id(text)
    if parsed is not None:
        assert parse_arxiv_id(str(parsed)) == parsed


@pytest.mark.parametrize(
    "text",
    [
        "2304.15004v0",  # versions start at 1
        "1301.12345",  # five digits before 2015
        "1501.1234",  # four digits after 2014
        "0701.0001",  # before new-style ids existed
        "2313.00001",  # month 13
        "https://example.org/abs/2304.15004",
        "ftp://arxiv.org/abs/2304.15004",
        "https://arxiv.org/list/cs.CL/recent",
        "",
        "   ",
        "2304.15004extra",
        None,
        12345,
    ],
)
def test_things_that_are_not_ids(text):
    assert parse_arxiv_id(text) is None


def test_real_forms_from_the_guide():
    assert parse_arxiv_id("https://arxiv.org/pdf/2306.02707v1.pdf") == ArxivId("2306.02707", 1)
    assert parse_arxiv_id("oai:arXiv.org:2304.15004v1") == ArxivId("2304.15004", 1)
    assert parse_arxiv_id("math.CA/0611800v2") == ArxivId("math/0611800", 2)
    assert parse_arxiv_id("https://arxiv.org/abs/hep-th/9901001") == ArxivId("hep-th/9901001")
    assert is_arxiv_url("https://export.arxiv.org/api/query") and not is_arxiv_url("https://x.org")
