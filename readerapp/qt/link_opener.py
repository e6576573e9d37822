"""The GUI's one way to follow a link: :func:`readerapp.core.link_policy.decide_link` decides,
this carries it out. Every click lands here (PDF links, items, notes previews, feed entries).

``system_open`` is the seam to the desktop (``QDesktopServices.openUrl``); tests put a recorder
there. ``show_arxiv`` lets the window show an arXiv paper the library holds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QUrl, Signal

from readerapp.core.link_policy import LinkDecision, LinkRoute, decide_link

log = logging.getLogger(__name__)


def _desktop_open(url: QUrl) -> bool:
    from PySide6.QtGui import QDesktopServices

    return QDesktopServices.openUrl(url)


class LinkOpener(QObject):
    """Follows links by the link policy; ``message`` carries the sentence for the status bar."""

    message = Signal(str)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        system_open: Callable[[QUrl], bool] = _desktop_open,
        show_arxiv: Callable[[str], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.system_open = system_open
        self.show_arxiv = show_arxiv

    def open(self, url: str) -> LinkDecision:
        """Follow ``url``; returns the decision taken (tests and callers may look)."""
        decision = decide_link(url)
        if decision.route is LinkRoute.REFUSED:
            log.info("Refused to open a link: %r", url[:200])
            self.message.emit(decision.sentence)
            return decision
        arxiv = decision.route is LinkRoute.ARXIV and self.show_arxiv is not None
        if arxiv and self.show_arxiv(decision.arxiv_id):  # type: ignore[misc]
            return decision
        # strict mode: an address QUrl cannot read exactly is not guessed at
        target = QUrl(decision.url, QUrl.ParsingMode.StrictMode)
        if not target.isValid() or not self.system_open(target):
            self.message.emit(f"Could not open {decision.url}: no web browser answered.")
        return decision
