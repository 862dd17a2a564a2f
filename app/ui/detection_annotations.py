"""An accepted detection is an annotation: ``Seizure (confirmed)`` over its span.

Accepting pushes an ordinary, undoable annotation edit onto the annotations' undo stack,
so it is autosaved, exported (EDF+, BIDS) and reported like any reviewer annotation.
Withdrawing an acceptance (reject or leave) removes the confirmation the acceptance
made: the ``Seizure (confirmed)`` annotations by the reviewer that overlap the event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.core.annotation import Annotation
from app.core.annotation_model import REVIEWER_SOURCE
from app.ui.annotation_commands import AddAnnotationCommand, RemoveAnnotationCommand

if TYPE_CHECKING:
    from app.ui.annotation_review import AnnotationReview

CONFIRMED = "Seizure (confirmed)"


def _overlapping(review: AnnotationReview, onset_s: float, end_s: float) -> list[str]:
    model = review.model
    if model is None:
        return []
    return [
        entry.id
        for entry in model
        if entry.origin == "reviewer"
        and entry.description == CONFIRMED
        and min(entry.onset + entry.duration, end_s) > max(entry.onset, onset_s)
    ]


def confirm(review: AnnotationReview, onset_s: float, end_s: float) -> str | None:
    """Annotate ``[onset_s, end_s)`` as a confirmed seizure (once); its id, or None when
    annotations cannot be edited (no session file)."""
    model = review.model
    if model is None or review.editor.read_only:
        return None
    existing = _overlapping(review, onset_s, end_s)
    if existing:
        return existing[0]
    onset = max(0.0, onset_s)
    end = min(end_s, review.duration_s) if review.duration_s > 0 else end_s
    annotation = Annotation(onset, max(0.0, end - onset), CONFIRMED, (), REVIEWER_SOURCE)
    text = review.tr("Accept detection at %1 s").replace("%1", f"{onset:.0f}")
    command = AddAnnotationCommand(model, annotation, text)
    review.undo_stack.push(command)
    return command.annotation_id


def withdraw(review: AnnotationReview, onset_s: float, end_s: float) -> int:
    """Remove the confirmations overlapping ``[onset_s, end_s)``; how many were removed."""
    model = review.model
    if model is None or review.editor.read_only:
        return 0
    ids = _overlapping(review, onset_s, end_s)
    for annotation_id in ids:
        text = review.tr("Withdraw “%1”").replace("%1", CONFIRMED)
        review.undo_stack.push(RemoveAnnotationCommand(model, annotation_id, text))
    return len(ids)
