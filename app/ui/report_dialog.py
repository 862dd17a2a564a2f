"""File → Export report…: the reviewer's text, the report options, and a page preview.

The left side holds what only the reviewer knows (institution, referral, findings,
impression) and the options (anonymise, pages for unreviewed detections, paper,
montage); the right side previews every page as it will print, redrawn on request in
the background. Export asks for the PDF path through the window's prompter and writes
the PDF with its JSON summary and events.tsv beside it. (QtPdf is not part of
PySide6-Essentials, so the preview draws the same pages onto images.)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.core.recording import Recording
from app.core.report.model import PaperName, ReportOptions, ReviewerInputs
from app.core.report.sources import ReportSources, TrendsLike, load_sources
from app.ui.prompter import Prompter
from app.ui.report.jobs import Exported, Preview, ReportRequest, export_job, preview_job
from app.workers.job import JobRunner

if TYPE_CHECKING:
    from app.core.analysis import Analysis
    from app.core.session import Session

_LINES = (
    "institution",
    "department",
    "referring_physician",
    "indication",
    "medication",
    "reviewer",
)
_TEXTS = ("findings", "impression", "clinical_correlation")


class ReportDialog(QDialog):
    """The report of one recording: fill in, preview, export."""

    def __init__(
        self,
        recording: Recording,
        sources: ReportSources,
        prompter: Prompter,
        *,
        reviewer: ReviewerInputs | None = None,
        montages: Sequence[tuple[str, str]] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.recording, self.sources, self.prompter = recording, sources, prompter
        self.exported: Exported | None = None
        self.preview: Preview | None = None
        self._runner = JobRunner(parent=self)
        self._build_inputs(reviewer or ReviewerInputs(), montages)
        self._build_preview()
        self._build_layout()
        self._connect()
        self.setWindowTitle(self.tr("Export report"))
        self.resize(1100, 800)

    # --- building -----------------------------------------------------------------------
    def _build_inputs(self, reviewer: ReviewerInputs, montages: Sequence[tuple[str, str]]) -> None:
        labels = {
            "institution": self.tr("Institution"),
            "department": self.tr("Department"),
            "referring_physician": self.tr("Referring physician"),
            "indication": self.tr("Indication"),
            "medication": self.tr("Medication"),
            "reviewer": self.tr("Interpreting physician"),
            "findings": self.tr("Findings"),
            "impression": self.tr("Impression"),
            "clinical_correlation": self.tr("Clinical correlation"),
        }
        self.form = QFormLayout()
        self.lines = {key: QLineEdit(getattr(reviewer, key)) for key in _LINES}
        self.texts = {key: QPlainTextEdit(getattr(reviewer, key)) for key in _TEXTS}
        for key in (*_LINES, *_TEXTS):
            widget = self.lines.get(key) or self.texts[key]
            widget.setObjectName(key)
            self.form.addRow(labels[key], widget)
        self.anonymise = QCheckBox(self.tr("Anonymise (no patient name, ID or birth date)"))
        self.unreviewed = QCheckBox(self.tr("Pages for unreviewed detections"))
        self.paper = QComboBox()
        self.paper.addItems(["A4", "Letter"])
        self.montage = QComboBox()
        self.montage.addItem(self.tr("Recording default"), None)
        for key, name in montages:
            self.montage.addItem(name, key)
        self.form.addRow(self.tr("Paper"), self.paper)
        self.form.addRow(self.tr("Montage"), self.montage)
        self.form.addRow(self.anonymise)
        self.form.addRow(self.unreviewed)

    def _build_preview(self) -> None:
        self.pages_widget = QWidget()
        self.pages_layout = QVBoxLayout(self.pages_widget)
        self.page_scroll = QScrollArea()
        self.page_scroll.setWidget(self.pages_widget)
        self.page_scroll.setWidgetResizable(True)
        self.status = QLabel(self.tr("Preview: press Update."))
        self.update_button = QPushButton(self.tr("&Update preview"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton(
            self.tr("&Export PDF…"), QDialogButtonBox.ButtonRole.AcceptRole
        )

    def _build_layout(self) -> None:
        left = QWidget()
        left.setLayout(self.form)
        right = QVBoxLayout()
        right.addWidget(self.page_scroll, 1)
        right.addWidget(self.status)
        row = QHBoxLayout()
        row.addWidget(left, 2)
        row.addLayout(right, 3)
        outer = QVBoxLayout(self)
        outer.addLayout(row, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.update_button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        outer.addLayout(bottom)

    def _connect(self) -> None:
        self.update_button.clicked.connect(self.refresh_preview)
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)
        self._runner.finished.connect(self._on_finished)
        self._runner.failed.connect(self._on_failed)

    # --- values -------------------------------------------------------------------------
    def reviewer_inputs(self) -> ReviewerInputs:
        values = {key: w.text().strip() for key, w in self.lines.items()}
        values.update({key: w.toPlainText().strip() for key, w in self.texts.items()})
        return ReviewerInputs(**values)

    def options(self) -> ReportOptions:
        paper: PaperName = "Letter" if self.paper.currentText() == "Letter" else "A4"
        return ReportOptions(
            anonymise=self.anonymise.isChecked(),
            include_unreviewed=self.unreviewed.isChecked(),
            paper=paper,
            montage=self.montage.currentData(),
        )

    def request(self) -> ReportRequest:
        return ReportRequest(self.recording, self.sources, self.reviewer_inputs(), self.options())

    def is_busy(self) -> bool:
        return self._runner.is_running()

    # --- actions ------------------------------------------------------------------------
    def refresh_preview(self) -> None:
        self.status.setText(self.tr("Drawing the preview…"))
        self._runner.start(preview_job, self.request())

    def export(self) -> None:
        stem = Path(self.recording.info.path).stem
        suggested = "report.pdf" if self.anonymise.isChecked() else f"{stem}_report.pdf"
        folder = Path(self.recording.info.path).parent
        path = self.prompter.ask_save_path(
            self, self.tr("Export report"), str(folder / suggested), "PDF (*.pdf)"
        )
        if not path:
            return
        target = Path(path) if path.lower().endswith(".pdf") else Path(path + ".pdf")
        self.status.setText(self.tr("Writing %1…").replace("%1", target.name))
        self._runner.start(export_job, self.request(), target)

    def _on_finished(self, _request: int, result: object) -> None:
        if isinstance(result, Preview):
            self._show(result)
        elif isinstance(result, Exported):
            self.exported = result
            self.status.setText(
                self.tr("Wrote %1 (%2 pages)")
                .replace("%1", str(result.pdf))
                .replace("%2", str(result.pages))
            )
            self.accept()

    def _on_failed(self, _request: int, error: object) -> None:
        self.status.setText(self.tr("Failed."))
        self.prompter.error(self, self.tr("Report"), str(error))

    def _show(self, preview: Preview) -> None:
        self.preview = preview
        while self.pages_layout.count():
            item = self.pages_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for image in preview.images:
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            self.pages_layout.addWidget(label)
        self.status.setText(self.tr("%1 pages").replace("%1", str(len(preview.images))))

    def done(self, result: int) -> None:
        self._runner.shutdown()
        super().done(result)


def open_report_dialog(
    parent: QWidget,
    recording: Recording,
    prompter: Prompter,
    *,
    session: Session | None = None,
    analysis: Analysis | None = None,
    trends: TrendsLike | None = None,
    institution: str = "",
) -> ReportDialog:
    """Open the dialog (non-modal) on what the window holds, and start the first preview.

    ``analysis`` is copied (the analysis job may still be filling it); ``trends`` are the
    trends panel's (None: the session's cached trends, never computed here).
    """
    from app.core.montage import available_montages  # noqa: PLC0415 - scipy, loaded already

    frozen = analysis.copy() if analysis is not None else None
    sources = load_sources(recording, session, frozen, trends=False)
    if trends is not None:
        sources = dataclasses.replace(sources, trends=trends)
    montages = [(o.key, o.name) for o in available_montages(recording.channels)]
    dialog = ReportDialog(
        recording,
        sources,
        prompter,
        reviewer=ReviewerInputs(institution=institution),
        montages=montages,
        parent=parent,
    )
    dialog.open()
    dialog.refresh_preview()
    return dialog
