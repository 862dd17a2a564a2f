"""Analysis results in the session file: ``/analysis/<model>/...`` (schema in ARCHITECTURE.md).

Per model: ``prob`` [seconds] and ``channel_prob`` [channels x seconds] (float16, NaN
where not computed yet), ``pattern_scores`` and ``type_scores`` [seconds x classes], the
``events`` table (with the derived onset type of each event), ``meta`` attributes (model
name, version, checkpoint SHA-256, input channels and montage, recording fingerprint,
``done_s``, and the session's ``complete`` flag) and the reviewer's decisions in
``review/table``. Results are only offered back for the same recording fingerprint and
the same checkpoint checksum: a retrained model never shows an old model's events as its
own. ``complete`` is written true only by the final write of a finished run.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from app.core.analysis import Analysis, ModelInfo
from app.core.events import REVIEW_STATES, Event, EventParams, Review, ReviewState

if TYPE_CHECKING:
    from app.core.session import Session

log = logging.getLogger(__name__)

REVIEW_GROUP = "review"
_ARRAYS = ("prob", "channel_prob", "pattern_scores", "type_scores")


def model_id(name: str | Path | None) -> str:
    """The name results are stored under: a shipped model's name or a folder's name."""
    from models.api import DEFAULT_MODEL  # noqa: PLC0415 - models.api imports no torch

    if name is None or str(name) == "":
        return DEFAULT_MODEL
    return Path(name).name


def expected_checkpoint_sha256(name: str | Path | None) -> str | None:
    """The SHA-256 a model's checkpoint declares (its ``config.json``), without loading it.

    None when the model is not installed or its config is unreadable: then no stored
    result can be confirmed as this model's.
    """
    from models.api import DEFAULT_MODEL, WEIGHTS_DIR  # noqa: PLC0415 - no torch

    path = Path(name) if name else Path(DEFAULT_MODEL)
    folder = path if path.is_dir() else WEIGHTS_DIR / str(name or DEFAULT_MODEL)
    try:
        meta = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        return str(meta["weights"]["sha256"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


# --- results --------------------------------------------------------------------------
def _meta(analysis: Analysis, params: EventParams) -> dict[str, Any]:
    m = analysis.model
    return {
        "model_name": m.model_name,
        "model_version": m.version,
        "checkpoint_sha256": m.checkpoint_sha256,
        "heads_trained": json.dumps(list(m.heads_trained)),
        "pattern_classes": json.dumps(list(m.pattern_classes)),
        "type_classes": json.dumps(list(m.type_classes)),
        "channel_names": json.dumps(list(analysis.channel_names), ensure_ascii=False),
        "input_montage": analysis.montage,
        "fingerprint": analysis.fingerprint,
        "n_seconds": analysis.n_seconds,
        "done_s": analysis.done_s,
        "elapsed_s": analysis.elapsed_s,
        "created": time.time(),
        **_params_attrs(params),
    }


def save_analysis(
    session: Session,
    analysis: Analysis,
    events: Sequence[Event],
    params: EventParams | None = None,
) -> None:
    """Write ``analysis`` (complete or not: ``analysis.complete`` decides the flag)."""
    arrays = {key: getattr(analysis, key).astype(np.float16) for key in _ARRAYS}
    session.write_analysis(
        analysis.model.name,
        arrays,
        events_columns(events),
        _meta(analysis, params or EventParams()),
        complete=analysis.complete,
    )


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in json.loads(str(value)))


def _analysis_from(name: str, arrays: Mapping[str, Any], meta: Mapping[str, Any]) -> Analysis:
    model = ModelInfo(
        name=name,
        model_name=str(meta["model_name"]),
        version=str(meta["model_version"]),
        checkpoint_sha256=str(meta["checkpoint_sha256"]),
        heads_trained=_strings(meta["heads_trained"]),
        pattern_classes=_strings(meta["pattern_classes"]),
        type_classes=_strings(meta["type_classes"]),
    )
    analysis = Analysis(
        model,
        _strings(meta["channel_names"]),
        int(meta["n_seconds"]),
        montage=str(meta["input_montage"]),
        fingerprint=str(meta["fingerprint"]),
    )
    for key in _ARRAYS:
        getattr(analysis, key)[...] = np.asarray(arrays[key], dtype=np.float32)
    analysis.done_s = int(meta["done_s"])
    analysis.elapsed_s = float(meta["elapsed_s"])
    return analysis


def load_analysis(
    session: Session,
    name: str | Path | None,
    *,
    checkpoint_sha256: str | None,
    complete_only: bool = False,
) -> Analysis | None:
    """The stored results of model ``name`` for this recording and checkpoint, or None.

    A partial result (a cancelled or crashed run) comes back with ``complete`` False, so
    it can be shown as partial and resumed; ``complete_only`` refuses it. Results of
    another checkpoint (or when ``checkpoint_sha256`` is None) or another recording are
    never returned.
    """
    key = model_id(name)
    try:
        stored = session.read_analysis(key)
    except (OSError, ValueError) as exc:
        log.warning("cannot read the stored analysis of %s: %s", key, exc)
        return None
    if stored is None or checkpoint_sha256 is None:
        return None
    meta = stored.meta
    if str(meta.get("checkpoint_sha256", "")) != checkpoint_sha256:
        log.info("stored %s results are from another checkpoint: ignored", key)
        return None
    if str(meta.get("fingerprint", "")) != session.fingerprint.key:
        log.info("stored %s results are from another recording: ignored", key)
        return None
    try:
        analysis = _analysis_from(key, stored.arrays, meta)
    except (KeyError, ValueError, TypeError) as exc:
        log.warning("stored %s results are damaged (%s): ignored", key, exc)
        return None
    if not stored.complete:
        # Only the final write of a finished run says complete; never trust done_s alone.
        analysis.done_s = min(analysis.done_s, analysis.n_seconds - 1)
        if complete_only:
            return None
    return analysis


# --- events table ---------------------------------------------------------------------
def _texts(values: Sequence[str]) -> npt.NDArray[np.object_]:
    array = np.empty(len(values), dtype=object)
    array[:] = list(values)
    return array


def events_columns(events: Sequence[Event]) -> dict[str, npt.NDArray[Any]]:
    """The ``events`` table: one row per event (``channels`` comma-joined)."""

    def floats(key: str) -> npt.NDArray[np.float64]:
        return np.array([getattr(e, key) for e in events], dtype=np.float64)

    return {
        "onset": floats("onset_s"),
        "duration": floats("duration_s"),
        "probability": floats("peak_prob"),
        "mean_probability": floats("mean_prob"),
        "peak": floats("peak_s"),
        "type": _texts([e.type_label for e in events]),
        "kind": _texts([e.kind for e in events]),
        "lateralisation": _texts([e.lateralisation for e in events]),
        "region": _texts([e.region for e in events]),
        "type_source": _texts([e.type_source for e in events]),
        "type_confidence": floats("type_confidence"),
        "channels": _texts([",".join(e.channels) for e in events]),
        "review": _texts([e.review for e in events]),
    }


def _state(text: str) -> ReviewState:
    return next((s for s in REVIEW_STATES if s == text), "unreviewed")


def events_from(columns: Mapping[str, npt.NDArray[Any]]) -> tuple[Event, ...]:
    """The events of a table written by :func:`events_columns`."""
    if "onset" not in columns:
        return ()
    return tuple(
        Event(
            onset_s=float(columns["onset"][i]),
            duration_s=float(columns["duration"][i]),
            peak_prob=float(columns["probability"][i]),
            mean_prob=float(columns["mean_probability"][i]),
            peak_s=float(columns["peak"][i]),
            kind=str(columns["kind"][i]),
            lateralisation=str(columns["lateralisation"][i]),
            region=str(columns["region"][i]),
            type_label=str(columns["type"][i]),
            type_source=str(columns["type_source"][i]),
            type_confidence=float(columns["type_confidence"][i]),
            channels=tuple(c for c in str(columns["channels"][i]).split(",") if c),
            review=_state(str(columns["review"][i])),
        )
        for i in range(len(columns["onset"]))
    )


# --- reviews --------------------------------------------------------------------------
def _review_group(name: str | Path | None) -> str:
    from app.core.session import ANALYSIS, model_key  # noqa: PLC0415 - h5py only when saving

    return f"{ANALYSIS}/{model_key(model_id(name))}/{REVIEW_GROUP}"


def _params_attrs(params: EventParams) -> dict[str, float]:
    return {
        "threshold": params.threshold,
        "min_duration_s": params.min_duration_s,
        "merge_gap_s": params.merge_gap_s,
        "smooth_s": params.smooth_s,
    }


def _params_from(attrs: Mapping[str, Any]) -> EventParams | None:
    try:
        return EventParams(
            threshold=float(attrs["threshold"]),
            min_duration_s=float(attrs["min_duration_s"]),
            merge_gap_s=float(attrs["merge_gap_s"]),
            smooth_s=int(attrs["smooth_s"]),
        )
    except (KeyError, TypeError, ValueError):
        return None


def save_reviews(
    session: Session,
    name: str | Path | None,
    reviews: Sequence[Review],
    params: EventParams | None = None,
) -> None:
    """Store the reviewer's decisions and, when given, the event thresholds they use
    (both are kept when the results are rewritten; ``params`` None keeps the stored ones)."""
    if params is None:
        group = session.read_group(_review_group(name))
        params = _params_from(group.attrs) if group is not None else None
    table = {
        "onset": np.array([r.onset_s for r in reviews], dtype=np.float64),
        "end": np.array([r.end_s for r in reviews], dtype=np.float64),
        "state": _texts([r.state for r in reviews]),
        "time": np.array([r.time for r in reviews], dtype=np.float64),
    }
    attrs = _params_attrs(params) if params is not None else {}
    session.write_group(_review_group(name), {}, attrs, tables={"table": table})


def load_event_params(session: Session, name: str | Path | None) -> EventParams:
    """The thresholds the reviewer last set, else those of the stored run, else defaults."""
    review = session.read_group(_review_group(name))
    found = _params_from(review.attrs) if review is not None else None
    if found is None:
        stored = session.read_analysis(model_id(name))
        found = _params_from(stored.meta) if stored is not None else None
    return found or EventParams()


def load_reviews(session: Session, name: str | Path | None) -> tuple[Review, ...]:
    group = session.read_group(_review_group(name))
    if group is None or "table" not in group.tables:
        return ()
    t = group.tables["table"]
    return tuple(
        Review(
            float(t["onset"][i]),
            float(t["end"][i]),
            _state(str(t["state"][i])),
            float(t["time"][i]),
        )
        for i in range(len(t["onset"]))
    )
