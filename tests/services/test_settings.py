"""Settings are typed values kept across restarts, readable from libraries older versions wrote."""

from __future__ import annotations

from readerapp.app import open_services
from readerapp.services import settings
from readerapp.services.library import ALL_ITEMS
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
