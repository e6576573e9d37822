"""Highlighting in a reading tab: the actions, the overlays, and the pane, on one undo stack.

Attached to a :class:`PdfTab` of a library item. Every action goes through
:class:`AnnotationService` inside an undoable command, so it is in SQLite before the call returns.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QUndoStack
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QToolButton

from readerapp.core.annotation import Annotation, AnnotationKind, Rect
from readerapp.core.errors import UserError
from readerapp.gui import annotation_commands as cmd
from readerapp.gui.annotation_pane import AnnotationPane, swatch
from readerapp.gui.pdf_tab import PdfTab
from readerapp.gui.pdf_view import PointerTool
from readerapp.pdf.types import Overlay, OverlayKind
from readerapp.services import settings
from readerapp.services.annotations import AnnotationService
from readerapp.services.item_edits import ItemEditService
from readerapp.services.library import LibraryService
from readerapp.services.settings import FileDialogPurpose

_OVERLAY_KIND: dict[AnnotationKind, OverlayKind] = {
    AnnotationKind.HIGHLIGHT: "highlight",
    AnnotationKind.UNDERLINE: "underline",
    AnnotationKind.SQUIGGLY: "underline",
    AnnotationKind.STRIKEOUT: "strikeout",
    AnnotationKind.NOTE: "note",
    AnnotationKind.AREA: "area",
    # Only other programs make these, with appearances of their own that the page draws.
    AnnotationKind.FREETEXT: "drawn",
    AnnotationKind.INK: "drawn",
}
SYNC_DELAY_MS = 3000
# The tab's annotation keys: (name, key, what it does). Help -> Keyboard Shortcuts lists them too.
ANNOTATION_COMMANDS: dict[str, tuple[str, str, str]] = {
    "highlight": ("Highlight", "H", "Highlight the selection"),
    "underline": ("Underline", "U", "Underline the selection"),
    "strike": ("Strike through", "S", "Strike the selection through"),
    "comment": ("Comment", "C", "Highlight the selection and write a comment"),
    "note": ("Note", "N", "Sticky note: click where it goes"),
    "area": ("Area", "A", "Area highlight: drag a box over a figure"),
}
# The context of the tab's single-key commands (H, N, A, 1-6...): the whole window, so they work
# with the keyboard on the tab bar or nowhere at all (after a click on an empty toolbar, at
# launch). Qt matches only the actions of a visible widget, so only the tab in front answers
# (none with the Library in front), and a text field (a comment, the notes, the search) claims
# its typed letters through ShortcutOverride before any shortcut sees them.
TAB_KEY_CONTEXT = Qt.ShortcutContext.WindowShortcut


class AnnotationController(QObject):
    """Owns the tab's annotation pane, highlight actions and overlay provider."""

    def __init__(
        self,
        tab: PdfTab,
        item_id: int,
        service: AnnotationService,
        library: LibraryService,
        undo_stack: QUndoStack,
        report: Callable[[str], None] | None = None,
        edits: ItemEditService | None = None,
        withdraw: Callable[[str], None] | None = None,
    ) -> None:
        """``report`` shows a sentence (in the status bar); ``withdraw`` takes it away again if
        it is still showing (a prompt such as "Click where the note goes", once used)."""
        super().__init__(tab)
        self.tab = tab
        self.item_id = item_id
        self.service = service
        self.library = library
        self.undo_stack = undo_stack
        self._report = report
        self._withdraw = withdraw
        self._prompt = ""  # the tool's prompt on show, taken away once the tool is done
        self._annotations: list[Annotation] = []
        self._by_page: dict[int, list[Annotation]] = {}
        self._drawn_by_file: set[int] = set()
        self.selected_id: int | None = None
        self.color = library.setting(settings.ANNOTATION_COLOR) or service.repo.palette()[0].color
        self.pane = AnnotationPane(edits or library.item_edits())
        self.pane.set_item(item_id)
        self.pane.activated.connect(self.reveal)
        self.pane.comment_writer = self.save_typed_comment
        self.pane.notice.connect(self.report)
        self.pane.commentDone.connect(lambda _id: self.tab.take_focus())
        self.pane.deleteRequested.connect(self.delete)
        self.pane.recolorRequested.connect(self.recolor)
        self.pane.kindRequested.connect(lambda i, k: self.set_kind(i, AnnotationKind(k)))
        self.pane.meaningRenameRequested.connect(self.rename_meaning)
        self._sync_timer = QTimer(self, singleShot=True, interval=SYNC_DELAY_MS)
        self._sync_timer.timeout.connect(self._sync_library_file)
        tab.add_side_pane(self.pane)
        self.reload()
        if tab.view is not None:
            self._attach_view()
        else:
            tab.opened.connect(self._attach_view)

    # ---- wiring -------------------------------------------------------------------------------
    def _attach_view(self) -> None:
        view = self.tab.view
        assert view is not None
        view.set_overlay_provider(self._overlays)
        view.set_copy_fallback(self.selected_text)
        view.overlayClicked.connect(self._overlay_clicked)
        view.areaSelected.connect(self._area_selected)
        view.toolChanged.connect(self._tool_changed)
        view.pointClicked.connect(self._point_clicked)
        view.contextMenuRequested.connect(self._context_menu)
        self._build_actions()
        try:
            imported = self.service.import_from_pdf(self.item_id)
        except UserError as exc:
            self.report(str(exc))
            imported = []
        if imported:
            n = len(imported)
            self.report(f"Imported {n} annotation{'s' if n != 1 else ''} made in another program.")
            self.reload()
        else:
            self._hide_replaced_marks()

    def _action(self, text: str, slot, shortcut: str = "", tip: str = "") -> QAction:
        action = QAction(text, self.tab)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(TAB_KEY_CONTEXT)
        action.setToolTip(f"{tip or text} ({shortcut})" if shortcut else tip or text)
        action.triggered.connect(lambda _checked=False: slot())
        self.tab.addAction(action)
        return action

    def _command(self, key: str, slot) -> QAction:
        name, shortcut, tip = ANNOTATION_COMMANDS[key]
        return self._action(name, slot, shortcut, tip)

    def _build_actions(self) -> None:
        self.highlight_action = self._command(
            "highlight", lambda: self.mark(AnnotationKind.HIGHLIGHT)
        )
        self.underline_action = self._command(
            "underline", lambda: self.mark(AnnotationKind.UNDERLINE)
        )
        self.strike_action = self._command("strike", lambda: self.mark(AnnotationKind.STRIKEOUT))
        self.comment_action = self._command("comment", self.mark_with_comment)
        self.note_action = self._command("note", lambda: self.set_tool(PointerTool.NOTE))
        self.area_action = self._command("area", lambda: self.set_tool(PointerTool.AREA))
        for action in (self.note_action, self.area_action):
            action.setCheckable(True)
        self.color_group = QActionGroup(self)
        self.color_actions: dict[str, QAction] = {}
        for p in self.service.repo.palette():
            action = self._action(
                p.meaning,
                lambda c=p.color: self.choose_color(c),
                p.shortcut,
                f"Colour: {p.meaning}",
            )
            action.setIcon(swatch(p.color))
            action.setCheckable(True)
            action.setChecked(p.color == self.color)
            self.color_group.addAction(action)
            self.color_actions[p.color] = action
        self.export_action = self._action("Export annotated PDF…", self.export_with_dialog)

        tb = self.tab.toolbar
        tb.addSeparator()
        self.color_button = QToolButton(tb)
        self.color_button.setToolTip("Highlight colour (1–6)")
        self.color_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.color_button)
        menu.addActions(list(self.color_actions.values()))
        self.color_button.setMenu(menu)
        self._show_color()
        tb.addWidget(self.color_button)
        for action in (
            self.highlight_action,
            self.underline_action,
            self.strike_action,
            self.comment_action,
            self.note_action,
            self.area_action,
        ):
            tb.addAction(action)

    def report(self, sentence: str) -> None:
        if self._report is not None:
            self._report(sentence)
        else:
            self.tab.hint.setText(sentence)

    # ---- showing ------------------------------------------------------------------------------
    def reload(self, select: int | None = None) -> None:
        """Re-read the item's annotations; the pane and the view's overlays follow."""
        self._annotations = self.service.annotations(self.item_id)
        # Marks that came with the PDF, unchanged: the page draws them; drawn again, a
        # highlight would look darker than in the PDF.
        self._drawn_by_file = self.service.shown_by_the_file(self.item_id, self._annotations)
        self._by_page = {}
        for ann in self._annotations:
            if not ann.detached:
                self._by_page.setdefault(ann.page - 1, []).append(ann)
        if select is not None:
            self.selected_id = select
        if self.selected_id is not None and all(
            a.id != self.selected_id for a in self._annotations
        ):
            self.selected_id = None
        self.pane.set_annotations(self._annotations, self.service.repo.palette(), select)
        if self.tab.view is not None:
            self._hide_replaced_marks()
            self.tab.view.refresh_overlays()

    def _hide_replaced_marks(self) -> None:
        """The file's own drawing of a mark changed or deleted here goes from the page (a
        recoloured highlight shows its new colour only), except for the drawings the view has
        no overlay for (ink, text boxes), which stay as the file draws them until deleted."""
        assert self.tab.view is not None
        replaced = self.service.replaced_in_file(self.item_id, self._annotations)
        if replaced:
            undrawable = {
                a.external_key for a in self._annotations if _OVERLAY_KIND[a.kind] == "drawn"
            }
            replaced = {page: keys - undrawable for page, keys in replaced.items()}
        self.tab.view.hide_file_marks(replaced)

    def annotations(self) -> list[Annotation]:
        return list(self._annotations)

    def _overlays(self, page: int) -> list[Overlay]:
        return [
            Overlay(
                a.id,
                "drawn" if a.id in self._drawn_by_file else _OVERLAY_KIND[a.kind],
                list(a.rects),
                a.color,
                a.id == self.selected_id,
                # A text box's text is on the page already; a comment or a note's is not.
                tip="" if a.kind is AnnotationKind.FREETEXT else a.comment,
            )
            for a in self._by_page.get(page, [])
        ]

    def _overlay_clicked(self, annotation_id: object) -> None:
        """A mark was clicked in the view (None: the page elsewhere, which lets go of it)."""
        if annotation_id is None and self.selected_id is None:
            return
        self.selected_id = annotation_id if isinstance(annotation_id, int) else None
        self.pane.select(self.selected_id)
        if self.tab.view is not None:
            self.tab.view.refresh_overlays()

    def selected(self) -> Annotation | None:
        """The annotation selected in the view or the pane."""
        return next((a for a in self._annotations if a.id == self.selected_id), None)

    def selected_text(self) -> str:
        """What Copy takes from the selected annotation: its quote, else its comment."""
        ann = self.selected()
        return (ann.quote or ann.comment) if ann is not None else ""

    def reveal(self, annotation_id: int) -> None:
        """Scroll the viewer to an annotation and flash it (a click in the pane)."""
        ann = next((a for a in self._annotations if a.id == annotation_id), None)
        view = self.tab.view
        if ann is None or view is None:
            return
        self.selected_id = ann.id
        view.refresh_overlays()
        if ann.detached or not ann.rects:
            self.report("This annotation is detached: its text is not in this version of the PDF.")
            return
        box = _union(ann.rects)
        view.go_to(ann.page - 1, max(0.0, box[1] - 48), remember=True)
        view.flash(ann.page - 1, box)

    def _sync_after_change(self) -> None:
        if self.service.write_library_file:
            self._sync_timer.start()

    def _sync_library_file(self) -> None:
        try:
            self.service.sync_library_file(self.item_id)
        except UserError as exc:
            self.report(str(exc))

    def _changed(self, select: int | None) -> None:
        self.reload(select)
        self._sync_after_change()

    # ---- making annotations -------------------------------------------------------------------
    def _push(self, make: Callable[[], cmd._AnnotationCommand]) -> cmd._AnnotationCommand | None:
        """Perform the edit, then stack it; a refused edit is a sentence, never a traceback."""
        try:
            command = make()
        except (UserError, ValueError, LookupError) as exc:
            self.report(str(exc))
            return None
        self.undo_stack.push(command)
        return command

    def mark(self, kind: AnnotationKind, color: str | None = None) -> Annotation | None:
        """Mark the viewer's selection (highlight, underline, strike-through): one annotation per
        page it spans, undone as one step. Returns the first page's."""
        view = self.tab.view
        selections = view.selections() if view is not None else []
        if view is None or not selections:
            self.report("Select some text first, then press H (or U, S, C).")
            return None
        color = color or self.color
        made: list[Annotation] = []
        several = len(selections) > 1
        if several:
            self.undo_stack.beginMacro(f"New {kind} across {len(selections)} pages")
        try:
            for selection in selections:
                command = self._push(
                    partial(
                        cmd.CreateAnnotation,
                        self.service,
                        self._changed,
                        partial(
                            self.service.create_text,
                            self.item_id,
                            selection.page,
                            list(selection.quads),
                            selection.text,
                            kind=kind,
                            color=color,
                        ),
                    )
                )
                if command is None:  # refused, and said why: the pages after it are left alone
                    break
                made.append(command.annotation)  # type: ignore[attr-defined]
        finally:
            if several:
                self.undo_stack.endMacro()
        if not made:
            return None
        if several:  # each page's was selected in turn: the first page's is the one meant
            self.reload(select=made[0].id)
        view.clear_selection()
        return made[0]

    def mark_with_comment(self) -> None:
        ann = self.mark(AnnotationKind.HIGHLIGHT)
        if ann is not None:
            self.pane.edit_comment(ann.id)

    def choose_color(self, color: str) -> None:
        """Pick the colour for new highlights; with text selected, highlight it in that colour;
        with a highlight selected (and no text), recolour it (undoably)."""
        view = self.tab.view
        selected = self.selected()
        if selected is not None and (view is None or view.selection() is None):
            if selected.color != color:
                self.recolor(selected.id, color)
            return
        self.color = color
        self.library.set_setting(settings.ANNOTATION_COLOR, color)
        if color in getattr(self, "color_actions", {}):
            self.color_actions[color].setChecked(True)
            self._show_color()
        view = self.tab.view
        if view is not None and view.selection() is not None:
            self.mark(AnnotationKind.HIGHLIGHT, color)

    def _show_color(self) -> None:
        meaning = self.service.repo.meaning(self.color)
        self.color_button.setIcon(swatch(self.color, 14))
        self.color_button.setText(meaning)
        self.color_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)

    def set_tool(self, tool: str) -> None:
        view = self.tab.view
        if view is None:
            return
        tool = PointerTool.TEXT if view.tool() == tool else tool  # pressing N or A again goes back to text
        view.set_tool(tool)  # the actions follow through _tool_changed
        if tool == PointerTool.NOTE:
            self._show_prompt("Click where the note goes (Esc or N again: back to selecting text).")
        elif tool == PointerTool.AREA:
            self._show_prompt("Drag a box over a figure or an equation.")

    def _show_prompt(self, sentence: str) -> None:
        self._prompt = sentence
        self.report(sentence)

    def _tool_changed(self, tool: str) -> None:
        """Check the Note or Area button, however the tool changed (N, A, a click, Esc); the
        prompt of a tool no longer in use goes away."""
        self.note_action.setChecked(tool == PointerTool.NOTE)
        self.area_action.setChecked(tool == PointerTool.AREA)
        if tool == PointerTool.TEXT and self._prompt:
            prompt, self._prompt = self._prompt, ""
            if self._withdraw is not None:
                self._withdraw(prompt)
            elif self.tab.hint.text() == prompt:
                self.tab.hint.clear()

    def _area_selected(self, page: int, rect: Rect) -> None:
        color = self.color
        self._push(
            lambda: cmd.CreateAnnotation(
                self.service,
                self._changed,
                lambda: self.service.create_area(self.item_id, page, tuple(rect), color=color),  # type: ignore[arg-type]
            )
        )
        self.set_tool(PointerTool.TEXT)

    def _point_clicked(self, page: int, point) -> None:
        self.add_note(page, point)
        self.set_tool(PointerTool.TEXT)

    def add_note(self, page: int, point, comment: str = "") -> Annotation | None:
        color = self.color
        command = self._push(
            lambda: cmd.CreateAnnotation(
                self.service,
                self._changed,
                lambda: self.service.create_note(
                    self.item_id, page, tuple(point), comment, color=color
                ),
            )
        )
        if command is None:
            return None
        ann = command.annotation  # type: ignore[attr-defined]
        if not comment:
            self.pane.edit_comment(ann.id)
        return ann

    # ---- changing them ------------------------------------------------------------------------
    def set_comment(self, annotation_id: int, text: str) -> None:
        self._push(
            lambda: cmd.UpdateAnnotation(self.service, self._changed, annotation_id, comment=text)
        )

    def save_typed_comment(self, seen: Annotation, text: str) -> Annotation | None:
        """A comment typed in the pane, saved as it is typed; None when it could not be."""
        session = self.pane.comment_session
        command = self._push(
            lambda: cmd.EditComment(self.service, self._changed, seen, text, session)
        )
        if command is None:
            return None
        if command.notice:  # type: ignore[attr-defined]
            self.report(command.notice)  # type: ignore[attr-defined]
        return command.stored  # type: ignore[attr-defined]

    def flush_typing(self) -> bool:
        """Save the notes and a comment being typed now (tab close, quit)."""
        return self.pane.flush()

    def reload_from_elsewhere(self, annotations_changed: bool) -> None:
        """Take in what another process changed: the notes always, the annotations if asked."""
        self.pane.reload_notes()
        if annotations_changed:
            self.reload()

    def recolor(self, annotation_id: int, color: str) -> None:
        self._push(
            lambda: cmd.UpdateAnnotation(self.service, self._changed, annotation_id, color=color)
        )

    def set_kind(self, annotation_id: int, kind: AnnotationKind) -> None:
        self._push(
            lambda: cmd.UpdateAnnotation(self.service, self._changed, annotation_id, kind=kind)
        )

    def delete(self, annotation_id: int) -> None:
        if self._push(lambda: cmd.DeleteAnnotation(self.service, self._changed, annotation_id)):
            self.report("Deleted — Ctrl+Z brings it back.")

    def rename_meaning(self, color: str) -> None:
        current = self.service.repo.meaning(color)
        name, ok = QInputDialog.getText(
            self.pane, "Colour meaning", "What this colour means:", text=current
        )
        if ok:
            self.set_meaning(color, name)

    def set_meaning(self, color: str, name: str) -> None:
        try:
            self.service.repo.set_meaning(color, name)
        except (ValueError, UserError) as exc:
            self.report(str(exc))
            return
        action = self.color_actions.get(color) if hasattr(self, "color_actions") else None
        if action is not None:
            action.setText(name.strip())
            self._show_color()
        self.reload()

    def _annotation_at(self, page: int, point) -> Annotation | None:
        x, y = point
        for ann in reversed(self._by_page.get(page, [])):
            for x0, y0, x1, y1 in ann.rects:
                if x0 - 1 <= x <= x1 + 1 and y0 - 1 <= y <= y1 + 1:
                    return ann
        return None

    def _context_menu(self, menu: QMenu, page: int, point) -> None:
        """Add highlighting to the viewer's right-click menu."""
        menu.addSeparator()
        view = self.tab.view
        if view is not None and view.selection() is not None:
            menu.addAction(self.highlight_action)
            colours = menu.addMenu("Highlight in colour")
            for p in self.service.repo.palette():
                colours.addAction(
                    swatch(p.color),
                    p.meaning,
                    lambda c=p.color: self.mark(AnnotationKind.HIGHLIGHT, c),
                )
            menu.addAction(self.underline_action)
            menu.addAction(self.strike_action)
            menu.addAction(self.comment_action)
        hit = self._annotation_at(page, point)
        if hit is not None:
            self._overlay_clicked(hit.id)
            own = self.pane.menu_for(hit.id)
            menu.destroyed.connect(own.deleteLater)
            for action in own.actions():
                menu.addAction(action)
        menu.addSeparator()
        menu.addAction("Add sticky note here", lambda: self.add_note(page, point))

    # ---- export -------------------------------------------------------------------------------
    def export_to(self, out: Path | str) -> int | None:
        try:
            count = self.service.export_pdf(self.item_id, out)
        except UserError as exc:
            self.report(str(exc))
            return None
        self.report(f"Wrote {out} with {count} annotation{'s' if count != 1 else ''}.")
        return count

    def export_with_dialog(self) -> None:
        item = self.library.item(self.item_id)
        stem = Path(item.pdf_path or "document.pdf").stem if item else "document"
        choices = self.library.file_choices()
        out, _ = QFileDialog.getSaveFileName(
            self.tab,
            "Export annotated PDF",
            str(choices.folder(FileDialogPurpose.ANNOTATED_PDF) / f"{stem}-annotated.pdf"),
            "PDF (*.pdf)",
        )
        if out:
            choices.remember(FileDialogPurpose.ANNOTATED_PDF, out)
            self.export_to(out if out.lower().endswith(".pdf") else out + ".pdf")


def _union(rects: list[Rect]) -> Rect:
    return (
        min(r[0] for r in rects),
        min(r[1] for r in rects),
        max(r[2] for r in rects),
        max(r[3] for r in rects),
    )
