"""The starter library: the first launch shows a reading list, not an empty window."""

from __future__ import annotations

import json

from readerapp.resource_files import resource_path
from readerapp.storage.files import FileStore
from readerapp.storage.library import STARTER_SKIPPED, STARTER_STATE_KEY, LibraryRepository


def load_starter_library(library: LibraryRepository, files: FileStore) -> bool:
    """Fill a brand-new library once; returns False if it was already seeded or not empty."""
    if library.get_state(STARTER_STATE_KEY):
        return False
    if not library.is_empty():
        # A library with content never gets the starter list; said once, so that later
        # launches need not look again (nor load this module).
        library.set_state(STARTER_STATE_KEY, STARTER_SKIPPED)
        return False
    data = json.loads(resource_path("starter.json").read_text(encoding="utf-8"))
    with library.db.transaction():
        for entry in data["topics"]:
            topic = library.ensure_topic(entry["path"])
            for spec in entry["items"]:
                spec = dict(spec)
                pdf = spec.pop("pdf", None)
                item = library.add_item(spec.pop("title"), [topic.id], **spec)
                if pdf:
                    relative = files.name_for(
                        item_id=item.id, arxiv_id=None, version=None, title=item.title
                    )
                    files.store_copy(resource_path(pdf), relative)
                    library.update_item(item.id, pdf_path=relative)
        library.set_state(STARTER_STATE_KEY, "1")
    return True
