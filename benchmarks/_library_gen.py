"""A generated library for benchmarks: N items spread over T topics (plain SQL, fast)."""

from __future__ import annotations

import json
import random
from pathlib import Path

from readerapp.app import open_services

WORDS = [
    "attention",
    "transformer",
    "scaling",
    "alignment",
    "reward",
    "model",
    "language",
    "induction",
    "heads",
    "circuits",
    "interpretability",
    "sparse",
    "autoencoder",
    "world",
    "model",
    "planning",
    "reasoning",
    "chain",
    "thought",
    "emergent",
    "abilities",
    "mirage",
    "hallucination",
    "retrieval",
    "augmented",
    "generation",
    "diffusion",
    "video",
    "prediction",
]
NAMES = [
    "Olsson",
    "Elhage",
    "Nanda",
    "Kaplan",
    "Vaswani",
    "Ha",
    "Hafner",
    "Schaeffer",
    "Sharkey",
    "Olah",
    "Amodei",
    "Brown",
]


def generate_library(home: Path, items: int = 10_000, topics: int = 200, seed: int = 1) -> Path:
    """Create (once) a library of ``items`` items in ``topics`` topics under ``home``."""
    marker = home / f".generated-{items}-{topics}"
    if marker.exists():
        return home
    rng = random.Random(seed)
    services = open_services(str(home), seed=False)
    lib = services.library
    with services.db.transaction() as conn:
        parents = [lib.create_topic(f"Area {i:02d}").id for i in range(topics // 10)]
        topic_ids = list(parents)
        while len(topic_ids) < topics:
            parent = rng.choice(parents)
            topic_ids.append(lib.create_topic(f"Topic {len(topic_ids):03d}", parent).id)
        rows = []
        for i in range(items):
            title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 10))).capitalize()
            authors = json.dumps([rng.choice(NAMES) for _ in range(rng.randint(1, 6))])
            rows.append(
                (
                    i + 1,
                    "paper",
                    f"{title} {i}",
                    authors,
                    rng.randint(2015, 2026),
                    ["to-read", "reading", "read"][i % 3],
                    f"{2000 + i // 1000:04d}.{i % 100000:05d}",
                    f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T10:00:00Z",
                )
            )
        conn.executemany(
            "INSERT INTO items(id, kind, title, authors, year, status, arxiv_id, added) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.executemany(
            "INSERT OR IGNORE INTO item_topics(item_id, topic_id) VALUES (?, ?)",
            [(i + 1, rng.choice(topic_ids)) for i in range(items)]
            + [(rng.randint(1, items), rng.choice(topic_ids)) for _ in range(items // 5)],
        )
    services.close()
    marker.write_text("ok")
    return home
