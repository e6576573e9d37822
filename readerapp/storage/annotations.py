"""The annotations repository: every highlight and note is one row, committed when it is made."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from readerapp.core.annotation import (
    DEFAULT_PALETTE,
    Annotation,
    AnnotationKind,
    PaletteColor,
    Rect,
    in_reading_order,
    normalize_color,
)
from readerapp.storage.db import Database
from readerapp.storage.library import now_iso

PALETTE_STATE_KEY = "annotations.palette"
_COLUMNS = (
    "id, item_id, kind, page, color, quote, comment, quads, prefix, suffix, detached, source, "
    "external_key, author, extra, created, modified, revision"
)
# Where re-anchoring put an annotation: (id, page, rects, detached, prefix, suffix, extra).
Place = tuple[int, int, list[Rect], bool, str, str, dict[str, Any]]
EDITABLE_FIELDS = frozenset(
    {"kind", "page", "color", "quote", "comment", "rects", "prefix", "suffix", "detached", "extra"}
)


class AnnotationRepository:
    """CRUD over ``annotations``. Each call is one transaction (or joins the caller's)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    # ---- reading ------------------------------------------------------------------------------
    def get(self, annotation_id: int) -> Annotation | None:
        row = self.conn.execute(
            f"SELECT {_COLUMNS} FROM annotations WHERE id = ?", (annotation_id,)
        ).fetchone()
        return _decode(row) if row else None

    def for_item(self, item_id: int) -> list[Annotation]:
        """The item's annotations in reading order (page, top to bottom, left to right)."""
        rows = self.conn.execute(
            f"SELECT {_COLUMNS} FROM annotations WHERE item_id = ?", (item_id,)
        ).fetchall()
        return in_reading_order(_decode(r) for r in rows)

    def count(self, item_id: int) -> int:
        row = self.conn.execute(
            "SELECT count(*) FROM annotations WHERE item_id = ?", (item_id,)
        ).fetchone()
        return int(row[0])

    # ---- writing ------------------------------------------------------------------------------
    def add(self, annotation: Annotation) -> Annotation:
        """Insert; an ``id`` above 0 is kept (undo of a delete puts back the same id)."""
        return self.add_many([annotation])[0]

    def add_many(self, annotations: Iterable[Annotation]) -> list[Annotation]:
        added = []
        stamp = now_iso()
        with self.db.transaction() as conn:
            for ann in annotations:
                values = _encode(ann)
                values["created"] = ann.created or stamp
                values["modified"] = ann.modified or stamp
                if ann.id > 0:
                    values["id"] = ann.id
                cols = ", ".join(values)
                cur = conn.execute(
                    f"INSERT INTO annotations({cols}) VALUES ({', '.join('?' * len(values))})",
                    list(values.values()),
                )
                added.append(
                    ann.copy(
                        id=int(cur.lastrowid or ann.id),
                        created=values["created"],
                        modified=values["modified"],
                    )
                )
                if ann.external_key:
                    conn.execute(
                        "INSERT OR IGNORE INTO annotation_imports(item_id, external_key) "
                        "VALUES (?, ?)",
                        (ann.item_id, ann.external_key),
                    )
        return added

    def update(self, annotation_id: int, **fields: Any) -> Annotation:
        """Change some fields; returns the annotation as now stored."""
        unknown = set(fields) - EDITABLE_FIELDS
        if unknown:
            raise ValueError(f"unknown annotation fields: {sorted(unknown)}")
        if "color" in fields:
            color = normalize_color(str(fields["color"]))
            if color is None:
                raise ValueError(f"not a colour: {fields['color']!r}")
            fields["color"] = color
        values = _encode_fields(fields)
        with self.db.transaction() as conn:
            if values:
                assignments = ", ".join(f"{c} = ?" for c in values)
                conn.execute(
                    f"UPDATE annotations SET {assignments}, modified = ? WHERE id = ?",
                    (*values.values(), now_iso(), annotation_id),
                )
            ann = self.get(annotation_id)
        if ann is None:
            raise KeyError(annotation_id)
        return ann

    def update_places(self, places: Sequence[Place]) -> None:
        """Re-anchoring's result in one transaction: (id, page, rects, detached, prefix, suffix,
        extra)."""
        stamp = now_iso()
        with self.db.transaction() as conn:
            conn.executemany(
                "UPDATE annotations SET page = ?, quads = ?, detached = ?, prefix = ?, suffix = ?, "
                "extra = ?, modified = ? WHERE id = ?",
                [
                    (
                        page,
                        json.dumps(rects),
                        int(detached),
                        prefix,
                        suffix,
                        json.dumps(extra, ensure_ascii=False),
                        stamp,
                        ann_id,
                    )
                    for ann_id, page, rects, detached, prefix, suffix, extra in places
                ],
            )

    def set_extras(self, extras: dict[int, dict[str, Any]]) -> None:
        """Store facts derived from the PDF (not edits: ``modified`` stays) in one transaction."""
        with self.db.transaction() as conn:
            conn.executemany(
                "UPDATE annotations SET extra = ? WHERE id = ?",
                [(json.dumps(extra, ensure_ascii=False), i) for i, extra in extras.items()],
            )

    def delete(self, annotation_id: int) -> Annotation | None:
        """A real DELETE; returns the row as it was, which :meth:`add` puts back unchanged."""
        with self.db.transaction() as conn:
            ann = self.get(annotation_id)
            conn.execute("DELETE FROM annotations WHERE id = ?", (annotation_id,))
        return ann

    # ---- imports from PDF files ---------------------------------------------------------------
    def imported_keys(self, item_id: int) -> set[str]:
        rows = self.conn.execute(
            "SELECT external_key FROM annotation_imports WHERE item_id = ?", (item_id,)
        )
        return {r[0] for r in rows}

    # ---- colour meanings ----------------------------------------------------------------------
    def palette(self) -> list[PaletteColor]:
        """The highlight colours with the user's names for them."""
        row = self.conn.execute(
            "SELECT value FROM state WHERE key = ?", (PALETTE_STATE_KEY,)
        ).fetchone()
        names: dict[str, str] = {}
        if row:
            try:
                loaded = json.loads(row[0])
                names = (
                    {str(k): str(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}
                )
            except ValueError:
                names = {}  # a damaged value falls back to the defaults, never an error
        return [
            PaletteColor(p.color, names.get(p.color, p.meaning), p.shortcut)
            for p in DEFAULT_PALETTE
        ]

    def meaning(self, color: str) -> str:
        """The name of a colour's meaning, or the colour itself for one outside the palette."""
        for p in self.palette():
            if p.color == color:
                return p.meaning
        return color

    def set_meaning(self, color: str, meaning: str) -> None:
        meaning = " ".join(meaning.split())
        if not meaning:
            raise ValueError("A colour's meaning needs a name.")
        current = {p.color: p.meaning for p in self.palette()}
        if color not in current:
            raise ValueError(f"{color} is not one of the highlight colours.")
        current[color] = meaning
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO state(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (PALETTE_STATE_KEY, json.dumps(current, ensure_ascii=False)),
            )


def _encode(ann: Annotation) -> dict[str, Any]:
    return {
        "item_id": ann.item_id,
        "kind": str(ann.kind),
        "page": int(ann.page),
        "color": ann.color,
        "quote": ann.quote,
        "comment": ann.comment,
        "quads": json.dumps([list(r) for r in ann.rects]),
        "prefix": ann.prefix,
        "suffix": ann.suffix,
        "detached": int(ann.detached),
        "source": ann.source,
        "external_key": ann.external_key,
        "author": ann.author,
        "extra": json.dumps(ann.extra, ensure_ascii=False),
    }


def _encode_fields(fields: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if key == "rects":
            out["quads"] = json.dumps([list(r) for r in value])
        elif key == "extra":
            out["extra"] = json.dumps(value, ensure_ascii=False)
        elif key == "detached":
            out["detached"] = int(bool(value))
        elif key == "kind":
            out["kind"] = str(value)
        else:
            out[key] = value
    return out


def _decode(row: Sequence[Any]) -> Annotation:
    (
        ann_id,
        item_id,
        kind,
        page,
        color,
        quote,
        comment,
        quads,
        prefix,
        suffix,
        detached,
        source,
        external_key,
        author,
        extra,
        created,
        modified,
        revision,
    ) = row
    try:
        kind_value = AnnotationKind(kind)
    except ValueError:
        kind_value = AnnotationKind.HIGHLIGHT
    return Annotation(
        id=ann_id,
        item_id=item_id,
        kind=kind_value,
        page=page,
        color=color,
        quote=quote,
        comment=comment,
        rects=[tuple(r) for r in json.loads(quads)],
        prefix=prefix,
        suffix=suffix,
        detached=bool(detached),
        source=source,
        external_key=external_key,
        author=author,
        created=created,
        modified=modified,
        extra=json.loads(extra),
        revision=revision,
    )
