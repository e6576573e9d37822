"""The title of an HTML page (its ``<title>``, else its first ``<h1>``), for web items."""

from __future__ import annotations

import logging
from html.parser import HTMLParser

log = logging.getLogger(__name__)


class _TitleFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.h1: list[str] = []
        self._in: str | None = None
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("title", "h1") and self._in is None and not self.done:
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None
            if tag == "title" and "".join(self.title).strip():
                self.done = True

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title.append(data)
        elif self._in == "h1":
            self.h1.append(data)


def page_title(html: str, limit: int = 300) -> str:
    """The page's title with whitespace collapsed, or "" when it has none."""
    finder = _TitleFinder()
    try:
        finder.feed(html[:2_000_000])
        finder.close()
    except Exception:  # HTMLParser is lenient; anything it still chokes on means "no title"
        log.warning("The page's HTML could not be parsed for its title", exc_info=True)
    for parts in (finder.title, finder.h1):
        text = " ".join("".join(parts).split())
        if text:
            return text[:limit]
    return ""
