"""The annotation commands, their keys, and the right-click menus on the traces.

Preset keys (free in the viewer's key map: N/P navigate, F-keys are montages):
S Seizure, K spiKe, A Artefact, L sLeep, T free Text; Delete removes the selected
annotation, Esc drops the drag selection; Ctrl+Z / Ctrl+Shift+Z (or Ctrl+Y) undo/redo.
The stored labels stay in English (they are data: BIDS exports, the overview's seizure
marks); menus show them translated.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMenu, QWidget

from app.ui.annotation_editor import AnnotationEditor, TraceRow


@dataclass(frozen=True, slots=True)
class Preset:
    """A hotkey annotation: the stored label ('' asks for text) and its length at a point."""

    key: str
    label: str
    duration_s: float


PRESETS = (
    Preset("S", "Seizure", 10.0),
    Preset("K", "Spike", 0.0),
    Preset("A", "Artefact", 2.0),
    Preset("L", "Sleep", 30.0),
    Preset("T", "", 0.0),
)


class AnnotationActions(QObject):
    """Every annotation action, added to ``window`` so its keys work anywhere in it."""

    def __init__(self, window: QWidget, undo_stack: QUndoStack) -> None:
        super().__init__(window)
        self._window = window
        tr = self.tr
        self.names = {
            "Seizure": tr("Seizure"),
            "Spike": tr("Spike"),
            "Artefact": tr("Artefact"),
            "Sleep": tr("Sleep"),
            "": tr("Other text…"),
        }
        self.presets: list[tuple[Preset, QAction]] = [
            (p, self._action(self.names[p.label], [p.key])) for p in PRESETS
        ]
        self.undo = undo_stack.createUndoAction(self, tr("&Undo"))
        self.redo = undo_stack.createRedoAction(self, tr("&Redo"))
        for action, keys in ((self.undo, ["Ctrl+Z"]), (self.redo, ["Ctrl+Shift+Z", "Ctrl+Y"])):
            self._register(action, keys)
        self.delete = self._action(tr("&Delete annotation"), ["Delete", "Backspace"])
        self.cancel = self._action(tr("Clear selection"), ["Escape"])
        self.export_bids = self._action(tr("Export annotations as BIDS events.tsv…"), [])
        self.export_edf = self._action(tr("Export recording as EDF+ with annotations…"), [])
        self.menu = self._build_menu()

    def _action(self, text: str, keys: list[str]) -> QAction:
        action = QAction(text, self._window)
        self._register(action, keys)
        return action

    def _register(self, action: QAction, keys: list[str]) -> None:
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self._window.addAction(action)

    def _build_menu(self) -> QMenu:
        menu = QMenu(self.tr("&Annotations"), self._window)
        menu.addAction(self.undo)
        menu.addAction(self.redo)
        menu.addSeparator()
        for _, action in self.presets:
            menu.addAction(action)
        menu.addAction(self.delete)
        menu.addAction(self.cancel)
        menu.addSeparator()
        menu.addAction(self.export_bids)
        menu.addAction(self.export_edf)
        return menu

    def preset_for(self, label: str) -> Preset | None:
        return next((p for p, _ in self.presets if p.label == label), None)


def annotation_menu(
    parent: QWidget,
    editor: AnnotationEditor,
    annotation_id: str,
    *,
    row: TraceRow | None,
    names: Mapping[str, str],
    ask_label: Callable[[str], None],
) -> QMenu:
    """Right click on an annotation: relabel, make channel-specific or whole, delete."""
    tr = parent.tr
    menu = QMenu(parent)
    assert editor.model is not None
    entry = editor.model.get(annotation_id)
    relabel = menu.addMenu(tr("Relabel"))
    for preset in PRESETS:
        if preset.label:
            relabel.addAction(names.get(preset.label, preset.label)).triggered.connect(
                lambda _c=False, label=preset.label: editor.relabel(annotation_id, label)
            )
    relabel.addAction(tr("Other text…")).triggered.connect(lambda: ask_label(annotation_id))
    if row is not None and entry.channels != (row.label,):
        menu.addAction(tr("Only on %1").replace("%1", row.label)).triggered.connect(
            lambda: editor.set_channels(annotation_id, (row.label,))
        )
    if entry.channels:
        menu.addAction(tr("All channels")).triggered.connect(
            lambda: editor.set_channels(annotation_id, ())
        )
    menu.addSeparator()
    menu.addAction(tr("Delete")).triggered.connect(lambda: editor.delete(annotation_id))
    return menu


def selection_menu(
    parent: QWidget,
    editor: AnnotationEditor,
    names: Mapping[str, str],
    ask_text: Callable[[], None],
) -> QMenu:
    """Right click on a drag selection: annotate it with a preset or free text."""
    tr = parent.tr
    menu = QMenu(parent)
    for preset in PRESETS:
        if preset.label:
            text = tr("Mark as %1").replace("%1", names.get(preset.label, preset.label))
            menu.addAction(text).triggered.connect(
                lambda _c=False, label=preset.label: editor.create(label)
            )
    menu.addAction(tr("Other text…")).triggered.connect(ask_text)
    menu.addSeparator()
    menu.addAction(tr("Clear selection")).triggered.connect(editor.clear_selection)
    return menu
