"""Issue 3 figures: importing and exporting a big reading list, against floors from the same run.

- Markdown import of 5,000 items in 100 topics / markdown-it tokenizing the same text (the least
  any token-based reader must do)
- importing it again (everything merges, nothing changes) / the same floor
- Markdown export of those 5,000 items / reading them through LibraryRepository.items()
- JSON backup export + exact restore / SQLite's own backup API copying the same database
"""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks import Figure
from readerapp.app import open_services
from readerapp.core.reading_list import markdown_parser
from readerapp.storage.backup import export_backup
from readerapp.storage.exporter import export_text
from readerapp.storage.importer import import_file, import_markdown
from readerapp.storage.library import LibraryRepository

ITEMS, TOPICS = 5000, 100


def _reading_list() -> str:
    out = ["# Big list\n"]
    per_topic = ITEMS // TOPICS
    n = 0
    for t in range(TOPICS):
        out.append(f"## Topic {t}\n")
        if t % 10 == 0:
            out.append(f"{t // 10 + 1}) Sub {t}\n")
        for _ in range(per_topic):
            n += 1
            if n % 2:
                yymm, num = 1501 + n % 12, 10000 + n
                link = f"https://arxiv.org/abs/{yymm}.{num}v{1 + n % 3}"
            else:
                link = f"https://blog{n % 50}.example.org/posts/item-{n}?utm_source=x"
            out.append(f"- [Paper number {n} on attention]({link}) by Ada Lovelace and Alan Turing")
            if n % 5 == 0:
                out.append(f"  - a note with a [link](https://example.org/{n}) and *emphasis*")
        out.append("")
    return "\n".join(out) + "\n"


def _best(func, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return min(times)


def run() -> list[Figure]:
    text = _reading_list()
    md = markdown_parser()
    floor = statistics.median(_best(lambda: md.parse(text)) for _ in range(3))
    with tempfile.TemporaryDirectory() as tmp:
        services = open_services(str(Path(tmp) / "lib"), seed=False)
        t0 = time.perf_counter()
        report = import_markdown(services.db, text, "big.md")
        first = time.perf_counter() - t0
        assert report.items_created == ITEMS, report.summary()
        again = _best(lambda: import_markdown(services.db, text, "big.md"), repeat=1)
        library = LibraryRepository(services.db)
        read_floor = _best(lambda: [library.items(t.id) for t in library.topics()])
        export = _best(lambda: export_text(services.db, "md"))

        backup_path = Path(tmp) / "b.json"

        def backup_and_restore() -> None:
            backup_path.write_text(export_backup(services.db), encoding="utf-8")
            target = open_services(str(Path(tmp) / f"restore-{time.perf_counter_ns()}"), seed=False)
            import_file(target.db, backup_path)
            target.close()

        def sqlite_copy() -> None:
            dest = sqlite3.connect(Path(tmp) / f"copy-{time.perf_counter_ns()}.sqlite3")
            services.db.conn.backup(dest)
            dest.close()

        backup = _best(backup_and_restore, repeat=2)
        copy = _best(sqlite_copy)
        services.close()
    return [
        Figure("md import 5,000 items / markdown-it tokenizing", first / floor, 30),
        Figure("md re-import (all merged) / markdown-it tokenizing", again / floor, 30),
        Figure("md export 5,000 items / reading them", export / read_floor, 10),
        Figure("json backup + exact restore / sqlite backup API copy", backup / copy, 100),
        Figure("md import 5,000 items", first * 1000, 5000, "ms"),
    ]


if __name__ == "__main__":
    for figure in run():
        print(figure.line())
