"""How a report is made: paper, options, and what the reviewer types in.

Paper geometry lives here (pure numbers, mm) because the model fixes the snapshot
scale: the renderer draws exactly the timebase and sensitivity the report states.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from app.core.filters import FilterSettings

PaperName = Literal["A4", "Letter"]

#: Paper sizes (width, height) in millimetres, portrait.
PAPER_MM: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
#: Page margins (left/right, top/bottom) in millimetres.
MARGIN_MM = 15.0


def content_width_mm(paper: str) -> float:
    """Width of the printable column between the margins."""
    return PAPER_MM[paper][0] - 2 * MARGIN_MM


@dataclass(frozen=True, slots=True)
class ReviewerInputs:
    """What the reviewer types in the report dialog (or passes on the command line)."""

    institution: str = ""
    department: str = ""
    referring_physician: str = ""
    indication: str = ""
    medication: str = ""
    reviewer: str = ""
    findings: str = ""
    impression: str = ""
    clinical_correlation: str = ""


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """How the report is made.

    ``include_unreviewed`` adds a snapshot page for every detection nobody reviewed
    (confirmed events always get one). ``montage`` None: the recording's default montage.
    ``sensitivity_uv_mm`` None: chosen per snapshot from the standard steps so the
    background is legible. ``anonymous_id`` empty: derived from the recording fingerprint.
    """

    anonymise: bool = False
    include_unreviewed: bool = False
    paper: PaperName = "A4"
    montage: str | None = None
    filters: FilterSettings = field(default_factory=FilterSettings)
    pre_s: float = 10.0
    post_s: float = 15.0
    sensitivity_uv_mm: float | None = None
    anonymous_id: str = ""
    max_event_pages: int = 60
