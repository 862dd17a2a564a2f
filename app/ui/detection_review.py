"""The reviewer's work on the detections: thresholds, decisions, navigation.

Holds the event parameters and the review decisions of the open recording (read from
and written to its session file, per model), shows the events it is given in the
detections dock, and carries out what the reviewer asks there or with the keys:
Accept (the annotation ``Seizure (confirmed)`` over the event's span, corrected in the
dock if the reviewer moved its boundaries), Reject, Leave, next/previous detection.
``changed`` asks the analysis controller to recompute the events (thresholds or
decisions changed); decisions are saved at once, threshold changes shortly after the
last one.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.errors import IctalError
from app.core.events import Event, EventParams, Review, ReviewState, set_review
from app.core.viewport import ANNOTATION_LEAD
from app.ui import detection_annotations
from app.ui.events_dock import EventsDock

if TYPE_CHECKING:
    from app.core.analysis import Analysis
    from app.ui.main_window import MainWindow

log = logging.getLogger(__name__)
SAVE_MS = 600


class DetectionReview(QObject):
    """Thresholds, review decisions and the detections dock of one window."""

    changed = Signal()  # thresholds or decisions changed: recompute the events

    def __init__(self, window: MainWindow, dock: EventsDock) -> None:
        super().__init__(window)
        self.window, self.dock = window, dock
        self.params = EventParams()
        self.reviews: tuple[Review, ...] = ()
        self.events: tuple[Event, ...] = ()
        self.model = ""
        self.enabled = False  # a session is read: decisions may be saved
        self._raised = False
        self._save = QTimer(self)
        self._save.setSingleShot(True)
        self._save.setInterval(SAVE_MS)
        self._save.timeout.connect(self.save)
        dock.jump_requested.connect(self.jump_to)
        dock.review_requested.connect(self.review)
        dock.step_requested.connect(self.step)
        dock.params_changed.connect(self.set_params)

    # --- the recording ------------------------------------------------------------------
    def load(self, model: str) -> None:
        """Thresholds and decisions of ``model`` from the window's session file."""
        from app.core.analysis_store import load_event_params, load_reviews  # noqa: PLC0415

        session = self.window.annotations.session
        self.model, self.enabled = model, True
        self.params = load_event_params(session, model) if session is not None else EventParams()
        self.reviews = load_reviews(session, model) if session is not None else ()
        self.dock.set_params(self.params)

    def clear(self) -> None:
        """Another recording is opening: save and forget this one's decisions."""
        self.flush()
        self.enabled, self._raised = False, False
        self.reviews, self.events = (), ()

    def show_events(self, events: Sequence[Event], analysis: Analysis | None) -> None:
        """Show ``events`` in the dock (raised the first time there are some)."""
        self.events = tuple(events)
        self.dock.set_events(self.events, self._start_time(), self.summary(analysis))
        if self.events and not self._raised:
            self._raised = True
            self.dock.raise_()

    def summary(self, analysis: Analysis | None) -> str:
        if analysis is None:
            return self.tr("No analysis yet")
        n = len(self.events)
        accepted = sum(e.review == "accepted" for e in self.events)
        rejected = sum(e.review == "rejected" for e in self.events)
        found = self.tr("1 detection") if n == 1 else self.tr("%1 detections").replace("%1", str(n))
        text = (
            self.tr("%1 · %2 accepted · %3 rejected · model %4")
            .replace("%1", found)
            .replace("%2", str(accepted))
            .replace("%3", str(rejected))
            .replace("%4", analysis.model.name)
        )
        if not analysis.complete:
            text += " · " + self.tr("%1 % analysed").replace("%1", f"{100 * analysis.fraction:.0f}")
        return text

    # --- reviewer actions ---------------------------------------------------------------
    def set_params(self, params: EventParams) -> None:
        """New thresholds: events recomputed now, saved shortly after the last change."""
        self.params = params
        self.dock.set_params(params)
        self.changed.emit()
        self._save.start()

    def review(self, event: Event, state: ReviewState) -> None:
        """Accept (annotate), reject or leave ``event``; the decision is saved at once."""
        annotations = self.window.annotations
        on, end = self.dock.span(event)
        if state == "accepted":
            if detection_annotations.confirm(annotations, on, end) is None:
                self._message(self.tr("Not annotated: the session file is not open"))
        elif event.review == "accepted":
            detection_annotations.withdraw(
                annotations, min(on, event.onset_s), max(end, event.end_s)
            )
        self.reviews = set_review(self.reviews, event, state, time.time())
        self.save()
        self.changed.emit()

    def review_selected(self, state: ReviewState) -> None:
        event = self.dock.selected
        if event is not None:
            self.review(event, state)

    def step(self, direction: int) -> Event | None:
        """Select and show the next (1) or previous (-1) detection."""
        events = sorted(self.events, key=lambda e: e.onset_s)
        selected = self.dock.selected
        vm = self.window.viewport
        ref = selected.onset_s if selected else vm.start_s + ANNOTATION_LEAD * vm.page_s
        if direction > 0:
            found = next((e for e in events if e.onset_s > ref + 1e-6), None)
        else:
            found = next((e for e in reversed(events) if e.onset_s < ref - 1e-6), None)
        if found is None:
            self._message(self.tr("No more detections"))
            return None
        self.dock.select(found)
        self.jump_to(self.dock.span(found)[0])
        return found

    def jump_to(self, onset_s: float) -> None:
        """Show ``onset_s`` a quarter page from the left, as for annotations."""
        vm = self.window.viewport
        vm.set_start(onset_s - ANNOTATION_LEAD * vm.page_s)

    def follow_page(self) -> None:
        """Select the detection on screen when the selected one is not (the map follows)."""
        selected = self.dock.selected
        if self.window.page is None or not self.events:
            return
        vm = self.window.viewport  # where the page is going (the drawn one may lag a jump)
        start, end = vm.start_s, vm.start_s + vm.page_s
        if selected is not None and selected.onset_s < end and selected.end_s > start:
            return
        here = next((e for e in self.events if e.onset_s < end and e.end_s > start), None)
        if here is not None:
            self.dock.select(here)

    # --- saving -------------------------------------------------------------------------
    def save(self) -> None:
        """Write the decisions and thresholds to the session file."""
        from app.core.analysis_store import save_reviews  # noqa: PLC0415 - h5py

        self._save.stop()
        session = self.window.annotations.session
        if session is None or not self.enabled:
            return
        try:
            save_reviews(session, self.model, self.reviews, self.params)
        except (OSError, ValueError, IctalError) as exc:
            log.error("reviews not saved: %s", exc)
            self._message(self.tr("Reviews NOT saved: %1").replace("%1", str(exc)))

    def flush(self) -> None:
        """Write what waits to be saved (thresholds changed a moment ago)."""
        if self._save.isActive():
            self.save()

    def _message(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 8000)

    def _start_time(self) -> dt.datetime | None:
        recording = self.window.recording
        return recording.info.start if recording is not None else None
