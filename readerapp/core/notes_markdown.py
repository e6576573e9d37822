"""Notes rendered as GitHub-flavoured Markdown (tables, strikethrough, task lists, autolinks),
as HTML that Qt's rich-text widgets draw.

markdown-it-py's ``gfm-like`` preset brings tables, strikethrough and autolinks (through
linkify-it-py); task lists come from mdit-py-plugins. Raw HTML in notes is shown as text, never
executed or loaded. Images are shown as their description and address, never loaded: a note's
``![fig](/dev/zero)`` must not be read (the preview also loads nothing, see SafeTextBrowser).
Qt's rich text draws no ``<input>``, so a task's checkbox becomes a ☑ or ☐, and tables get the
cell borders that Qt does not take from CSS.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.tasklists import tasklists_plugin

CHECKED, UNCHECKED = "☑", "☐"


class NotesRenderer:
    """Markdown notes to HTML; build one and reuse it (building the parser costs a few ms)."""

    def __init__(self) -> None:
        self.md = MarkdownIt("gfm-like", {"html": False}).use(tasklists_plugin)

    def render(self, text: str) -> str:
        tokens = self.md.parse(text)
        for token in tokens:
            if token.type == "table_open":
                token.attrs.update({"border": "1", "cellspacing": "0", "cellpadding": "4"})
            elif token.type == "bullet_list_open" and "contains-task-list" in str(
                token.attrs.get("class", "")
            ):
                token.attrs["style"] = "list-style-type: none"  # the box is the bullet
            elif token.type == "inline" and token.children:
                token.children = [drawn for child in token.children for drawn in _drawable(child)]
        html: str = self.md.renderer.render(tokens, self.md.options, {})
        return html


def _drawable(token: Token) -> list[Token]:
    """A task list's checkbox as a character Qt draws, an image as words (a link to a web
    image); every other token as it is."""
    if token.type == "html_inline" and "task-list-item-checkbox" in token.content:
        mark = CHECKED if 'checked="checked"' in token.content else UNCHECKED
        return [Token("text", "", 0, content=f"{mark}")]
    if token.type == "image":
        return _image_as_words(token)
    return [token]


def _image_as_words(token: Token) -> list[Token]:
    """``[image: description]``, linked when the image is on the web, else followed by its
    address as text: what the note names is shown, nothing is read."""
    address = str(token.attrs.get("src", ""))
    words = Token("text", "", 0, content=f"[image: {token.content or 'no description'}]")
    if address.lower().startswith(("https://", "http://")):
        link = Token("link_open", "a", 1, attrs={"href": address})
        return [link, words, Token("link_close", "a", -1)]
    return [words, Token("text", "", 0, content=f" {address}")] if address else [words]
