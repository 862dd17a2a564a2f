"""What the analysis leads to from the review window: the report, the comparison, and the
treated contacts.

- File → Export report…: the report dialog on what the window holds (the results as
  drawn, the trends panel's CDSA, the institution remembered in the settings);
- File → Compare with…: the compare window with this recording as PRE and a chosen POST
  (the treated contacts go with it);
- Montage → Treated contacts…: contacts typed as the surgeon writes them (``B'1-3, TP2``),
  marked behind their traces and kept in the session file (``treated`` group).
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from app.core.errors import IctalError

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from app.core.analysis import Analysis
    from app.core.session import Session
    from app.ui.compare_treated_item import TreatedBandsItem
    from app.ui.main_window import MainWindow

log = logging.getLogger(__name__)
TREATED_GROUP = "treated"


def read_treated(session: Session | None) -> tuple[str, ...]:
    """The treated contacts stored in ``session`` (() when none or unreadable)."""
    if session is None:
        return ()
    try:
        group = session.read_group(TREATED_GROUP)
        names = json.loads(str(group.attrs.get("contacts", "[]"))) if group is not None else []
    except (OSError, ValueError) as exc:
        log.warning("treated contacts not read: %s", exc)
        return ()
    return tuple(str(n) for n in names)


class AnalysisExtras(QObject):
    """Report, comparison and treated contacts for the window's recording."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.treated: tuple[str, ...] = ()
        self._bands: TreatedBandsItem | None = None
        self.compare_windows: list[QWidget] = []
        self.report_dialog: QWidget | None = None

    # --- the report ---------------------------------------------------------------------
    def export_report(self, analysis: Analysis | None) -> None:
        from app.ui.report_dialog import open_report_dialog  # noqa: PLC0415 - lazy: rarely used

        w = self.window
        if w.recording is None:
            return
        dialog = open_report_dialog(
            w,
            w.recording,
            w.prompter,
            session=w.annotations.session,
            analysis=analysis,
            trends=w.trends_dock.job.trends,
            institution=w.settings.report_institution,
        )
        dialog.accepted.connect(lambda: self._remember_institution(dialog))
        self.report_dialog = dialog

    def _remember_institution(self, dialog: object) -> None:
        text = dialog.lines["institution"].text().strip()  # type: ignore[attr-defined]
        self.window.settings = replace(self.window.settings, report_institution=text)

    # --- the comparison -----------------------------------------------------------------
    def compare_with(self) -> None:
        from app.ui.compare_launch import start_compare_window  # noqa: PLC0415 - lazy

        w = self.window
        if w.recording is None:
            return
        pre = Path(w.recording.info.path)
        post = w.prompter.open_path(w, str(pre.parent))
        if not post:
            return
        window = start_compare_window(pre, post, treated=self.treated, prompter=w.prompter)
        self.compare_windows.append(window)
        window.destroyed.connect(lambda _obj=None, cw=window: self._forget(cw))

    def _forget(self, window: QWidget) -> None:
        if window in self.compare_windows:
            self.compare_windows.remove(window)

    def close(self) -> None:
        for window in list(self.compare_windows):
            window.close()
        self.compare_windows.clear()

    # --- treated contacts ---------------------------------------------------------------
    @property
    def bands(self) -> TreatedBandsItem:
        """The bands behind treated traces (made on first use: the comparison package
        loads scipy.signal, which the way to the first page does without)."""
        if self._bands is None:
            from app.ui.compare_treated_item import TreatedBandsItem  # noqa: PLC0415

            self._bands = TreatedBandsItem.attach(self.window.trace_view)
        return self._bands

    def load_treated(self, session: Session | None) -> None:
        self.treated = read_treated(session)
        if self.treated or self._bands is not None:
            self.bands.set_treated(self.treated)

    def ask_treated(self) -> None:
        from app.core.compare.seeg import parse_treated  # noqa: PLC0415 - lazy

        w = self.window
        if w.recording is None:
            return
        text = w.prompter.ask_label(
            w, w.tr("Treated (coagulated) contacts, e.g. B'1-3, TP2"), ", ".join(self.treated), []
        )
        if text is None:
            return
        try:
            self.set_treated(parse_treated(text))
        except IctalError as exc:
            w.prompter.error(w, w.tr("Treated contacts"), f"{exc.what} : {exc.why}")

    def set_treated(self, names: tuple[str, ...]) -> None:
        """Mark ``names`` on the traces and keep them in the session file."""
        self.treated = tuple(names)
        self.bands.set_treated(self.treated)
        session = self.window.annotations.session
        if session is None:
            return
        try:
            contacts = json.dumps(list(self.treated), ensure_ascii=False)
            session.write_group(TREATED_GROUP, {}, {"contacts": contacts})
        except (OSError, IctalError, ValueError) as exc:
            log.error("treated contacts not saved: %s", exc)
            self.window.statusBar().showMessage(str(exc), 8000)
        if self.treated:
            message = self.window.tr("Treated: %1").replace("%1", ", ".join(self.treated))
            self.window.statusBar().showMessage(message, 8000)
