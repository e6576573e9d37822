"""Adding papers and web pages, filling their metadata, downloading PDFs and following new arXiv
versions: the one code path the CLI and the GUI share.

Every operation is split into network steps (``fetch_*``/``download_*``: no database access, safe
in a worker thread) and storage steps (``create_*``/``apply_*``/``attach_*``: quick, on the thread
that owns the database). ``add``, ``retry_pending``, ``check_versions`` and ``update_to_latest``
chain them in one thread for the CLI; the GUI chains the same steps through its task runner.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import pymupdf

from readerapp.core.arxiv_ids import ArxivId, is_arxiv_url, parse_arxiv_id
from readerapp.core.errors import BadInputError, UserError
from readerapp.core.models import Item, ItemKind
from readerapp.core.page_title import page_title
from readerapp.net.arxiv import PaperMetadata, fetch_metadata, pdf_url
from readerapp.net.download import check_pdf, download_pdf
from readerapp.net.errors import ArxivBlockedError, FetchError
from readerapp.net.responses import PDF_MAX_BYTES, ProgressFn, charset_of
from readerapp.services import settings
from readerapp.storage.files import FileStore
from readerapp.storage.library import LibraryRepository
from readerapp.storage.papers import PaperStateRepository, PendingFetch

if TYPE_CHECKING:
    from readerapp.net.http import ArxivClient, WebClient  # httpx: loaded with the first request

log = logging.getLogger(__name__)

BLOCK_HOURS = 1
MAX_MISSES = 3  # answers from arXiv without a pending id before it stops being asked about
# Pending work that failed waits this long before it is tried again, so a burst of `add`s (or
# several processes) do not resend the same batch and repeat the same error each time.
RETRY_PENDING_AFTER = timedelta(minutes=10)
UNKNOWN_ID = "arXiv does not know this id."
Reanchor = Callable[[int, Path], Any]  # AnnotationService.reanchor_item(item_id, new_pdf_path)


class TargetKind(StrEnum):
    ARXIV = "arxiv"
    WEB = "web"
    FILE = "file"


@dataclass(frozen=True, slots=True)
class AddTarget:
    """What the user's text names: an arXiv paper, a web address, or a local file."""

    kind: TargetKind
    arxiv: ArxivId | None = None
    url: str = ""
    path: Path | None = None


@dataclass(slots=True)
class AddOutcome:
    """The item that was added (or found), and sentences about what happened."""

    item: Item
    existed: bool = False
    notes: list[str] = field(default_factory=list)  # informational (pending, restored)
    problems: list[str] = field(default_factory=list)  # something failed (the item is kept)


@dataclass(frozen=True, slots=True)
class WebFetch:
    """A web address fetched: its final URL, title, and a checked PDF in a temp file, if any."""

    url: str
    title: str
    pdf_temp: Path | None = None


@dataclass(frozen=True, slots=True)
class VersionUpdate:
    """What updating an item to a newer arXiv version fetched: metadata and the new PDF."""

    item_id: int
    metadata: PaperMetadata
    pdf_relative: str


def classify(text: str) -> AddTarget:
    """What ``text`` names; raises BadInputError with a sentence when it names nothing usable."""
    text = (text or "").strip()
    if not text:
        raise BadInputError("Give an arXiv id, a web address or a PDF file to add.")
    ident = parse_arxiv_id(text)
    if ident is not None:
        return AddTarget(TargetKind.ARXIV, arxiv=ident)
    try:
        path = Path(text).expanduser()
        if path.is_file():
            return AddTarget(TargetKind.FILE, path=path)
    except (OSError, ValueError):
        pass
    parts = urlsplit(text)
    if parts.scheme.lower() in ("http", "https") and parts.hostname:
        if is_arxiv_url(text):
            raise BadInputError(f"“{text}” is an arXiv address but does not name a paper.")
        return AddTarget(TargetKind.WEB, url=text)
    raise BadInputError(
        f"“{text}” is not an arXiv id (like 2304.15004 or hep-th/9901001), an http(s) address, "
        "or an existing PDF file."
    )


class PaperService:
    """arXiv and web items over the library, the file store and the two polite clients."""

    def __init__(
        self,
        library: LibraryRepository,
        files: FileStore,
        state: PaperStateRepository,
        clients: Callable[[], tuple[ArxivClient, WebClient]],
        reanchor: Reanchor | None = None,
    ) -> None:
        self.library = library
        self.files = files
        self.state = state
        self.reanchor = reanchor
        # The clients are made on the first request (see Services.http_clients); a block arXiv
        # imposed before this run is read now, in the caller's thread, and applied to them then.
        self._clients = clients
        self._clients_ready = False
        self._clients_lock = threading.Lock()  # the first request may come from any worker
        self._blocked_until = settings.read(self.library, settings.ARXIV_BLOCKED_UNTIL)

    @property
    def arxiv(self) -> ArxivClient:
        return self._client_pair()[0]

    @property
    def web(self) -> WebClient:
        return self._client_pair()[1]

    def _client_pair(self) -> tuple[ArxivClient, WebClient]:
        with self._clients_lock:
            pair = self._clients()
            if not self._clients_ready:
                self._clients_ready = True
                if self._blocked_until is not None and self._blocked_until > datetime.now(UTC):
                    pair[0].limiter.block(
                        "arXiv refused readerapp's requests (HTTP 403) recently, so readerapp "
                        f"does not contact arXiv until {self._blocked_until:%H:%M} UTC; your "
                        "library is unchanged."
                    )
            return pair

    # ====================== storage steps (the caller's thread: the GUI thread in the app) =========
    def existing(self, target: AddTarget) -> tuple[Item, bool] | None:
        """The item ``target`` already is, if any, and whether it was just restored from trash."""
        if target.kind is TargetKind.ARXIV and target.arxiv is not None:
            found = self.state.find_any_by_arxiv_id(target.arxiv.id)
            if found is None:
                return None
            item_id, trashed = found
            if trashed:  # arxiv_id is UNIQUE even in the trash: bring that item back
                self.library.restore_items([item_id])
            item = self.library.item(item_id)
            return (item, trashed) if item else None
        if target.kind is TargetKind.WEB:
            item = self.library.find_by_url(target.url)
            return (item, False) if item else None
        return None

    def topic_ids(self, topic_path: str | None) -> list[int]:
        if not topic_path:
            return []
        return [self.library.require_topic(topic_path).id]

    def create_arxiv_item(
        self,
        ident: ArxivId,
        metadata: PaperMetadata | None,
        topic_ids: list[int],
        *,
        want_pdf: bool,
    ) -> Item:
        """The new item, with metadata when we have it, else a placeholder marked pending."""
        fields: dict[str, Any] = {
            "kind": ItemKind.PAPER,
            "arxiv_id": ident.id,
            "url": f"https://arxiv.org/abs/{ident.id}",
            "version": ident.version,
            "venue": "arXiv",
        }
        title = f"arXiv:{ident}"
        if metadata is not None:
            fields.update(metadata.item_fields())
            title = fields.pop("title")
            fields["version"] = ident.version or metadata.version
            fields["latest_version"] = metadata.version
        with self.library.db.transaction():
            item = self.library.add_item(title, topic_ids, **fields)
            if metadata is None or want_pdf:
                self.state.mark_pending(item.id, metadata=metadata is None, pdf=want_pdf)
        return item

    def apply_metadata(self, item_id: int, metadata: PaperMetadata) -> Item | None:
        """Fill a pending item's metadata, and record the latest version arXiv has."""
        item = self.library.item(item_id)
        if item is None:
            return None
        pending = self.state.pending_for(item_id)
        fields: dict[str, Any] = {}
        if pending is not None and pending.need_metadata:
            fields.update(metadata.item_fields())
            if item.version is None and not item.has_pdf:
                fields["version"] = metadata.version
        latest = max(item.latest_version or 0, metadata.version or 0)
        if latest and latest != item.latest_version:
            fields["latest_version"] = latest
        with self.library.db.transaction():
            self.library.update_item(item_id, **fields)
            self.state.done(item_id, metadata=True)
        return self.library.item(item_id)

    def apply_metadata_batch(
        self, found: dict[str, PaperMetadata], asked: list[tuple[int, str]]
    ) -> list[int]:
        """Apply a batched answer; returns the ids of items that now have a newer version."""
        newer: list[int] = []
        missing: list[int] = []
        with self.library.db.transaction():  # one commit for the whole batch, not one per item
            for item_id, arxiv_id in asked:
                meta = found.get(arxiv_id)
                if meta is None:
                    missing.append(item_id)
                    continue
                item = self.apply_metadata(item_id, meta)
                if item is not None and item.new_version_available:
                    newer.append(item_id)
            pending_missing = [i for i in missing if self.state.pending_for(i)]
            streaks = self.state.missed(pending_missing, UNKNOWN_ID)
            for item_id, streak in zip(pending_missing, streaks, strict=True):
                if streak >= MAX_MISSES:  # a typo made offline is not asked about forever
                    self.state.done(item_id, metadata=True, pdf=True)
        return newer

    def attach_pdf(self, item_id: int, relative: str, version: int | None) -> None:
        fields: dict[str, Any] = {"pdf_path": relative}
        if version is not None:
            fields["version"] = version
        with self.library.db.transaction():
            self.library.update_item(item_id, **fields)
            self.state.done(item_id, pdf=True)

    def note_failure(self, item_ids: list[int], error: BaseException) -> None:
        if item_ids:
            self.state.failed(item_ids, str(error))
        if isinstance(error, ArxivBlockedError):
            self.remember_block()

    def remember_block(self) -> None:
        """Keep arXiv traffic stopped for BLOCK_HOURS, in later sessions too, after a 403."""
        until = datetime.now(UTC) + timedelta(hours=BLOCK_HOURS)
        settings.write(self.library, settings.ARXIV_BLOCKED_UNTIL, until)

    def create_web_item(
        self, url: str, fetched: WebFetch | None, topic_ids: list[int], *, retry: bool = True
    ) -> Item:
        """A web item; a fetched PDF is moved into the library; without ``fetched`` the title is
        fetched again later when ``retry``."""
        title = fetched.title if fetched and fetched.title else _title_from_url(url)
        kind = ItemKind.PAPER if fetched and fetched.pdf_temp else ItemKind.WEB
        with self.library.db.transaction():
            item = self.library.add_item(title, topic_ids, kind=kind, url=url)
            if fetched is None and retry:
                self.state.mark_pending(item.id, metadata=True)
        if fetched and fetched.pdf_temp:
            self._move_in_web_pdf(item, fetched.pdf_temp)
        return self.library.item(item.id) or item

    def apply_web_fetch(self, item_id: int, fetched: WebFetch) -> None:
        """A web item added offline gets its title (and PDF) once the page is reachable."""
        item = self.library.item(item_id)
        if item is None:
            if fetched.pdf_temp:
                fetched.pdf_temp.unlink(missing_ok=True)
            return
        fields: dict[str, Any] = {}
        if fetched.title and item.title == _title_from_url(item.url):
            fields["title"] = fetched.title
        if fetched.pdf_temp:
            fields["kind"] = ItemKind.PAPER
        with self.library.db.transaction():
            self.library.update_item(item_id, **fields)
            self.state.done(item_id, metadata=True)
        if fetched.pdf_temp and not item.has_pdf:
            self._move_in_web_pdf(self.library.item(item_id) or item, fetched.pdf_temp)
        elif fetched.pdf_temp:
            fetched.pdf_temp.unlink(missing_ok=True)

    def _move_in_web_pdf(self, item: Item, temp: Path) -> None:
        relative = self.files.name_for(
            item_id=item.id, arxiv_id=None, version=None, title=item.title
        )
        target = self.files.absolute(relative)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temp, target)
        except OSError as exc:
            temp.unlink(missing_ok=True)
            raise UserError(f"The PDF could not be saved in the library: {exc.strerror}.") from exc
        self.attach_pdf(item.id, relative, None)

    def apply_update(self, update: VersionUpdate) -> Item | None:
        """Switch an item to its newer version: history keeps the old PDF, metadata follows, and
        annotations are re-anchored in the new PDF."""
        item = self.library.item(update.item_id)
        if item is None:
            return None
        meta = update.metadata
        fields = meta.item_fields()
        fields.update(
            version=meta.version,
            latest_version=max(meta.version or 0, item.latest_version or 0) or None,
            pdf_path=update.pdf_relative,
        )
        with self.library.db.transaction():
            if item.version is not None or item.pdf_path:
                # 0 stands for a download whose version was never known (e.g. the starter list)
                self.state.add_version(
                    item.id, item.version or 0, item.pdf_path, item.title, item.updated
                )
            self.library.update_item(item.id, **fields)
            self.state.done(item.id, metadata=True, pdf=True)
        if self.reanchor is not None:
            self.reanchor(item.id, self.files.absolute(update.pdf_relative))
        return self.library.item(item.id)

    def pending_arxiv(self) -> list[tuple[int, str]]:
        return [(p.item_id, p.arxiv_id) for p in self.state.pending() if p.arxiv_id]

    def pending_web(self) -> list[tuple[int, str]]:
        return [
            (p.item_id, p.url)
            for p in self.state.pending()
            if not p.arxiv_id and p.need_metadata and p.url
        ]

    def pending_pdfs(self) -> list[Item]:
        """arXiv items waiting for their PDF whose metadata (hence version) is known."""
        items = []
        for p in self.state.pending():
            if p.arxiv_id and p.need_pdf and not p.need_metadata:
                item = self.library.item(p.item_id)
                if item is not None:
                    items.append(item)
        return items

    # ================================ network steps (any thread) ================================
    def fetch_paper(
        self, ident: ArxivId, cancel: threading.Event | None = None
    ) -> PaperMetadata | None:
        """The paper's latest metadata; None if arXiv does not know it. FetchError when offline."""
        return fetch_metadata(self.arxiv, [ident.id], cancel).get(ident.id)

    def fetch_papers(
        self, ids: list[str], cancel: threading.Event | None = None
    ) -> dict[str, PaperMetadata]:
        return fetch_metadata(self.arxiv, ids, cancel)

    def pdf_relative(self, item: Item, version: int | None) -> str:
        return self.files.name_for(
            item_id=item.id, arxiv_id=item.arxiv_id, version=version, title=item.title
        )

    def download_arxiv_pdf(
        self,
        item: Item,
        version: int | None,
        *,
        cancel: threading.Event | None = None,
        progress: ProgressFn | None = None,
    ) -> str:
        """Download the PDF of ``item`` at ``version`` into the library; returns its relative path."""
        assert item.arxiv_id
        relative = self.pdf_relative(item, version)
        url = pdf_url(self.arxiv, item.arxiv_id, version)
        download_pdf(
            self.arxiv, url, self.files.absolute(relative), cancel=cancel, progress=progress
        )
        return relative

    def fetch_web(
        self,
        url: str,
        *,
        cancel: threading.Event | None = None,
        progress: ProgressFn | None = None,
    ) -> WebFetch:
        """Fetch a web address: a PDF is kept (checked) in a temp file, a page gives its title."""
        incoming = self.files.paths.files / ".incoming"
        incoming.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=incoming, prefix="web-", suffix=".part")
        os.close(fd)
        temp = Path(name)
        try:
            resp = self.web.download(
                url, temp, max_bytes=PDF_MAX_BYTES, cancel=cancel, progress=progress
            )
            with open(temp, "rb") as fh:
                head = fh.read(1024)
            if head.lstrip().startswith(b"%PDF-") or resp.content_type == "application/pdf":
                host = urlsplit(url).hostname or url
                check_pdf(temp, host)
                return WebFetch(resp.url, _pdf_title(temp) or _title_from_url(resp.url), temp)
            with open(temp, "rb") as fh:
                body = fh.read(2_000_000)
            temp.unlink(missing_ok=True)
            html = body.decode(charset_of(resp.headers.get("content-type", "")), errors="replace")
            return WebFetch(resp.url, page_title(html))
        except BaseException:
            temp.unlink(missing_ok=True)
            raise

    # ================================ whole operations (one thread: the CLI) ====================
    def add(
        self,
        text: str,
        topic_path: str | None = None,
        *,
        download: bool = True,
        progress: ProgressFn | None = None,
    ) -> AddOutcome:
        """Add what ``text`` names (arXiv id/URL or web address). Local files: see commands/add."""
        target = classify(text)
        topic_ids = self.topic_ids(topic_path)
        if target.kind is TargetKind.FILE:
            raise BadInputError("Local PDF files are added by `readerapp add FILE`.")
        found = self.existing(target)
        if found is not None:
            item, restored = found
            if topic_ids:
                self.library.file_items([item.id], topic_ids[0])
            outcome = AddOutcome(item, existed=True)
            if restored:
                outcome.notes.append("It was in the trash and has been restored.")
            if download and item.arxiv_id and not item.has_pdf:  # adding again fetches the PDF
                self.state.mark_pending(item.id, metadata=item.version is None, pdf=True)
            if self.state.pending_for(item.id):
                self._retry_items([item.id], outcome, progress)
                outcome.item = self.library.item(item.id) or item
            return outcome
        if target.kind is TargetKind.WEB:
            return self._add_web(target.url, topic_ids)
        assert target.arxiv is not None
        return self._add_arxiv(target.arxiv, topic_ids, download, progress)

    def _add_arxiv(
        self, ident: ArxivId, topic_ids: list[int], download: bool, progress: ProgressFn | None
    ) -> AddOutcome:
        metadata: PaperMetadata | None = None
        offline: FetchError | None = None
        try:
            metadata = self.fetch_paper(ident)
        except FetchError as exc:
            if not exc.transient:
                raise
            offline = exc
        if metadata is None and offline is None:
            raise BadInputError(f"arXiv has no paper with the id {ident.id}.")
        if metadata and ident.version and metadata.version and ident.version > metadata.version:
            raise BadInputError(
                f"arXiv has no version {ident.version} of {ident.id} "
                f"(the latest is v{metadata.version})."
            )
        item = self.create_arxiv_item(ident, metadata, topic_ids, want_pdf=download)
        outcome = AddOutcome(item)
        if offline is not None:
            self.note_failure([item.id], offline)
            outcome.notes.append(
                f"{offline} Its details{' and PDF' if download else ''} will be fetched when "
                "arXiv can be reached."
            )
            return outcome
        if download:
            self._download_pdf(item, outcome, progress)
        return outcome

    def _download_pdf(self, item: Item, outcome: AddOutcome, progress: ProgressFn | None) -> None:
        try:
            relative = self.download_arxiv_pdf(item, item.version, progress=progress)
        except FetchError as exc:
            self.note_failure([item.id], exc)
            if exc.transient:
                outcome.notes.append(f"{exc} The PDF will be downloaded later.")
            else:
                outcome.problems.append(f"The PDF could not be downloaded: {exc}")
            return
        self.attach_pdf(item.id, relative, item.version)
        outcome.item = self.library.item(item.id) or item

    def _add_web(self, url: str, topic_ids: list[int]) -> AddOutcome:
        fetched: WebFetch | None = None
        failure: FetchError | None = None
        try:
            fetched = self.fetch_web(url)
        except FetchError as exc:  # the link is still worth keeping (many sites refuse bots)
            failure = exc
        item = self.create_web_item(
            url, fetched, topic_ids, retry=bool(failure and failure.transient)
        )
        outcome = AddOutcome(item)
        if failure is not None:
            outcome.notes.append(web_failure_note(failure))
            if failure.transient:
                self.note_failure([item.id], failure)
        return outcome

    def due_pending(self, now: datetime | None = None) -> list[PendingFetch]:
        """Pending work to try now: never tried, or last failed RETRY_PENDING_AFTER ago."""
        now = now or datetime.now(UTC)
        due = []
        for pending in self.state.pending():
            tried = _parse_iso(pending.last_attempt)
            if tried is None or now - tried >= RETRY_PENDING_AFTER:
                due.append(pending)
        return due

    def retry_pending(self, progress: ProgressFn | None = None) -> list[str]:
        """Fetch what waits for the network and is due (arXiv metadata in batches of at most 100
        ids, one run for all); returns sentences about what failed, once per failed run."""
        ids = [p.item_id for p in self.due_pending()]
        if not ids:
            return []
        outcome = AddOutcome(Item(id=0, title=""))
        self._retry_items(ids, outcome, progress)
        return outcome.notes + outcome.problems

    def _retry_items(
        self, item_ids: list[int], outcome: AddOutcome, progress: ProgressFn | None
    ) -> None:
        wanted = set(item_ids)
        arxiv = [(i, a) for i, a in self.pending_arxiv() if i in wanted]
        needs_meta = [
            (i, a)
            for i, a in arxiv
            if (p := self.state.pending_for(i)) is not None and p.need_metadata
        ]
        if needs_meta:
            try:
                found = self.fetch_papers([a for _, a in needs_meta])
            except FetchError as exc:
                self.note_failure([i for i, _ in needs_meta], exc)
                outcome.notes.append(str(exc))
                return
            self.apply_metadata_batch(found, needs_meta)
        for item in self.pending_pdfs():
            if item.id in wanted:
                self._download_pdf(item, outcome, progress)
        for item_id, url in self.pending_web():
            if item_id not in wanted:
                continue
            try:
                self.apply_web_fetch(item_id, self.fetch_web(url))
            except FetchError as exc:
                self.note_failure([item_id], exc)
                outcome.notes.append(str(exc))

    def check_versions(self, cancel: threading.Event | None = None) -> list[int]:
        """Ask arXiv (batched) for every arXiv item's latest version; returns items with a newer
        one than they hold."""
        asked = [(item_id, arxiv_id) for item_id, arxiv_id, _, _ in self.state.arxiv_items()]
        if not asked:
            return []
        try:
            found = self.fetch_papers([a for _, a in asked], cancel)
        except ArxivBlockedError as exc:
            self.note_failure([], exc)
            raise
        newer = self.apply_metadata_batch(found, asked)
        self.note_version_check()
        return newer

    def version_check_due(self, every: timedelta, now: datetime | None = None) -> bool:
        """True when no batched check for new versions ran within ``every`` (or none ever did)."""
        last = settings.read(self.library, settings.LAST_VERSION_CHECK)
        return last is None or (now or datetime.now(UTC)) - last >= every

    def note_version_check(self) -> None:
        """Remember that the library's papers were checked for new versions just now."""
        settings.write(self.library, settings.LAST_VERSION_CHECK, datetime.now(UTC))

    def fetch_update(
        self,
        item: Item,
        *,
        cancel: threading.Event | None = None,
        progress: ProgressFn | None = None,
    ) -> VersionUpdate:
        """Network part of "Update to vN": fresh metadata and the newest PDF."""
        if not item.arxiv_id:
            raise BadInputError(f"“{item.title}” is not an arXiv paper.")
        meta = fetch_metadata(self.arxiv, [item.arxiv_id], cancel).get(item.arxiv_id)
        if meta is None or meta.version is None:
            raise UserError(f"arXiv no longer lists {item.arxiv_id}.")
        if item.has_pdf and item.version is not None and meta.version <= item.version:
            raise UserError(f"“{item.title}” is already at the latest version, v{item.version}.")
        relative = self.download_arxiv_pdf(item, meta.version, cancel=cancel, progress=progress)
        return VersionUpdate(item.id, meta, relative)

    def update_to_latest(self, item_id: int, progress: ProgressFn | None = None) -> Item:
        item = self.library.item(item_id)
        if item is None:
            raise BadInputError(f"There is no item {item_id}.")
        updated = self.apply_update(self.fetch_update(item, progress=progress))
        assert updated is not None
        return updated


def _parse_iso(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def web_failure_note(exc: FetchError) -> str:
    if exc.transient:
        return f"{exc} Its title will be fetched later."
    return f"{exc} The link was added with a title made from its address."


def _title_from_url(url: str) -> str:
    parts = urlsplit(url)
    name = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1])
    if name.lower().endswith(".pdf"):
        name = name[:-4]
    host = parts.hostname or url
    return f"{name} ({host})" if name else host


def _pdf_title(path: Path) -> str:
    try:
        with pymupdf.open(path, filetype="pdf") as doc:
            return " ".join((doc.metadata or {}).get("title", "").split())
    except Exception:  # a title is a nicety; the PDF itself was already checked
        log.warning("The title of %s could not be read", path, exc_info=True)
        return ""
