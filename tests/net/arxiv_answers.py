"""Answers an arXiv test server gives: API feeds in the current format, and real PDFs."""

from __future__ import annotations

from html import escape

import pymupdf

FEED_HEAD = """<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <id>https://arxiv.org/api/test</id>
  <title>arXiv Query</title>
  <updated>2026-04-12T22:09:27Z</updated>
  <opensearch:itemsPerPage>{n}</opensearch:itemsPerPage>
  <opensearch:totalResults>{n}</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex>
"""

ENTRY = """  <entry>
    <id>http://arxiv.org/abs/{ident}v{version}</id>
    <title>{title}</title>
    <updated>2024-0{version}-02T10:00:00Z</updated>
    <link href="https://arxiv.org/abs/{ident}v{version}" rel="alternate" type="text/html"/>
    <link href="https://arxiv.org/pdf/{ident}v{version}" rel="related" type="application/pdf" title="pdf"/>
    <summary>An abstract about {title}.</summary>
    <category term="cs.CL" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
    <published>2024-01-02T10:00:00Z</published>
    <arxiv:comment>12 pages</arxiv:comment>
    <arxiv:primary_category term="cs.CL"/>
    <author><name>Ada Lovelace</name></author>
    <author><name>Alan Turing</name></author>
  </entry>
"""


def api_feed(*papers: tuple[str, int, str]) -> bytes:
    """A current-format API answer with one entry per (id, version, title)."""
    body = FEED_HEAD.format(n=len(papers))
    for ident, version, title in papers:
        body += ENTRY.format(ident=ident, version=version, title=escape(title))
    return (body + "</feed>\n").encode()


def make_pdf(text: str, pages: int = 2) -> bytes:
    doc = pymupdf.open()
    for n in range(pages):
        page = doc.new_page()
        page.insert_text((72, 72), f"{text} page {n + 1}")
    doc.set_metadata({"title": text})
    data = doc.tobytes()
    doc.close()
    return data
