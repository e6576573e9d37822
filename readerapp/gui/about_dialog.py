"""Help -> About: the version (from the package metadata), the licence and the third-party notices."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFontDatabase, QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

import readerapp  # its __version__ is read from the package metadata when About opens
from readerapp import APP_NAME
from readerapp.gui.typed_widgets import named
from readerapp.legal import LICENSE, LICENSE_SUMMARY, NOTICES, legal_text
from readerapp.resource_files import resource_path

if TYPE_CHECKING:
    from readerapp.gui.main_window import MainWindow

LICENSE_URL = "https://www.gnu.org/licenses/agpl-3.0.html"
MISSING = (
    "{name} is missing from this installation. readerapp is licensed under the GNU AGPL "
    "version 3 or later: " + LICENSE_URL
)


class AboutDialog(QDialog):
    """Three tabs: About (version, summary), License (AGPL text), Third-party notices."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(f"About {APP_NAME}")
        self.resize(720, 560)

        self.tabs = named(QTabWidget(), "aboutTabs")
        self.tabs.addTab(self._summary(), "About")
        self.license_view = named(QPlainTextEdit(readOnly=True), "licenseText")
        self.license_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.license_view.setPlainText(legal_text(LICENSE) or MISSING.format(name=LICENSE))
        self.tabs.addTab(self.license_view, "License")
        # The notices are long Markdown (about 150 kB): render them the first time they are shown.
        self.notices_view = named(QTextBrowser(openExternalLinks=True), "noticesText")
        self.tabs.addTab(self.notices_view, "Third-party notices")
        self.tabs.currentChanged.connect(self._load_notices_when_shown)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

    def _summary(self) -> QWidget:
        page = named(QWidget(), "aboutSummary")
        icon = named(QLabel(), "aboutIcon")
        icon.setPixmap(QIcon(str(resource_path("icons/readerapp-128.png"))).pixmap(96, 96))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.version_label = named(
            QLabel(
                f"<h2>{APP_NAME}</h2><p><b>Version {readerapp.__version__}</b></p>"
                "<p>A desktop reading list for AI research: topics, PDFs, highlights and arXiv "
                "feeds.</p>"
            ),
            "aboutVersion",
        )
        self.version_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.version_label.setWordWrap(True)
        license_label = named(
            QLabel(
                f"<p>{LICENSE_SUMMARY}</p><p>See the License tab or "
                f'<a href="{LICENSE_URL}">{LICENSE_URL}</a>. readerapp bundles Qt, PyMuPDF and other '
                "components under their own licences: see Third-party notices.</p>"
            ),
            "aboutLicense",
        )
        license_label.setWordWrap(True)
        license_label.setOpenExternalLinks(True)
        text = QVBoxLayout()
        text.addWidget(self.version_label)
        text.addWidget(license_label)
        text.addStretch(1)
        row = QHBoxLayout(page)
        row.addWidget(icon)
        row.addLayout(text, 1)
        return page

    def _load_notices_when_shown(self, index: int) -> None:
        if self.tabs.widget(index) is self.notices_view and not self.notices_view.toPlainText():
            notices = legal_text(NOTICES)
            if notices is None:
                self.notices_view.setPlainText(MISSING.format(name=NOTICES))
            else:
                self.notices_view.setMarkdown(notices)


def install_about_action(window: MainWindow) -> QAction:
    """Add Help -> About readerapp to the main window; the dialog is modal and freed on close."""

    def show() -> None:
        dialog = AboutDialog(window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    action = QAction(f"&About {APP_NAME}", window)
    action.setMenuRole(QAction.MenuRole.AboutRole)  # macOS puts it in the application menu
    action.setStatusTip("Version, licence and third-party notices")
    action.triggered.connect(show)
    window.help_menu.addAction(action)
    return action
