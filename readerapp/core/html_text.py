"""Feed HTML made safe to show: an allow-list of formatting tags, no scripts, no remote loads.

Feed summaries come from anyone on the internet. Only plain formatting survives; every attribute
is dropped except an http(s)/mailto ``href`` on links; images become their alt text, so nothing
is fetched just by showing an entry.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

_ALLOWED = {
    "p", "br", "b", "strong", "i", "em", "u", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "sub", "sup", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "table", "tr", "td", "th",
}  # fmt: skip
_VOID = {"br", "hr"}
_DROP_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg",
                 "math", "head", "title", "form", "select", "textarea", "button"}  # fmt: skip
_SAFE_SCHEMES = ("http://", "https://", "mailto:")


class _Sanitiser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []
        self.dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP_CONTENT:
            self.dropping += 1
            return
        if self.dropping:
            return
        if tag == "img":
            alt = dict(attrs).get("alt") or ""
            if alt:
                self.out.append(f"[{html.escape(alt)}]")
            return
        if tag not in _ALLOWED:
            return
        if tag == "a":
            href = (dict(attrs).get("href") or "").strip()
            if href.lower().startswith(_SAFE_SCHEMES):
                self.out.append(f'<a href="{html.escape(href, quote=True)}">')
            else:
                self.out.append("<a>")
        else:
            self.out.append(f"<{tag}>")
        if tag not in _VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in self.open and tag not in _VOID and self.open[-1] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP_CONTENT:
            self.dropping = max(0, self.dropping - 1)
            return
        if self.dropping or tag not in self.open:
            return
        while self.open:  # close anything left open inside it, so the markup stays balanced
            top = self.open.pop()
            self.out.append(f"</{top}>")
            if top == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.out.append(html.escape(data, quote=False))

    def result(self) -> str:
        self.close()
        return "".join(self.out) + "".join(f"</{t}>" for t in reversed(self.open))


def sanitize_html(fragment: str) -> str:
    """``fragment`` with only allow-listed tags and safe links left."""
    parser = _Sanitiser()
    parser.feed(fragment)
    return parser.result()


def text_to_html(text: str) -> str:
    """Plain text as HTML paragraphs."""
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    return "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)


def html_to_text(fragment: str) -> str:
    """The visible text of a fragment (for rule matching and one-line previews)."""
    parser = _Sanitiser()
    parser.feed(fragment)
    parser.close()
    text_parts: list[str] = []
    for piece in parser.out:
        if piece.startswith("<"):
            text_parts.append("\n\n" if piece in ("<p>", "<br>", "<li>") else "")
        else:
            text_parts.append(html.unescape(piece))
    return " ".join("".join(text_parts).split()) if text_parts else ""
