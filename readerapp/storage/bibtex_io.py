"""BibTeX export and import through bibtexparser 1.4.

Export: a paper whose venue is known is an ``@inproceedings`` (``booktitle``) or an ``@article``
(``journal``), see ``core.venues``; everything else is ``@misc``. arXiv papers carry ``eprint``, ``archivePrefix``, ``primaryClass``, ``doi`` and ``url`` the
way arXiv's own BibTeX does; citation keys are stable (first author, year, first title word, a
letter when two collide, given out in item order); LaTeX specials and non-ASCII letters are
escaped. Notes travel in ``annote`` and topic paths in ``readerapp-topics``, so an export imports
back into the same library shape. Import recognises arXiv ids in eprint, url, doi and journal.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from typing import Any

import bibtexparser
from bibtexparser.bibdatabase import BibDatabase
from bibtexparser.bparser import BibTexParser
from bibtexparser.bwriter import BibTexWriter
from bibtexparser.latexenc import latex_to_unicode, unicode_to_latex_map

from readerapp.core.arxiv_ids import ArxivId, parse_arxiv_id
from readerapp.core.errors import BadInputError
from readerapp.core.links import kind_for_url
from readerapp.core.models import Item, ItemKind, Topic
from readerapp.core.reading_list import Problem
from readerapp.core.venues import venue_entry_type
from readerapp.storage.db import Database
from readerapp.storage.importer import (
    ImportReport,
    fill_counts,
    mark_for_metadata,
    new_topic_mapper,
)
from readerapp.storage.library import LibraryRepository
from readerapp.storage.merge import ItemMerger

log = logging.getLogger(__name__)

TOPICS_FIELD = "readerapp-topics"
_ASCII_SPECIALS = {
    "\\": "{\\textbackslash}",
    "&": "\\&",
    "%": "\\%",
    "$": "\\$",
    "#": "\\#",
    "_": "\\_",
    # Braces as commands, not \{ and \}: BibTeX parsers count those too, so a title with one
    # brace ("Loss } tricks") made the entry unreadable, or swallowed the fields after it.
    "{": "{\\textbraceleft}",
    "}": "{\\textbraceright}",
    "~": "{\\textasciitilde}",
    "^": "{\\textasciicircum}",
}
_STOP_WORDS = {"a", "an", "the", "on", "of", "in", "for", "to", "and", "is", "are", "with", "from"}
_ASCII_FOLD = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "đ": "d"}
)
_PAPER_TYPES = {
    "article",
    "inproceedings",
    "conference",
    "incollection",
    "phdthesis",
    "mastersthesis",
    "techreport",
    "book",
    "inbook",
    "proceedings",
    "unpublished",
}


# ---- LaTeX escaping -------------------------------------------------------------------------------


def latex_escape(text: str) -> str:
    """``text`` as BibTeX field content: specials escaped, accented letters as LaTeX commands."""
    out: list[str] = []
    for ch in text:
        if ch in _ASCII_SPECIALS:
            out.append(_ASCII_SPECIALS[ch])
        elif ord(ch) < 128:
            out.append(ch)
        else:
            latex = (unicode_to_latex_map.get(ch) or "").strip()
            if not latex or "cyrchar" in latex or "mbox" in latex or "ensuremath" in latex:
                out.append(ch)  # no plain LaTeX form: UTF-8 is what biber and bibtexparser read
            elif latex.startswith("{"):
                out.append(latex)
            else:
                out.append("{" + latex + "}")  # braces end the command: "{\textemdash}x"
    return "".join(out)


def latex_unescape(text: str) -> str:
    """The inverse of :func:`latex_escape`, and the common LaTeX accents of other tools' files."""
    marks: dict[str, str] = {}
    # The braces' escapes are matched before the braces' commands' own braces are taken away;
    # \{ and \} are what other tools (and earlier versions of readerapp) write.
    escapes = [*_ASCII_SPECIALS.items(), ("{", "\\{"), ("}", "\\}")]
    for index, (plain, escaped) in enumerate(escapes):
        mark = chr(0xE000 + index)
        marks[mark] = plain
        text = text.replace(escaped, mark)
        if escaped.startswith("{"):  # other tools write \textbackslash{} or a bare command
            text = text.replace(escaped[1:-1] + "{}", mark)
    if "\\" in text:
        text = latex_to_unicode(text)
    text = text.replace("{", "").replace("}", "")
    # {\'\i} decodes to a dotless i with an accent: write the accented i a reader expects.
    text = unicodedata.normalize("NFC", re.sub("ı(?=[\u0300-\u036f])", "i", text))
    for mark, plain in marks.items():
        text = text.replace(mark, plain)
    return text


# ---- export ---------------------------------------------------------------------------------------


def export_bibtex(library: LibraryRepository, topic: Topic | None = None) -> str:
    """The library (or a topic's subtree) as BibTeX."""
    if topic is None:
        items = library.items()
    else:
        seen: dict[int, Item] = {}
        for tid in library.subtree_ids(topic.id):
            for item in library.items(tid):
                seen.setdefault(item.id, item)
        items = sorted(seen.values(), key=lambda i: i.id)
    return _write(library, items, citation_keys(items))


def bibtex_entries(library: LibraryRepository, item_ids: list[int]) -> str:
    """Some items as BibTeX, keyed as an export of the whole library keys them."""
    keys = citation_keys(library.items())
    items = [item for i in item_ids if (item := library.item(i)) is not None]
    return _write(library, items, keys)


def _write(library: LibraryRepository, items: list[Item], keys: dict[int, str]) -> str:
    paths = library.topic_paths()
    database = BibDatabase()
    database.entries = [
        _entry(item, keys[item.id], library.item_topic_paths(item.id, paths)) for item in items
    ]
    writer = BibTexWriter()
    writer.indent = "  "
    writer.order_entries_by = None  # item order: keys and entries stay put between exports
    writer.display_order = [
        "title",
        "author",
        "year",
        "booktitle",
        "journal",
        "eprint",
        "archivePrefix",
        "primaryClass",
    ]
    text: str = writer.write(database)
    return text


def citation_keys(items: list[Item]) -> dict[int, str]:
    """Stable keys like ``vaswani2017attention``; collisions get a, b, ... in item-id order."""
    bases: dict[int, str] = {}
    for item in sorted(items, key=lambda i: i.id):
        surname = _ascii(_surname(item.authors[0])) if item.authors else ""
        words = [w for w in re.findall(r"[a-z0-9]+", _ascii(item.title)) if w not in _STOP_WORDS]
        year = str(item.year) if item.year else ""
        base = f"{surname}{year}{words[0] if words else ''}" or f"item{item.id}"
        bases[item.id] = base
    keys: dict[int, str] = {}
    used: dict[str, int] = {}
    for item_id, base in bases.items():
        count = used.get(base, 0)
        used[base] = count + 1
        keys[item_id] = base if count == 0 else f"{base}{_letters(count)}"
    return keys


def _letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(97 + rem) + out
    return out


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.translate(_ASCII_FOLD))
    return re.sub(r"[^a-z0-9 ]", "", folded.encode("ascii", "ignore").decode().lower())


def _surname(name: str) -> str:
    if "," in name:
        return name.split(",", 1)[0].replace(" ", "")
    return name.split()[-1] if name.split() else ""


# Where each entry type keeps its venue.
_VENUE_FIELD = {"inproceedings": "booktitle", "article": "journal", "misc": "howpublished"}


def _entry(item: Item, key: str, topic_paths: list[str]) -> dict[str, str]:
    # A paper with a known venue is cited as published there (an arXiv one keeps its eprint
    # fields too); posts, threads and papers published nowhere yet are @misc.
    paper = item.kind == ItemKind.PAPER
    entry_type = venue_entry_type(item.venue) if paper else "misc"
    entry: dict[str, str] = {"ENTRYTYPE": entry_type, "ID": key}
    entry["title"] = "{" + latex_escape(item.title) + "}"  # inner braces keep its capitals
    if item.authors:
        entry["author"] = " and ".join(latex_escape(a) for a in item.authors)
    if item.year:
        entry["year"] = str(item.year)
    if item.arxiv_id:
        entry["eprint"] = item.arxiv_id + (f"v{item.version}" if item.version else "")
        entry["archivePrefix"] = "arXiv"
        if item.primary_category:
            entry["primaryClass"] = item.primary_category
    if item.doi:
        entry["doi"] = item.doi
    url = item.url or (f"https://arxiv.org/abs/{item.arxiv_id}" if item.arxiv_id else "")
    if url:
        entry["url"] = url
    if item.venue:
        entry[_VENUE_FIELD[entry_type]] = latex_escape(item.venue)
    if item.journal_ref and item.journal_ref != item.venue:
        # arXiv's free-text reference; an @article's journal is its venue already.
        entry["note" if entry_type == "article" else "journal"] = latex_escape(item.journal_ref)
    if item.abstract:
        entry["abstract"] = latex_escape(item.abstract)
    if item.notes:
        entry["annote"] = latex_escape(item.notes)
    if topic_paths:
        entry[TOPICS_FIELD] = latex_escape("; ".join(topic_paths))
    return entry


# ---- import ---------------------------------------------------------------------------------------

_ENTRY_START = re.compile(
    r"^[ \t]*@[ \t]*(?P<type>[A-Za-z]+)[ \t]*[{(][ \t]*(?P<key>[^,\s]*)", re.M
)


def import_bibtex(db: Database, text: str, source: str = "BibTeX") -> ImportReport:
    """Import BibTeX entries (merging as every import does); unreadable entries are reported."""
    declared = [
        m
        for m in _ENTRY_START.finditer(text)
        if m["type"].lower() not in ("comment", "string", "preamble")
    ]
    if not declared:
        raise BadInputError(f"{source} has no BibTeX entries (@article{{...}}, @misc{{...}}).")
    parser = BibTexParser(common_strings=True, interpolate_strings=True)
    parser.ignore_nonstandard_types = False
    parser.homogenise_fields = False
    try:
        entries = bibtexparser.loads(text, parser=parser).entries
    except Exception as exc:  # bibtexparser raises assorted pyparsing errors on broken input
        log.info("bibtexparser refused %s", source, exc_info=True)
        raise BadInputError(
            f"{source} could not be read as BibTeX ({exc}); nothing was imported."
        ) from exc
    report = ImportReport(source=source, kind="BibTeX")
    read_keys = {e.get("ID", "") for e in entries}
    for m in declared:
        if m["key"] not in read_keys:
            line = text.count("\n", 0, m.start()) + 1
            report.problems.append(
                Problem(line, f"entry @{m['type']}{{{m['key']}", "could not be read; skipped")
            )
    library = LibraryRepository(db)
    with db.transaction():
        topics = new_topic_mapper(library, source)
        merger = ItemMerger(library, source)
        new_papers: list[int] = []
        for raw in entries:
            fields = _fields(raw)
            if fields is None:
                report.problems.append(
                    Problem(None, f"entry {raw.get('ID', '?')}", "has no title or link; skipped")
                )
                continue
            paths = [
                tuple(p for p in path.split("/") if p.strip())
                for path in latex_unescape(raw.get(TOPICS_FIELD, "")).split(";")
                if path.strip()
            ]
            topic_ids = [topics.ensure(tuple(n.strip() for n in p)) for p in paths]
            item_id, outcome = merger.upsert(fields, topic_ids)
            if outcome == "created" and fields.get("arxiv_id"):
                new_papers.append(item_id)
            if outcome == "created" and not topic_ids:
                report.unfiled += 1
        mark_for_metadata(db, new_papers)
        fill_counts(report, topics, merger)
    return report


def _fields(raw: dict[str, str]) -> dict[str, Any] | None:
    def get(name: str) -> str:
        return " ".join(latex_unescape(raw.get(name, "")).split())

    arxiv = _arxiv_of(raw)
    url = raw.get("url", "").strip()
    title = get("title")
    if not title and not url and not arxiv:
        return None
    entry_type = raw.get("ENTRYTYPE", "misc").lower()
    if arxiv or entry_type in _PAPER_TYPES:
        kind = ItemKind.PAPER
    elif url:
        kind = kind_for_url(url)
    else:
        kind = ItemKind.PAPER
    year_match = re.search(r"\d{4}", raw.get("year", ""))
    fields: dict[str, Any] = {
        "title": title or (f"arXiv:{arxiv.id}" if arxiv else url),
        "kind": kind,
        "authors": [_natural_name(a) for a in re.split(r"\s+and\s+", get("author")) if a.strip()],
        "year": int(year_match.group()) if year_match else None,
        "venue": get("booktitle") or get("howpublished") or "",
        "url": url or (f"https://arxiv.org/abs/{arxiv.id}" if arxiv else ""),
        "doi": raw.get("doi", "").strip(),
        "journal_ref": "",
        "abstract": latex_unescape(raw.get("abstract", "")).strip(),
        "notes": latex_unescape(raw.get("annote", "")).strip(),
        "primary_category": raw.get("primaryclass", "").strip(),
    }
    journal = get("journal")
    if "arxiv" in journal.lower() and arxiv:  # "arXiv preprint arXiv:…" is no journal
        journal = ""
    if entry_type == "article" and not fields["venue"]:
        fields["venue"] = journal  # an @article's journal is where it was published
    else:
        fields["journal_ref"] = journal
    if fields["venue"].startswith("\\url") or "://" in fields["venue"]:
        fields["venue"] = ""
    if arxiv:
        fields["arxiv_id"], fields["version"] = arxiv.id, arxiv.version
    return fields


def _arxiv_of(raw: dict[str, str]) -> ArxivId | None:
    prefix = (raw.get("archiveprefix") or raw.get("eprinttype") or "").lower()
    eprint = raw.get("eprint", "").strip()
    if eprint and prefix in ("", "arxiv"):
        found = parse_arxiv_id(eprint)
        if found:
            return found
    for name in ("url", "doi", "journal", "note", "howpublished"):
        value = raw.get(name, "")
        found = parse_arxiv_id(value.strip())
        if found:
            return found
        m = re.search(r"arxiv[.:/]\s*([\w.\-/]+?\d(?:v\d+)?)(?=[\s},]|$)", value, re.IGNORECASE)
        if m and parse_arxiv_id(m.group(1)):
            return parse_arxiv_id(m.group(1))
    return None


def _natural_name(name: str) -> str:
    """ "Vaswani, Ashish" -> "Ashish Vaswani"; names already in order stay as they are."""
    name = " ".join(name.split())
    if "," in name:
        last, _, first = name.partition(",")
        return f"{first.strip()} {last.strip()}".strip()
    return name
