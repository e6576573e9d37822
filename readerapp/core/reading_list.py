"""A Markdown reading list (a diary of links under headings) read into plain data.

Parsed with markdown-it-py's tokens, never line regexes over the raw text, so lists, emphasis and
links mean what a Markdown renderer says they mean. The rules, in the order a reader meets them:

- Headings are topics, nested by level. A lone ``#`` heading at the top is the document's title.
- A numbered line of a few words ("1) Alignment", ``2)"Hallucination" problem``) is a topic one
  level below the current heading: a pseudo-heading.
- A heading that is only a link, a list item or line that starts with a link: an item (a "lead"
  link). The rest of its line, its sub-blocks and the prose right after it are its notes.
- A link inside a sentence: an item whose notes are that sentence.
- A table (an "awesome list") is one item a row: the row's link is the item, its Date/Year and
  Venue/Publication cells fill those fields; the rest of the row (badges, keywords) is not notes.
- Links to a place in the same document (a table of contents) and links that are only a picture
  (badges) are not items.
- Links inside an item's notes stay in the notes (reported), images are reported, prose that
  belongs to no item is reported: nothing is dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from readerapp.core.arxiv_ids import is_arxiv_url, parse_arxiv_id
from readerapp.core.links import clean_url, kind_for_url, title_from_url, url_key
from readerapp.core.models import ItemKind

if TYPE_CHECKING:  # markdown-it is imported when a list is read: the window imports this at start
    from markdown_it import MarkdownIt
    from markdown_it.tree import SyntaxTreeNode

TopicPath = tuple[str, ...]

_PSEUDO_HEADING = re.compile(r"^\s*\d{1,2}\s*[.)]\s*(?P<name>\S.*?)\s*$")
_QUOTED_LEAD = re.compile(r"^[\"“”'‘’](?P<q>[^\"“”'‘’]+)[\"“”'‘’]")
_LEAD_JUNK = re.compile(r"^[\s\-*+•–—·>]*$")
_ARXIV_HINT = re.compile(r"^\s*\(?\s*arXiv:\s*(?P<id>[^\s)]+)\s*\)?", re.IGNORECASE)
_BY = re.compile(r"(?:^|\s)by\s+", re.IGNORECASE)
# What readerapp's own export writes after an item's link (see storage.exporter): the year in
# parentheses, "by" with the authors (in emphasis when they are not plain names), the status.
_YEAR = re.compile(r"^\((?P<year>\d{4})\)(?=\s|$)\s*")
_STATUS = re.compile(r"\s*·\s*(?P<status>to-read|reading|read)\s*$")
_EMPHASISED_AUTHORS = re.compile(r"^by\s+[*_](?P<names>[^*_]+)[*_]\s*$")
# An item with neither link nor arXiv id (a PDF of the user's own, a book): its title in bold
# and one of these marks, so it is not mistaken for prose.
LINKLESS_MARKS = ("(local PDF)", "(no link)")
_GENERIC_LAST = {
    "paper",
    "post",
    "thread",
    "tweet",
    "article",
    "blog",
    "link",
    "pdf",
    "video",
    "here",
    "this",
    "page",
    "site",
    "website",
    "source",
}
# Words that may come before a generic noun in link text that is not a title ("this thread").
_GENERIC_LEAD = {"this", "that", "the", "a", "an", "my", "his", "her", "their", "our"}
_GENERIC_LEAD |= {"original", "full", "twitter", "x", "linkedin", "substack", "medium", "arxiv"}
_FIRST_PERSON = {"i", "i'm", "i've", "i'd", "my", "me", "we", "we've", "our"}
_PARTICLES = {"van", "der", "de", "den", "von", "la", "le", "di", "del", "da", "du", "bin", "al"}
# Table headers naming the column that holds the item's link, its year, its venue.
_TITLE_HEADERS = {"paper", "papers", "title", "name", "link", "article", "resource"}
_YEAR_HEADERS = {"date", "year", "published", "time"}
_VENUE_HEADERS = {"publication", "venue", "conference", "journal", "conference/journal"}
HIGHLIGHT_MARK = re.compile(r"^\s*\*\*p\.\s*\d+\*\*")


@dataclass(slots=True)
class Problem:
    """A line the reader could not turn into what it looks like, and what was done with it."""

    line: int | None
    what: str
    action: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.what}; {self.action}"


@dataclass(slots=True)
class Entry:
    """An item as the file names it. ``topics`` lists every topic path it appeared under."""

    title: str
    url: str
    kind: ItemKind
    line: int
    arxiv_id: str | None = None
    version: int | None = None
    notes: str = ""
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    venue: str = ""
    topics: list[TopicPath] = field(default_factory=list)
    status: str | None = None  # "to-read", "reading" or "read" when the line says so
    title_is_guess: bool = False  # the link text was not a title; merging prefers a real one
    malformed_arxiv: bool = False  # an arXiv link naming no valid id; merged by title if at all

    @property
    def key(self) -> str:
        return match_key(self.arxiv_id, self.url)

    def add_note(self, text: str) -> None:
        text = text.strip()
        if text and text not in self.notes:
            self.notes = f"{self.notes}\n\n{text}" if self.notes else text


@dataclass(slots=True)
class ReadingList:
    """What a Markdown reading list holds: its title, topics in order, items and the problems."""

    title: str | None = None
    topics: list[TopicPath] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def match_key(arxiv_id: str | None, url: str) -> str:
    """The identity of an item for merging: its versionless arXiv id, else its URL's key."""
    if arxiv_id:
        return f"arxiv:{arxiv_id}"
    return f"url:{url_key(url)}" if url else ""


def markdown_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def parse_reading_list(text: str) -> ReadingList:
    """Read a Markdown reading list; never raises on odd Markdown (problems go in the result)."""
    return _Reader(text).read()


# ---- the reader -------------------------------------------------------------------------------


@dataclass(slots=True)
class _Line:
    """One line of an inline run: its nodes and its 1-based line number in the file."""

    nodes: list[SyntaxTreeNode]
    number: int


class _Reader:
    def __init__(self, text: str) -> None:
        self.source = text.replace("\r\n", "\n").replace("\r", "\n")
        self.lines = self.source.split("\n")
        self.result = ReadingList()
        self.headings: list[tuple[int, str]] = []  # open real headings: (level, name)
        self.pseudo: str | None = None
        self.attach: Entry | None = None  # the lead item that following prose belongs to
        self.by_key: dict[str, Entry] = {}
        self.md = markdown_parser()
        # Sections holding a table of contents (links to headings of this file): without items
        # of their own they are navigation, not topics.
        self.contents_sections: set[TopicPath] = set()

    # -- structure --------------------------------------------------------------------------
    def read(self) -> ReadingList:
        from markdown_it.tree import SyntaxTreeNode

        root = SyntaxTreeNode(self.md.parse(self.source))
        blocks = list(root.children)
        h1s = [b for b in blocks if b.type == "heading" and b.tag == "h1"]
        first_heading = next((b for b in blocks if b.type == "heading"), None)
        if len(h1s) == 1 and first_heading is h1s[0] and not _lead_link(_inline(h1s[0])):
            self.result.title = _plain(_inline(h1s[0]).children).strip() or None
            blocks.remove(h1s[0])
        self._blocks(blocks, offset=0)
        used = {p[:d] for e in self.result.entries for p in e.topics for d in range(1, len(p) + 1)}
        self.result.topics = [
            t for t in self.result.topics if t in used or t not in self.contents_sections
        ]
        return self.result

    def _path(self) -> TopicPath:
        names = tuple(name for _, name in self.headings)
        return (*names, self.pseudo) if self.pseudo else names

    def _open_topic(self, path: TopicPath) -> None:
        for depth in range(1, len(path) + 1):
            if path[:depth] not in self.result.topics:
                self.result.topics.append(path[:depth])

    def _blocks(self, blocks: list[SyntaxTreeNode], offset: int) -> None:
        for block in blocks:
            self._block(block, offset)

    def _block(self, block: SyntaxTreeNode, offset: int) -> None:
        line = _line_of(block, offset)
        if block.type == "heading":
            self._heading(block, offset)
        elif block.type == "hr":
            self.attach = None
        elif block.type == "paragraph":
            self._lines(_split_lines(_inline(block), line), allow_pseudo=True)
        elif block.type in ("bullet_list", "ordered_list"):
            self._list(block, offset)
        elif block.type == "table":
            self._table(block, offset)
        elif block.type == "code_block":
            # Four spaces of indent after a blank line make a code block in CommonMark, but in a
            # reading list they are an indented line of links: read the content as Markdown.
            from markdown_it.tree import SyntaxTreeNode

            inner = SyntaxTreeNode(self.md.parse(block.content))
            self._blocks(list(inner.children), offset=line - 1)
        elif block.type == "blockquote":
            if self.attach is not None:
                self._attach_source(block, offset)
            else:
                self._blocks(list(block.children), offset)
        elif block.type == "fence" and ("](" in block.content or "://" in block.content):
            self._problem(line, "a fenced code block with links", "not read (code is kept as is)")
        elif block.type == "html_block" and not block.content.lstrip().startswith("<!--"):
            self._problem(line, f"HTML “{_clip(block.content)}”", "not imported")

    def _heading(self, block: SyntaxTreeNode, offset: int) -> None:
        level = int(block.tag[1])
        inline = _inline(block)
        line = _line_of(block, offset)
        while self.headings and self.headings[-1][0] >= level:
            self.headings.pop()
        self.pseudo = None
        self.attach = None
        lead = _lead_link(inline)
        if lead is not None:
            _, link, rest = lead
            self.attach = self._entry(link, line, rest=rest, lead=True)
            return
        text = _plain(inline.children).strip()
        if not text:
            return
        names = [n for n in (_topic_name(p) for p in text.split(" / ")) if n] if level == 6 else []
        if level == 6 and len(names) > 1:  # deep topics written by the exporter as a path
            for extra in names[:-1]:
                self.headings.append((level, extra))
            text = names[-1]
        name = _topic_name(text)
        if name:
            self.headings.append((level, name))
            self._open_topic(self._path())

    def _list(self, block: SyntaxTreeNode, offset: int) -> None:
        items = list(block.children)
        leads = [it for it in items if _item_lead(it)]
        if (
            not leads
            and self.attach is not None
            and not any(_pseudo_name(it, ordered=block.type == "ordered_list") for it in items)
        ):
            # A list of prose right after an item ("Credits: ..."): the item's notes.
            self._attach_source(block, offset, single_item=len(items) == 1)
            return
        self.attach = None
        last_lead: Entry | None = None
        for item in items:
            line = _line_of(item, offset)
            pseudo = _pseudo_name(item, ordered=block.type == "ordered_list")
            if pseudo:
                self.pseudo = pseudo
                last_lead = None
                continue
            children = list(item.children)
            if children and children[0].type == "paragraph" and _item_lead(item):
                lines = _split_lines(_inline(children[0]), line)
                entry = self._lines(lines, allow_pseudo=False)
                rest = children[1:]
                if entry is not None and rest:
                    self._note_from_source(entry, rest, offset)
                last_lead = entry
            else:
                self.attach = None
                self._blocks(children, offset)
                last_lead = None
        self.attach = last_lead

    def _table(self, block: SyntaxTreeNode, offset: int) -> None:
        """One item a row: the row's link; Date/Year and Venue cells fill fields, nothing else."""
        self.attach = None
        rows = [tr for part in block.children for tr in part.children if tr.type == "tr"]
        if not rows:
            return
        header = [_plain(_inline(cell).children).strip().casefold() for cell in rows[0].children]
        link_column = next((i for i, h in enumerate(header) if h in _TITLE_HEADERS), None)
        for tr in rows[1:]:
            cells = [_inline(cell) for cell in tr.children]
            line = _line_of(tr, offset)
            for cell in cells:
                self._images(_Line(list(cell.children), line))
            order = range(len(cells)) if link_column is None else [link_column]
            link = next(
                (
                    n
                    for i in order
                    if i < len(cells)
                    for n in _walk(list(cells[i].children))
                    if _is_item_link(n)
                ),
                None,
            )
            if link is None:
                text = " | ".join(_plain(c.children).strip() for c in cells)
                if text.strip(" |"):
                    self._problem(line, f"table row “{_clip(text)}” has no link", "not imported")
                continue
            entry = self._entry(link, line)
            for name, cell in zip(header, cells, strict=False):
                value = " ".join(_plain(_no_html(cell.children)).split())
                if name in _YEAR_HEADERS and entry.year is None:
                    found = re.search(r"\b(19|20)\d{2}\b", value)
                    entry.year = int(found.group()) if found else None
                elif name in _VENUE_HEADERS and value and not entry.venue:
                    entry.venue = value

    # -- lines --------------------------------------------------------------------------------
    def _lines(self, lines: list[_Line], allow_pseudo: bool) -> Entry | None:
        """Read the lines of one paragraph; returns the lead entry the last lines belong to."""
        for ln in lines:
            self._images(ln)
            if allow_pseudo:
                name = _pseudo_heading_text(ln.nodes)
                if name:
                    self.pseudo = name
                    self.attach = None
                    continue
            lead = _lead_link_nodes(ln.nodes)
            if lead is not None:
                _, link, rest = lead
                self.attach = self._entry(link, ln.number, rest=rest, lead=True)
                continue
            linkless = _linkless_lead(ln.nodes)
            if linkless is not None:
                self.attach = self._linkless_entry(*linkless, ln.number)
                continue
            found = [n for n in _walk(ln.nodes) if n.type == "link"]
            if any(_is_anchor(n) for n in found):
                self.contents_sections.add(self._path())
                continue  # a table of contents: navigation, neither items nor notes
            links = [n for n in found if _is_item_link(n)]
            rendered = _render(ln.nodes).strip()
            if self.attach is not None:
                self.attach.add_note(rendered)
                self._links_kept(links, self.attach, ln.number)
            elif links:
                for link in links:
                    self._entry(link, ln.number, context=ln.nodes)
            elif _plain(ln.nodes).strip() and not _LEAD_JUNK.match(_plain(ln.nodes)):
                self._problem(ln.number, f"“{_clip(rendered)}” has no link", "not imported")
        return self.attach

    def _images(self, ln: _Line) -> None:
        for node in _walk(ln.nodes):
            if node.type == "image":
                alt = _plain(node.children) or "untitled"
                src = str(node.attrs.get("src", ""))
                self._problem(ln.number, f"image “{alt}” ({src})", "images are not items; skipped")

    def _links_kept(self, links: list[SyntaxTreeNode], owner: Entry, number: int) -> None:
        for link in links:
            href = str(link.attrs.get("href", ""))
            if match_key(_arxiv(href), clean_url(href)) == owner.key:
                continue
            self._problem(
                number,
                f"link “{_plain(link.children)}” ({href})",
                f"kept in the notes of “{_clip(owner.title)}”, not imported as an item",
            )

    def _attach_source(self, block: SyntaxTreeNode, offset: int, single_item: bool = False) -> None:
        assert self.attach is not None
        owner = self.attach
        text = self._source(block, offset)
        if single_item:
            text = _strip_marker(text)
        owner.add_note(text)
        for node in _walk(list(block.children)):
            if node.type == "inline":
                for ln in _split_lines(node, _line_of(node, offset)):
                    self._images(ln)
                    self._links_kept(
                        [n for n in _walk(ln.nodes) if n.type == "link"], owner, ln.number
                    )

    def _note_from_source(self, entry: Entry, blocks: list[SyntaxTreeNode], offset: int) -> None:
        kept: list[str] = []
        for block in blocks:
            text = self._source(block, offset)
            if block.type == "blockquote" and HIGHLIGHT_MARK.match(text.lstrip("> ")):
                # A highlight written by the exporter: highlights live with the PDF.
                self._problem(
                    _line_of(block, offset),
                    f"highlight quote “{_clip(text.lstrip('> '), 50)}”",
                    "highlights are kept with the PDF and not imported from Markdown",
                )
                continue
            kept.append(text)
            for node in _walk([block]):
                if node.type == "inline":
                    for ln in _split_lines(node, _line_of(node, offset)):
                        self._images(ln)
                        links = [n for n in _walk(ln.nodes) if n.type == "link"]
                        self._links_kept(links, entry, ln.number)
        entry.add_note("\n\n".join(kept))

    def _source(self, block: SyntaxTreeNode, offset: int) -> str:
        """The block's own Markdown, dedented: notes keep their links and formatting as written."""
        if block.map is None:
            return block.content
        start, end = block.map
        if offset:  # inside a re-read indented block: its lines lost four spaces of indent
            raw = self.lines[offset + start : offset + end]
            raw = [ln[4:] if ln.startswith("    ") else ln.lstrip() for ln in raw]
        else:
            raw = self.lines[start:end]
        return _dedent(raw).strip("\n")

    # -- entries ------------------------------------------------------------------------------
    def _entry(
        self,
        link: SyntaxTreeNode,
        line: int,
        rest: list[SyntaxTreeNode] | None = None,
        lead: bool = False,
        context: list[SyntaxTreeNode] | None = None,
    ) -> Entry:
        href = str(link.attrs.get("href", "")).strip()
        text = " ".join(_plain(link.children).split())
        arxiv = parse_arxiv_id(href) if href else None
        entry = Entry(title="", url=clean_url(href), kind=kind_for_url(href), line=line)
        if arxiv:
            entry.arxiv_id, entry.version = arxiv.id, arxiv.version
            entry.url = f"https://arxiv.org/abs/{arxiv.id}"
        elif href and is_arxiv_url(href):
            entry.malformed_arxiv = True
        notes: list[str] = []
        judged = _judge_link_text(text, href)
        if judged == "title":
            entry.title = text
        else:
            entry.title = title_from_url(href) if href else (text or "Untitled")
            entry.title_is_guess = True
            if judged == "description":
                notes.append(text)
        if rest is not None:
            notes.extend(_read_rest(entry, _render(rest)))
        if context is not None:
            rendered = _render(context).strip()
            notes.append(rendered)
            after = rendered.split(f"]({href})", 1)[-1]
            authors, _ = authors_after_by(after)
            if authors and not entry.authors:
                entry.authors = authors
        for note in notes:
            entry.add_note(note)
        if entry.malformed_arxiv:
            self._report_malformed(entry, href)
        path = self._path()
        if path:
            self._open_topic(path)
        return self._merge(entry, path)

    def _linkless_entry(self, title: str, rest: str, line: int) -> Entry:
        entry = Entry(title=title, url="", kind=ItemKind.PAPER, line=line)
        for note in _read_rest(entry, rest):
            entry.add_note(note)
        path = self._path()
        if path:
            self._open_topic(path)
        return self._merge(entry, path)

    def _report_malformed(self, entry: Entry, href: str) -> None:
        candidate = href.rstrip("/").rsplit("/", 1)[-1]
        suggestion = next(
            (
                parse_arxiv_id(candidate[:cut])
                for cut in (-1, -2)
                if len(candidate) > 2 and parse_arxiv_id(candidate[:cut])
            ),
            None,
        )
        hint = f" (did you mean arXiv:{suggestion}?)" if suggestion else ""
        self._problem(
            entry.line,
            f"the arXiv link {href} names no valid arXiv id{hint}",
            f"imported “{_clip(entry.title)}” with the link as written and no arXiv id",
        )

    def _merge(self, entry: Entry, path: TopicPath) -> Entry:
        key = entry.key
        found = self.by_key.get(key) if key else None
        if found is None:
            if path:
                entry.topics.append(path)
            self.result.entries.append(entry)
            if key:
                self.by_key[key] = entry
            return entry
        if path and path not in found.topics:
            found.topics.append(path)
        if found.title_is_guess and not entry.title_is_guess:
            found.title, found.title_is_guess = entry.title, False
        found.authors = found.authors or entry.authors
        found.version = found.version or entry.version
        found.year = found.year or entry.year
        found.status = found.status or entry.status
        found.add_note(entry.notes)
        return found

    def _problem(self, line: int | None, what: str, action: str) -> None:
        self.result.problems.append(Problem(line, what, action))


# ---- inline helpers ---------------------------------------------------------------------------


def _inline(block: SyntaxTreeNode) -> SyntaxTreeNode:
    for child in block.children:
        if child.type == "inline":
            return child
    from markdown_it.tree import SyntaxTreeNode

    return SyntaxTreeNode()


def _line_of(node: SyntaxTreeNode, offset: int) -> int:
    return (node.map[0] if node.map else 0) + offset + 1


def _split_lines(inline: SyntaxTreeNode, first_line: int) -> list[_Line]:
    lines = [_Line([], first_line)]
    for node in inline.children:
        if node.type in ("softbreak", "hardbreak"):
            lines.append(_Line([], lines[-1].number + 1))
        else:
            lines[-1].nodes.append(node)
    return [ln for ln in lines if ln.nodes]


def _walk(nodes: list[SyntaxTreeNode]) -> Iterator[SyntaxTreeNode]:
    for node in nodes:
        yield node
        yield from _walk(list(node.children))


def _plain(nodes: Sequence[SyntaxTreeNode]) -> str:
    out: list[str] = []
    for node in nodes:
        if node.type in ("text", "code_inline", "html_inline"):
            out.append(node.content)
        elif node.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif node.type == "image":
            continue
        else:
            out.append(_plain(node.children))
    return "".join(out)


def _render(nodes: Sequence[SyntaxTreeNode]) -> str:
    """Inline nodes back to Markdown (links stay links), for notes taken from part of a line."""
    out: list[str] = []
    for node in nodes:
        t = node.type
        if t == "text":
            out.append(node.content)
        elif t == "code_inline":
            out.append(f"{node.markup}{node.content}{node.markup}")
        elif t in ("em", "strong"):
            out.append(f"{node.markup}{_render(node.children)}{node.markup}")
        elif t == "link":
            out.append(f"[{_render(node.children)}]({node.attrs.get('href', '')})")
        elif t == "image":
            out.append(f"![{_plain(node.children)}]({node.attrs.get('src', '')})")
        elif t == "html_inline":  # notes hold Markdown, never raw HTML; a <br> was a break
            out.append("\n" if re.match(r"<br\b", node.content, re.IGNORECASE) else "")
        elif t in ("softbreak", "hardbreak"):
            out.append("\n")
        else:
            out.append(_render(node.children))
    return "".join(out)


def _lead_link_nodes(
    nodes: list[SyntaxTreeNode],
) -> tuple[str, SyntaxTreeNode, list[SyntaxTreeNode]] | None:
    """(text before, the link, nodes after) when the line starts with a link, else None.

    Stray list marks typed without a space ("-[Title](url)") count as nothing before the link.
    A link wrapped in emphasis (``**[Title](url)**``) is a lead link too.
    """
    before: list[str] = []
    for index, node in enumerate(nodes):
        kind = node.type  # a computed property of markdown-it's nodes: read once
        candidate = node
        if kind in ("strong", "em") and len(node.children) == 1:
            candidate = node.children[0]
        if candidate.type == "link":
            if not _is_item_link(candidate):
                return None
            text = "".join(before)
            if _LEAD_JUNK.match(text):
                return text, candidate, list(nodes[index + 1 :])
            return None
        if kind == "text":
            before.append(node.content)
            if not _LEAD_JUNK.match(node.content):
                return None
        elif kind == "image":
            continue
        else:
            return None
    return None


def _no_html(nodes: Sequence[SyntaxTreeNode]) -> list[SyntaxTreeNode]:
    return [n for n in nodes if n.type != "html_inline"]


def _is_anchor(link: SyntaxTreeNode) -> bool:
    """A link node to a place in this document ("#section")."""
    return str(link.attrs.get("href", "")).startswith("#")


def _is_item_link(node: SyntaxTreeNode) -> bool:
    """A link that names something to read: not a place in this document, not a badge picture."""
    if node.type != "link" or _is_anchor(node):  # "[Title]()" is an item without a link
        return False
    pictured = any(n.type == "image" for n in _walk(list(node.children)))
    return not (pictured and not _plain(node.children).strip())


def _read_rest(entry: Entry, rest: str) -> list[str]:
    """Fill ``entry`` from what follows its lead on the line (as Markdown): an arXiv id, the
    year, the authors, the status; returns what is left as notes."""
    rest_text = rest.strip().lstrip(":-–—|").strip()  # "[T](u): why it matters"
    hint = _ARXIV_HINT.match(rest_text)
    if hint and not entry.arxiv_id:
        hinted = parse_arxiv_id(hint["id"])
        if hinted:
            entry.arxiv_id, entry.version = hinted.id, hinted.version
            rest_text = rest_text[hint.end() :].strip()
    year = _YEAR.match(rest_text)
    if year:
        entry.year = int(year["year"])
        rest_text = rest_text[year.end() :]
    status = _STATUS.search(rest_text)
    if status:
        entry.status = status["status"]
        rest_text = rest_text[: status.start()].strip()
    emphasised = _EMPHASISED_AUTHORS.match(rest_text)
    if emphasised:
        entry.authors = entry.authors or split_names(emphasised["names"])
        return []
    authors, consumed = authors_after_by(rest_text)
    if authors:
        entry.authors = entry.authors or authors
    return [rest_text] if rest_text and not consumed else []


def split_names(text: str) -> list[str]:
    """ "A, B and C" as three names (the way the exporter joins them)."""
    head, _, last = text.rpartition(" and ")
    names = [*head.split(", "), last] if head else [last]
    return [" ".join(n.split()) for n in names if n.strip()]


def _linkless_lead(nodes: list[SyntaxTreeNode]) -> tuple[str, str] | None:
    """(title, the rest of the line) for "**Title** (local PDF) ...", else None."""
    while nodes and nodes[0].type == "text" and not nodes[0].content.strip():
        nodes = nodes[1:]
    if len(nodes) < 2 or nodes[0].type != "strong" or nodes[1].type != "text":
        return None
    after = nodes[1].content.lstrip()
    mark = next((m for m in LINKLESS_MARKS if after.startswith(m)), None)
    title = " ".join(_plain(nodes[0].children).split())
    if mark is None or not title:
        return None
    return title, after[len(mark) :] + _render(nodes[2:])


def _lead_link(
    inline: SyntaxTreeNode,
) -> tuple[str, SyntaxTreeNode, list[SyntaxTreeNode]] | None:
    return _lead_link_nodes(list(inline.children))


def _item_lead(item: SyntaxTreeNode) -> bool:
    children = list(item.children)
    if not children or children[0].type != "paragraph":
        return False
    lines = _split_lines(_inline(children[0]), 0)
    return bool(lines) and (
        _lead_link_nodes(lines[0].nodes) is not None or _linkless_lead(lines[0].nodes) is not None
    )


def _pseudo_name(item: SyntaxTreeNode, ordered: bool) -> str | None:
    """An ordered list item that is only a short name ("1) Alignment"): a pseudo-heading."""
    children = list(item.children)
    if not ordered or len(children) != 1 or children[0].type != "paragraph":
        return None
    lines = _split_lines(_inline(children[0]), 0)
    if len(lines) != 1 or any(n.type != "text" for n in lines[0].nodes):
        return None
    return _short_name(_plain(lines[0].nodes))


def _pseudo_heading_text(nodes: list[SyntaxTreeNode]) -> str | None:
    if any(n.type != "text" for n in nodes):
        return None
    m = _PSEUDO_HEADING.match(_plain(nodes))
    return _short_name(m["name"]) if m else None


def _short_name(text: str) -> str | None:
    text = text.strip()
    if not text or len(text.split()) > 8 or text.endswith((".", "!", "?", ",", ";")):
        return None
    return _topic_name(text)


def _topic_name(text: str) -> str | None:
    """A heading's text as a topic name: a leading quoted phrase is the name; '/' is not allowed."""
    text = " ".join(text.split()).strip(" :*_#")
    quoted = _QUOTED_LEAD.match(text)
    if quoted:
        text = quoted["q"].strip()
    text = text.replace("/", "∕")  # a topic path separator; a look-alike keeps the name readable
    return text or None


def _judge_link_text(text: str, href: str) -> str:
    """'title', 'description' (a sentence about the link) or 'none' (generic, or the URL)."""
    if not text or text == href or "://" in text or text.lower().startswith("www."):
        return "none"
    words = text.split()
    lowered = [w.lower().strip(".,:;!?'\"()") for w in words]
    if len(words) <= 3 and lowered[-1] in _GENERIC_LAST and set(lowered[:-1]) <= _GENERIC_LEAD:
        return "none"
    if len(words) >= 6 and _FIRST_PERSON & set(lowered):
        return "description"
    if len(words) >= 14 and not _looks_like_a_title(words):
        return "description"
    return "title"


def _looks_like_a_title(words: list[str]) -> bool:
    """Long link text that is still a title: capitalised like one, and not a finished sentence.

    ("Using DeepSpeed and Megatron to Train Megatron-Turing NLG 530B, A Large-Scale Generative
    Language Model" is a title; "This paper shows that models learn in context when …" is not.)
    """
    if words[-1].endswith((".", "!", "?", ";")):
        return False
    long_words = [w for w in words if len(w.strip(".,:;!?'\"()")) > 3]
    capitalised = [w for w in long_words if w[:1].isupper() or w[:1].isdigit()]
    return not long_words or len(capitalised) >= 0.6 * len(long_words)


def authors_after_by(text: str) -> tuple[list[str], bool]:
    """Names after the first "by" in ``text``; True as well when that clause is all there is."""
    m = _BY.search(text)
    if not m:
        return [], False
    tokens = re.findall(r",|[^\s,]+", text[m.end() :])
    names: list[list[str]] = []
    current: list[str] = []
    consumed = 0
    stopped = False
    for tok in tokens:
        bare = tok.rstrip(".")
        initial = re.fullmatch(r"[A-Z]\.", tok) is not None
        if tok == "," or tok.lower() == "and":
            if current:
                names.append(current)
                current = []
        elif initial or (bare[:1].isupper() and bare.replace("-", "").replace("'", "").isalpha()):
            current.append(tok if initial else bare)
            if not initial and tok.endswith("."):
                consumed += 1
                break
        elif current and tok.lower() in _PARTICLES:
            current.append(tok)
        else:
            stopped = True
            break
        consumed += 1
    if current:
        names.append(current)
    if not names or any(len(n) < 2 for n in names):
        return [], False
    whole = m.start() == 0 and not stopped and consumed == len(tokens)
    return [" ".join(n) for n in names], whole


def _dedent(lines: list[str]) -> str:
    indents = [len(ln) - len(ln.lstrip(" ")) for ln in lines if ln.strip()]
    cut = min(indents) if indents else 0
    return "\n".join(ln[cut:] if len(ln) >= cut else ln.lstrip(" ") for ln in lines).rstrip()


def _strip_marker(text: str) -> str:
    """The content of a one-item list: its marker gone, continuation lines kept."""
    first, _, rest = text.partition("\n")
    m = re.match(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+", first)
    if not m:
        return text
    width = m.end()
    body = [first[width:]] + [ln[width:] if ln[:width].isspace() else ln for ln in rest.split("\n")]
    return "\n".join(body if rest else body[:1]).strip()


def _clip(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _arxiv(href: str) -> str | None:
    found = parse_arxiv_id(href)
    return found.id if found else None
