"""The comparison as a background job (the one job pattern of ``app.workers.job``).

Both recordings are opened by the job itself (separate handles from the panes' page
loaders), streamed and measured; the job returns the two recordings' metrics and the
window compares them on the GUI thread (milliseconds), so changing the treated contacts
never recomputes the metrics.
"""

from __future__ import annotations

from app.core.compare.metrics import RecordingMetrics
from app.core.compare.run import CompareOptions, compare_metrics
from app.core.compare.source import CompareCancelled
from app.workers.job import JobInterrupted, TaskState


def metrics_job(
    state: TaskState, pre: str, post: str, options: CompareOptions
) -> tuple[RecordingMetrics, RecordingMetrics]:
    """Job: both recordings' metrics; progress in [0, 1]; stops between chunks."""
    try:
        return compare_metrics(
            pre,
            post,
            options,
            progress=state.set_progress,
            should_stop=state.is_interruption_requested,
        )
    except CompareCancelled as exc:
        raise JobInterrupted from exc
