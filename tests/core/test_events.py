"""Events from per-second probabilities: threshold, minimum duration, merge gap, smoothing,
onset type and leading channels, review states that survive a change of threshold."""

from __future__ import annotations

import numpy as np
import pytest

from app.core.analysis_store import events_columns, events_from
from app.core.events import (
    EventParams,
    apply_reviews,
    detect_events,
    leading_channels,
    seizure_intervals,
    set_review,
    smooth,
)
from tests.core.analysis_helpers import analysis_of

RAW = EventParams(threshold=0.5, min_duration_s=5, merge_gap_s=5, smooth_s=1)


def _prob() -> np.ndarray:
    p = np.zeros(100)
    p[10:20] = 0.9  # 10 s
    p[25:30] = 0.9  # 5 s after a 5-s gap
    p[50:53] = 0.9  # 3 s: too short by default
    p[70:90] = 0.6  # 20 s, moderate
    return p


def test_threshold_min_duration_and_merge_gap_exact() -> None:
    assert seizure_intervals(_prob(), RAW) == [(10, 30), (70, 90)]
    assert seizure_intervals(_prob(), EventParams(0.5, 5, 4, 1)) == [(10, 20), (25, 30), (70, 90)]
    assert seizure_intervals(_prob(), EventParams(0.5, 3, 4, 1)) == [
        (10, 20),
        (25, 30),
        (50, 53),
        (70, 90),
    ]
    assert seizure_intervals(_prob(), EventParams(0.7, 5, 5, 1)) == [(10, 30)]
    # a 30-s merge gap makes one 80-s event of everything
    assert seizure_intervals(_prob(), EventParams(0.5, 25, 30, 1)) == [(10, 90)]


def test_an_event_at_the_edges_and_a_threshold_hit_exactly() -> None:
    p = np.full(20, 0.5)
    assert seizure_intervals(p, RAW) == [(0, 20)]  # >= threshold counts
    p[:] = 0.4999
    assert seizure_intervals(p, RAW) == []


def test_smoothing_drops_isolated_spikes_and_keeps_sustained_runs() -> None:
    p = np.zeros(60)
    p[10:12] = 1.0  # a 2-s blip: 0.4 after 5-s smoothing
    p[30:45] = 0.8
    smoothed = smooth(p, 5)
    assert smoothed[10] == pytest.approx(0.4) and smoothed[11] == pytest.approx(0.4)
    # the run is found on the smoothed curve, its edges on the raw one
    assert seizure_intervals(p, EventParams(0.5, 5, 5, 5)) == [(30, 45)]


def test_seconds_not_computed_yet_are_never_events() -> None:
    p = np.full(40, np.nan)
    p[:10] = 0.9
    assert seizure_intervals(p, EventParams(0.5, 5, 5, 5)) == [(0, 10)]
    assert np.isnan(smooth(p, 5)[10:]).all()


def _focal_left() -> np.ndarray:
    names = ("Fp1", "F7", "T7", "P7", "O1", "Fp2", "F8", "T8", "P8", "O2")
    cp = np.full((len(names), 60), 0.05, np.float32)
    cp[1, 20:40], cp[2, 20:40], cp[3, 20:40] = 0.9, 0.8, 0.7  # F7 > T7 > P7 at onset
    return cp


def test_focal_event_lateralises_and_lists_its_leading_channels() -> None:
    names = ("Fp1", "F7", "T7", "P7", "O1", "Fp2", "F8", "T8", "P8", "O2")
    prob = np.zeros(60)
    prob[20:40] = 0.95
    events = detect_events(analysis_of(prob, _focal_left(), names), RAW)
    assert len(events) == 1
    e = events[0]
    assert (e.onset_s, e.duration_s, e.peak_prob) == (20.0, 20.0, pytest.approx(0.95))
    assert e.mean_prob == pytest.approx(0.95)
    assert (e.kind, e.lateralisation, e.region) == ("focal", "left", "left temporal")
    assert e.type_label == "focal, left temporal" and e.type_source == "ECAM onset"
    assert e.channels == ("F7", "T7", "P7")
    assert e.label == "Seizure 0.95 · focal, left temporal"
    assert leading_channels(_focal_left(), names, 20, n=1) == ("F7",)


def test_generalised_and_type_head_labels() -> None:
    names = ("Fp1", "F7", "T7", "P7", "O1", "Fp2", "F8", "T8", "P8", "O2")
    prob = np.zeros(60)
    prob[20:40] = 0.9
    everywhere = np.tile(prob, (len(names), 1)).astype(np.float32)
    (gen,) = detect_events(analysis_of(prob, everywhere, names), RAW)
    assert (gen.kind, gen.type_label, gen.type_source) == (
        "generalised",
        "generalised",
        "ECAM onset",
    )
    types = np.full((60, 4), 0.05, np.float32)
    types[:, 2] = 0.85  # absence, confidently
    head = analysis_of(prob, everywhere, names, heads=("seizure", "type"), type_scores=types)
    (absence,) = detect_events(head, RAW)
    assert (absence.type_label, absence.type_source) == ("absence", "type head")
    assert absence.type_confidence == pytest.approx(0.85)


def test_review_state_survives_a_change_of_threshold() -> None:
    prob = np.zeros(100)
    prob[20:40], prob[35:50], prob[70:80] = 0.6, 0.9, 0.9
    analysis = analysis_of(prob)
    first = detect_events(analysis, RAW)
    assert [(e.onset_s, e.end_s) for e in first] == [(20, 50), (70, 80)]
    reviews = set_review((), first[0], "accepted", time=1.0)
    reviews = set_review(reviews, first[1], "rejected", time=2.0)
    stricter = detect_events(analysis, EventParams(0.8, 5, 5, 1), reviews)
    assert [(e.onset_s, e.end_s, e.review) for e in stricter] == [
        (35, 50, "accepted"),
        (70, 80, "rejected"),
    ]
    cleared = set_review(reviews, stricter[1], "unreviewed", time=3.0)
    assert [e.review for e in apply_reviews(stricter, cleared)] == ["accepted", "unreviewed"]


def test_events_table_round_trip() -> None:
    names = ("Fp1", "F7", "T7", "P7", "O1", "Fp2", "F8", "T8", "P8", "O2")
    prob = np.zeros(60)
    prob[20:40] = 0.95
    events = detect_events(analysis_of(prob, _focal_left(), names), RAW)
    assert events_from(events_columns(events)) == events
    assert events_from(events_columns(())) == ()


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(ValueError):
        EventParams(threshold=0.0)
    with pytest.raises(ValueError):
        EventParams(min_duration_s=-1)
