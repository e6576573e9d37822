"""What kind of publication a venue names, for citations: a journal, a conference, or neither.

"NeurIPS 2017" and "Proceedings of ACL" are conferences (BibTeX ``@inproceedings`` with
``booktitle``), "Nature" and "Transactions on Machine Learning Research" journals (``@article``
with ``journal``); a submission or preprint is published nowhere yet (``@misc``).
"""

from __future__ import annotations

import re
from typing import Literal

EntryType = Literal["article", "inproceedings", "misc"]

_NOT_YET = re.compile(r"\b(submi(?:tted|ssion)|under review|preprint|in preparation)\b", re.I)
_JOURNAL = re.compile(
    r"\b(journal|transactions|letters|magazine|review|annals|nature|science|jmlr|tmlr|pnas|"
    r"distill|plos|elife|cell|neural computation|machine learning)\b|^j\.\s",
    re.IGNORECASE,
)


def venue_entry_type(venue: str) -> EntryType:
    """The BibTeX entry type for a paper published at ``venue`` (empty: ``misc``)."""
    venue = venue.strip()
    if not venue or _NOT_YET.search(venue):
        return "misc"
    if _JOURNAL.search(venue) and not re.search(
        r"\b(conference|workshop|symposium)\b", venue, re.I
    ):
        return "article"
    return "inproceedings"
