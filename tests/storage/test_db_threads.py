"""Worker threads share the GUI's connection: their transactions never interleave."""

from __future__ import annotations

import threading
from pathlib import Path

from readerapp.storage.db import Database
from readerapp.storage.library import LibraryRepository


def test_transactions_from_several_threads_stay_whole(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "lib.sqlite3")
    lib = LibraryRepository(db)
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def writer(n: int) -> None:
        try:
            start.wait()
            for i in range(50):
                with db.transaction():
                    topic = lib.create_topic(f"T{n}-{i}")
                    lib.add_item(f"item {n}-{i}", [topic.id])
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(lib.topics()) == 200
    assert all(count == 1 for tid, count in lib.topic_counts().items() if tid > 0)
