"""Storage for arXiv bookkeeping: version history and work waiting for the network."""

from __future__ import annotations

from dataclasses import dataclass

from readerapp.storage.db import Database
from readerapp.storage.library import now_iso


@dataclass(frozen=True, slots=True)
class PendingFetch:
    """An item whose metadata and/or PDF still has to be fetched."""

    item_id: int
    arxiv_id: str | None
    url: str
    need_metadata: bool
    need_pdf: bool
    attempts: int
    last_error: str | None
    last_attempt: str | None = None  # ISO time of the last failed try


@dataclass(frozen=True, slots=True)
class VersionRecord:
    """A version an item held before it was updated; its PDF stays on disk."""

    item_id: int
    version: int
    pdf_path: str | None
    title: str
    updated: str
    replaced: str


_PENDING_SQL = (
    "SELECT p.item_id, i.arxiv_id, i.url, p.need_metadata, p.need_pdf, p.attempts, p.last_error, "
    "p.last_attempt "
    "FROM fetch_pending p JOIN items i ON i.id = p.item_id WHERE i.trashed IS NULL"
)


class PaperStateRepository:
    """CRUD over ``fetch_pending`` and ``item_versions`` (migration 3)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # ---- pending work -------------------------------------------------------------------------
    def mark_pending(self, item_id: int, *, metadata: bool = False, pdf: bool = False) -> None:
        """Add to what ``item_id`` waits for (flags only ever turn on here)."""
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO fetch_pending(item_id, need_metadata, need_pdf) VALUES (?, ?, ?) "
                "ON CONFLICT(item_id) DO UPDATE SET "
                "need_metadata = max(need_metadata, excluded.need_metadata), "
                "need_pdf = max(need_pdf, excluded.need_pdf)",
                (item_id, int(metadata), int(pdf)),
            )

    def done(self, item_id: int, *, metadata: bool = False, pdf: bool = False) -> None:
        """Clear what was fetched; the row goes once nothing is left."""
        with self.db.transaction() as conn:
            if metadata:
                conn.execute(
                    "UPDATE fetch_pending SET need_metadata = 0 WHERE item_id = ?", (item_id,)
                )
            if pdf:
                conn.execute("UPDATE fetch_pending SET need_pdf = 0 WHERE item_id = ?", (item_id,))
            conn.execute(
                "UPDATE fetch_pending SET last_error = NULL, attempts = 0 WHERE item_id = ?",
                (item_id,),
            )
            conn.execute(
                "DELETE FROM fetch_pending WHERE item_id = ? AND need_metadata = 0 AND need_pdf = 0",
                (item_id,),
            )

    def failed(self, item_ids: list[int], sentence: str) -> None:
        with self.db.transaction() as conn:
            conn.executemany(
                "UPDATE fetch_pending SET attempts = attempts + 1, last_error = ?, "
                "last_attempt = ? WHERE item_id = ?",
                [(sentence, now_iso(), i) for i in item_ids],
            )

    def missed(self, item_ids: list[int], sentence: str) -> list[int]:
        """Count consecutive answers that lacked these items (``sentence`` marks the streak);
        returns how many in a row each has now, in order."""
        with self.db.transaction() as conn:
            conn.executemany(
                "UPDATE fetch_pending SET attempts = CASE WHEN last_error = ? THEN attempts + 1 "
                "ELSE 1 END, last_error = ?, last_attempt = ? WHERE item_id = ?",
                [(sentence, sentence, now_iso(), i) for i in item_ids],
            )
            return [
                conn.execute(
                    "SELECT attempts FROM fetch_pending WHERE item_id = ?", (i,)
                ).fetchone()[0]
                for i in item_ids
            ]

    def pending(self, item_ids: list[int] | None = None) -> list[PendingFetch]:
        rows = self.db.conn.execute(_PENDING_SQL + " ORDER BY p.item_id").fetchall()
        found = [PendingFetch(r[0], r[1], r[2], bool(r[3]), bool(r[4]), r[5], r[6], r[7]) for r in rows]
        if item_ids is not None:
            wanted = set(item_ids)
            found = [p for p in found if p.item_id in wanted]
        return found

    def pending_for(self, item_id: int) -> PendingFetch | None:
        r = self.db.conn.execute(_PENDING_SQL + " AND p.item_id = ?", (item_id,)).fetchone()
        return PendingFetch(r[0], r[1], r[2], bool(r[3]), bool(r[4]), r[5], r[6], r[7]) if r else None

    # ---- version history ----------------------------------------------------------------------
    def add_version(
        self, item_id: int, version: int, pdf_path: str | None, title: str, updated: str
    ) -> None:
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO item_versions(item_id, version, pdf_path, title, updated) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(item_id, version) DO UPDATE SET "
                "pdf_path = coalesce(excluded.pdf_path, pdf_path), title = excluded.title, "
                "updated = excluded.updated",
                (item_id, version, pdf_path, title, updated),
            )

    def versions(self, item_id: int) -> list[VersionRecord]:
        rows = self.db.conn.execute(
            "SELECT item_id, version, pdf_path, title, updated, replaced FROM item_versions "
            "WHERE item_id = ? ORDER BY version DESC",
            (item_id,),
        )
        return [VersionRecord(*r) for r in rows]

    # ---- lookups the items table does not offer -----------------------------------------------
    def find_any_by_arxiv_id(self, arxiv_id: str) -> tuple[int, bool] | None:
        """(item id, trashed) for an arXiv id, trashed items included (the column is UNIQUE)."""
        row = self.db.conn.execute(
            "SELECT id, trashed IS NOT NULL FROM items WHERE arxiv_id = ?", (arxiv_id,)
        ).fetchone()
        return (row[0], bool(row[1])) if row else None

    def arxiv_items(self) -> list[tuple[int, str, int | None, int | None]]:
        """(item id, arxiv id, version held, latest known) for every arXiv item in the library."""
        rows = self.db.conn.execute(
            "SELECT id, arxiv_id, version, latest_version FROM items "
            "WHERE arxiv_id IS NOT NULL AND trashed IS NULL ORDER BY id"
        )
        return [tuple(r) for r in rows]
