"""Catching the URLs the app hands to the desktop, through Qt's own URL-handler hook, so no test
starts a browser or a file manager."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices


class UrlCatcher(QObject):
    """Receives the URLs QDesktopServices.openUrl was asked to open."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url.toString())


@contextmanager
def caught_urls(*schemes: str) -> Iterator[UrlCatcher]:
    """While inside, URLs of ``schemes`` go to the returned catcher instead of the desktop."""
    catcher = UrlCatcher()
    for scheme in schemes:
        QDesktopServices.setUrlHandler(scheme, catcher, "open")
    try:
        yield catcher
    finally:
        for scheme in schemes:
            QDesktopServices.unsetUrlHandler(scheme)
