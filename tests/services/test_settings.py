"""Settings are typed values kept across restarts, readable from libraries older versions wrote."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from readerapp.app import open_services
from readerapp.services import settings
from readerapp.services.library import ALL_ITEMS
from readerapp.services.viewer_state import OpenPaper, Session
from readerapp.storage.library import LibraryRepository


def test_a_setting_has_its_default_until_the_user_changes_it(empty_services) -> None:
    library = empty_services.library
    assert library.setting(settings.DOWNLOAD_PDF_ON_ADD) is True
    assert library.setting(settings.SUBTOPIC_ITEMS) is False
    assert library.setting(settings.CURRENT_TOPIC) == ALL_ITEMS
    library.set_setting(settings.DOWNLOAD_PDF_ON_ADD, False)
    library.set_setting(settings.CURRENT_TOPIC, 7)
    assert library.setting(settings.DOWNLOAD_PDF_ON_ADD) is False
    assert library.setting(settings.CURRENT_TOPIC) == 7


def test_settings_survive_a_restart(empty_services) -> None:
    empty_services.library.set_setting(settings.SUBTOPIC_ITEMS, True)
    empty_services.library.set_setting(settings.ANNOTATION_COLOR, "#ffd400")
    again = open_services(str(empty_services.paths.root))
    try:
        assert again.library.setting(settings.SUBTOPIC_ITEMS) is True
        assert again.library.setting(settings.ANNOTATION_COLOR) == "#ffd400"
    finally:
        again.close()


def test_values_written_by_earlier_versions_read_as_before(empty_services) -> None:
    raw = LibraryRepository(empty_services.db)  # what an earlier readerapp left in the file
    raw.set_state("feeds.download_pdf_on_add", "0")
    raw.set_state("ui.subtopic_items", "1")
    raw.set_state("ui.item", "")  # no item was selected
    raw.set_state("ui.topic", "not a number")  # damaged: the default, not a crash
    library = empty_services.library
    assert library.setting(settings.DOWNLOAD_PDF_ON_ADD) is False
    assert library.setting(settings.SUBTOPIC_ITEMS) is True
    assert library.setting(settings.CURRENT_ITEM) == 0
    assert library.setting(settings.CURRENT_TOPIC) == ALL_ITEMS
    assert raw.get_state("feeds.download_pdf_on_add") == "0"
    library.set_setting(settings.SUBTOPIC_ITEMS, False)
    assert raw.get_state("ui.subtopic_items") == "0"  # the same text, so older versions read it


def test_remembered_state_written_by_earlier_versions_reads_under_the_same_keys(
    empty_services, tmp_path
) -> None:
    """The session, the arXiv block, the last version check and the file dialogs' folders were
    kept under these keys before they were declared settings: a library from then still reads."""
    pdf = tmp_path / "outside.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    raw = LibraryRepository(empty_services.db)
    raw.set_state("viewer.session", json.dumps({"papers": [{"path": str(pdf)}], "current": 0}))
    raw.set_state("arxiv.blocked_until", "2999-01-01T00:00:00Z")
    raw.set_state("arxiv.last_version_check", "2020-05-01T12:00:00Z")
    raw.set_state("ui.folder.import", str(tmp_path))
    raw.set_state("ui.format.export", "bibtex")
    again = open_services(str(empty_services.paths.root), seed=False)
    try:
        assert again.viewer.session() == Session([OpenPaper(path=pdf)], current=0)
        assert again.papers.arxiv.limiter.blocked  # still no arXiv traffic after the 403
        assert again.library.setting(settings.LAST_VERSION_CHECK) == datetime(
            2020, 5, 1, 12, tzinfo=UTC
        )
        assert again.papers.version_check_due(timedelta(days=1))
        choices = again.library.file_choices(home=tmp_path / "home")
        assert choices.folder(settings.FileDialogPurpose.IMPORT) == tmp_path
        assert choices.format(settings.FileDialogPurpose.EXPORT) == "bibtex"
    finally:
        again.close()


def test_remembered_state_is_written_as_earlier_versions_read_it(empty_services, tmp_path) -> None:
    raw = LibraryRepository(empty_services.db)
    papers = empty_services.papers
    papers.note_version_check()
    assert not papers.version_check_due(timedelta(days=1))
    written = raw.get_state("arxiv.last_version_check")
    assert written and datetime.strptime(written, "%Y-%m-%dT%H:%M:%SZ")
    papers.remember_block()
    assert (raw.get_state("arxiv.blocked_until") or "") > written
    empty_services.library.file_choices().remember(
        settings.FileDialogPurpose.ADD_PDF, tmp_path / "a.pdf"
    )
    assert raw.get_state("ui.folder.add-pdf") == str(tmp_path)
    empty_services.viewer.save_session(Session([OpenPaper(item_id=4)], current=0))
    assert json.loads(raw.get_state("viewer.session") or "") == {
        "papers": [{"item": 4}],
        "current": 0,
    }


def test_a_damaged_time_reads_as_never(empty_services) -> None:
    LibraryRepository(empty_services.db).set_state("arxiv.last_version_check", "yesterday")
    assert empty_services.library.setting(settings.LAST_VERSION_CHECK) is None
    assert empty_services.papers.version_check_due(timedelta(days=1))


def test_every_declared_setting_has_its_own_key() -> None:
    declared = [
        value.key
        for value in vars(settings).values()
        if isinstance(value, settings.Setting | settings.MomentSetting)
    ]
    declared += [
        make(purpose).key
        for purpose in settings.FileDialogPurpose
        for make in (settings.dialog_folder, settings.dialog_format)
    ]
    assert len(declared) == len(set(declared)) > 10
