"""The EEG report as pure data: what each page says, before anything is drawn.

A :class:`ReportModel` follows the ACNS Guideline 7 order: header (institution, patient
or an anonymised ID, recording times, referring information), technical description,
summary of the detections, the whole-night trend figure, the events table, the
reviewer's findings and impression, the reviewer's annotations, the pre/post comparison
with an earlier recording when one was asked for (``comparison``), and one page per
confirmed event with its EEG snapshot and ECAM. The renderer (``app.ui.report``) only
lays these out; every number and every sentence is decided here, so the PDF, the
preview and the JSON summary never disagree.

Arrays (traces, maps) live in ``eq=False`` dataclasses: they are values, compared by
identity.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.core.report.figures import (
    CdsaMap,
    ChannelBars,
    Electrode,
    EventMark,
    HourlyChart,
    ReviewState,
    ShaftStrip,
    SnapshotRequest,
    SnapshotTraces,
    TopoMap,
    TrendFigure,
)
from app.core.report.options import (
    MARGIN_MM,
    PAPER_MM,
    PaperName,
    ReportOptions,
    ReviewerInputs,
    content_width_mm,
)

if TYPE_CHECKING:
    from app.core.compare.report import ComparisonReport

__all__ = [
    "MARGIN_MM",
    "PAPER_MM",
    "Block",
    "CdsaMap",
    "ChannelBars",
    "Electrode",
    "EventMark",
    "EventPage",
    "Field",
    "FieldsSection",
    "HourlyChart",
    "PageBreak",
    "PaperName",
    "ReportCounts",
    "ReportEvent",
    "ReportFooter",
    "ReportHeader",
    "ReportModel",
    "ReportOptions",
    "ReviewState",
    "ReviewerInputs",
    "ShaftStrip",
    "SnapshotRequest",
    "SnapshotTraces",
    "Table",
    "TextSection",
    "TopoMap",
    "TrendFigure",
    "content_width_mm",
]


@dataclass(frozen=True, slots=True)
class Field:
    """One labelled value (``Recording start`` → ``2024-01-01 22:00:00``)."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class FieldsSection:
    """A titled list of labelled values, drawn as a two-column grid."""

    title: str
    fields: tuple[Field, ...]


@dataclass(frozen=True, slots=True)
class TextSection:
    """A titled block of paragraphs (findings, impression, the review statement)."""

    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Table:
    """A table that may continue over pages (its header is repeated).

    ``widths`` are relative column widths; ``right`` the columns aligned right (numbers).
    ``empty`` is printed instead of the rows when there are none. ``marked`` rows are
    highlighted (treated contacts in a comparison).
    """

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    right: tuple[int, ...] = ()
    empty: str = "None."
    note: str = ""
    marked: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class PageBreak:
    """Start the next block on a new page."""


Block = FieldsSection | TextSection | Table | HourlyChart | TrendFigure | PageBreak


@dataclass(frozen=True, slots=True)
class ReportEvent:
    """One seizure in the report: detected by the model, or marked by the reviewer.

    ``probability`` is the peak seizure probability (None for a reviewer-marked seizure
    the model did not detect); ``clock`` the wall-clock onset (elapsed time when the
    recording has no start time).
    """

    number: int
    onset_s: float
    duration_s: float
    clock: str
    probability: float | None
    type_label: str
    type_source: str
    channels: tuple[str, ...]
    review: ReviewState
    lateralisation: str = "unknown"

    @property
    def confirmed(self) -> bool:
        return self.review in ("accepted", "reviewer")


@dataclass(frozen=True, slots=True, eq=False)
class EventPage:
    """One event's page: facts, snapshot, ECAM maps and bars, overlapping annotations."""

    event: ReportEvent
    title: str
    facts: tuple[Field, ...]
    request: SnapshotRequest
    traces: SnapshotTraces | None
    maps: tuple[TopoMap, ...]
    bars: ChannelBars | None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ReportHeader:
    """What the top of the first page says; ``running`` heads every later page."""

    title: str
    institution: str
    subtitle: str
    patient: tuple[Field, ...]
    recording: tuple[Field, ...]
    referral: tuple[Field, ...]
    running: str


@dataclass(frozen=True, slots=True)
class ReportFooter:
    """Every page's footer: generation time, software version, the review statement."""

    generated: str
    software: str
    statement: str


@dataclass(frozen=True, slots=True)
class ReportCounts:
    """The headline numbers (also in the JSON summary)."""

    detected: int
    confirmed: int
    rejected: int
    unreviewed: int
    reviewer_marked: int
    seizure_time_s: float
    longest_s: float
    events_per_hour: float


@dataclass(frozen=True, slots=True, eq=False)
class ReportModel:
    """The whole report. ``document_title`` goes into the PDF metadata (never a name).

    ``comparison``: the pre/post comparison section (this recording as "after"), None
    when the report was not asked to compare.
    """

    paper: PaperName
    document_title: str
    header: ReportHeader
    body: tuple[Block, ...]
    event_pages: tuple[EventPage, ...]
    footer: ReportFooter
    events: tuple[ReportEvent, ...]
    counts: ReportCounts
    anonymised: bool
    duration_s: float = 0.0
    start_iso: str = ""
    model: dict[str, str] = field(default_factory=dict)
    comparison: ComparisonReport | None = None
