"""The report dialog's background jobs (the one job pattern): preview and export.

Both build the report model first (reading each event's snapshot seconds from the
recording, whose reads are serialised, so the page loader can share it), then draw:
page images for the preview, or the PDF and its companion files. They return values
and never touch a widget.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QImage

from app.core.recording import Recording
from app.core.report.build import build_report
from app.core.report.export import write_companions
from app.core.report.model import ReportModel, ReportOptions, ReviewerInputs
from app.core.report.sources import ReportSources
from app.ui.report.renderer import render_images, write_pdf
from app.workers.job import JobInterrupted, TaskState

PREVIEW_DPI = 50.0


@dataclass(frozen=True, slots=True, eq=False)
class ReportRequest:
    """Everything a report is built from."""

    recording: Recording
    sources: ReportSources
    reviewer: ReviewerInputs
    options: ReportOptions

    def build(self) -> ReportModel:
        return build_report(self.recording, self.sources, self.reviewer, self.options)


@dataclass(frozen=True, slots=True, eq=False)
class Preview:
    model: ReportModel
    images: tuple[QImage, ...]


@dataclass(frozen=True, slots=True)
class Exported:
    pdf: Path
    pages: int
    json: Path
    events_tsv: Path


def preview_job(state: TaskState, request: ReportRequest, dpi: float = PREVIEW_DPI) -> Preview:
    model = request.build()
    state.set_progress(0.5)
    if state.is_interruption_requested():
        raise JobInterrupted
    return Preview(model, tuple(render_images(model, dpi)))


def export_job(state: TaskState, request: ReportRequest, target: Path) -> Exported:
    model = request.build()
    state.set_progress(0.3)
    pages = write_pdf(model, target)
    written = write_companions(model, target, pages, protect=(request.recording.info.path,))
    return Exported(target, pages, written["json"], written["events_tsv"])
