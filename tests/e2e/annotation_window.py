"""The annotation review of a real main window (attached here until the window has one)."""

from __future__ import annotations

from app.ui.annotation_review import AnnotationReview


def review_of(window) -> AnnotationReview:
    """``window.annotations`` once the window builds it; attached by the test until then."""
    review = getattr(window, "annotations", None)
    if not isinstance(review, AnnotationReview):
        review = AnnotationReview.attach(window)
        window.annotations = review
    return review
