"""OPML 2.0 subscription lists, as other feed readers write and read them.

Folders (outlines without ``xmlUrl``) become the topic path of the feeds inside them. A feed's own
topic also travels in its outline's ``category`` attribute, as OPML 2.0 defines it (comma-separated
slash-delimited paths, ``category="/Research focus/Interpretability"``), so it survives readers that
flatten folders. Documents that declare entities are refused before parsing (XML entity expansion
attacks).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

from readerapp.core.errors import BadInputError
from readerapp.core.xml_safety import declares_entities


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    url: str
    title: str = ""
    folder: str = ""  # "Research focus/Interpretability", or "" at the top level
    topic: str = ""  # the topic path its ``category`` names ("" when it names none)


# Between two categories: a comma right before the next one's leading slash. Topic names cannot
# hold "/", so a comma inside a name is never followed by one.
_CATEGORY_SPLIT = re.compile(r",\s*(?=/)")


def category_topic(category: str) -> str:
    """The first slash-delimited path of an OPML ``category`` as a topic path; tags (no slash)
    name no topic."""
    for part in _CATEGORY_SPLIT.split(category.strip()):
        if part.startswith("/"):
            names = [name.strip() for name in part.split("/") if name.strip()]
            if names:
                return "/".join(names)
    return ""


def topic_category(topic_path: str) -> str:
    """A topic path as an OPML ``category``: ``Research focus/Interp`` -> ``/Research focus/Interp``."""
    return "/" + topic_path if topic_path else ""


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """The feeds in an OPML document; BadInputError (a sentence) when it is not one."""
    if declares_entities(data):
        raise BadInputError("The OPML file declares XML entities; readerapp does not read those.")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise BadInputError(f"This is not a readable OPML file ({exc}).") from exc
    if root.tag.lower() != "opml":
        raise BadInputError("This is not an OPML file (its root element is not <opml>).")
    body = root.find("body")
    if body is None:
        raise BadInputError("The OPML file has no <body>, so it lists no feeds.")
    found: list[OpmlFeed] = []

    def walk(node: ET.Element, folder: list[str]) -> None:
        for outline in node.findall("outline"):
            url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
            title = (outline.get("title") or outline.get("text") or "").strip()
            if url:
                topic = category_topic(outline.get("category") or "")
                found.append(OpmlFeed(url, title, "/".join(folder), topic))
            else:
                name = title.replace("/", "-")
                walk(outline, [*folder, name] if name else folder)

    walk(body, [])
    return found


def build_opml(feeds: Iterable[OpmlFeed], title: str = "readerapp subscriptions") -> str:
    """An OPML 2.0 document, feeds grouped into folders by topic path."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC))
    body = ET.SubElement(root, "body")
    folders: dict[str, ET.Element] = {"": body}

    def folder(path: str) -> ET.Element:
        if path not in folders:
            parent, _, name = path.rpartition("/")
            folders[path] = ET.SubElement(folder(parent), "outline", text=name, title=name)
        return folders[path]

    for feed in sorted(feeds, key=lambda f: (f.folder.lower(), f.title.lower())):
        attributes = {
            "type": "rss",
            "text": feed.title or feed.url,
            "title": feed.title or feed.url,
        }
        attributes["xmlUrl"] = feed.url
        if category := topic_category(feed.topic):
            attributes["category"] = category
        ET.SubElement(folder(feed.folder), "outline", attributes)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
