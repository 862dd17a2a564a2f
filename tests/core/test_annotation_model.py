"""The mutable annotation set: ids, order, events, filters, file overrides, edit log."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from app.core.annotation import Annotation
from app.core.annotation_model import AnnotationChange, AnnotationModel
from app.core.session import Session
from tests.core.session_builders import seizure, write_short_edf

FILE = (
    Annotation(30.0, 5.0, "Seizure", (), "edf"),
    Annotation(75.0, 0.0, "Spike", ("T7",), "edf"),
)


def _model(**kwargs) -> tuple[AnnotationModel, list[AnnotationChange]]:
    ticks = itertools.count(1000)
    model = AnnotationModel(FILE, clock=lambda: float(next(ticks)), **kwargs)
    changes: list[AnnotationChange] = []
    model.changed.connect(changes.append)
    return model, changes


def test_add_update_remove_with_ids_events_and_order() -> None:
    model, changes = _model()
    late = model.add(seizure(50.0, 2.0))
    early = model.add(Annotation(10.0, 1.0, "Artefact", (), "user"))
    assert [e.onset for e in model] == [10.0, 30.0, 50.0, 75.0]
    assert len(model) == 4 and late in model
    assert [c.action for c in changes] == ["add", "add"]
    assert changes[0].after is not None and changes[0].after.id == late
    model.update(late, seizure(52.0, 4.0))
    assert model.get(late).onset == 52.0 and model.get(late).created == 1000.0
    assert model.get(late).modified == 1002.0
    assert changes[-1].before is not None and changes[-1].before.onset == 50.0
    model.update(late, seizure(52.0, 4.0))  # no change, no event
    assert len(changes) == 3
    model.remove(early)
    assert early not in model and model.get(early).deleted
    assert changes[-1].action == "remove" and changes[-1].after is None
    with pytest.raises(KeyError):
        model.update(early, seizure())
    with pytest.raises(ValueError, match="negative"):
        model.add(seizure(1.0, -1.0))
    assert [h.action for h in model.history] == ["add", "add", "update", "remove"]
    assert json.loads(model.history[2].after)["onset"] == 52.0


def test_undoing_a_delete_brings_the_same_id_back() -> None:
    model, _ = _model()
    key = model.add(seizure(5.0, 1.0))
    model.remove(key)
    assert model.add(seizure(6.0, 1.0), annotation_id=key) == key
    assert model.get(key).onset == 6.0 and model.get(key).created == 1000.0
    with pytest.raises(ValueError, match="exists"):
        model.add(seizure(), annotation_id=key)


def test_file_annotations_are_overridden_not_changed() -> None:
    model, _ = _model()
    seizure_id, spike_id = (e.id for e in model)
    assert model.get(seizure_id).origin == "file"
    assert model.stored_entries() == []  # nothing to keep while untouched
    model.update(seizure_id, Annotation(31.0, 6.0, "Seizure (confirmed)", (), "edf"))
    model.remove(spike_id)
    assert model.original(seizure_id) == FILE[0]
    assert model.is_edited(seizure_id) and model.is_edited(spike_id)
    stored = model.stored_entries()
    assert {e.id for e in stored} == {seizure_id, spike_id}
    # reopening: the recording gives the same file annotations, the session the overrides
    again = AnnotationModel(FILE, stored, model.history)
    assert again.annotations() == (Annotation(31.0, 6.0, "Seizure (confirmed)", (), "edf"),)
    again.add(FILE[1], annotation_id=spike_id)  # undelete
    assert not again.is_edited(spike_id)


def test_filter_and_navigation() -> None:
    model, _ = _model()
    model.add(seizure(50.0, 2.0, ("F7",)))
    model.add(Annotation(60.0, 0.0, "eyes open", (), "user"))
    assert [e.onset for e in model.filter("seiz")] == [30.0, 50.0]
    assert [e.onset for e in model.filter(origin="reviewer")] == [50.0, 60.0]
    assert [e.onset for e in model.filter(channel_specific=True)] == [50.0, 75.0]
    assert [e.onset for e in model.filter("t7")] == [75.0]  # channels match too
    assert [e.onset for e in model.in_span(34.0, 50.0)] == [30.0, 50.0]
    nxt = model.next_after(30.0)
    prev = model.previous_before(50.0)
    assert nxt is not None and nxt.onset == 50.0
    assert prev is not None and prev.onset == 30.0
    assert model.next_after(75.0) is None


def test_model_round_trip_through_the_session(tmp_path: Path) -> None:
    from app.core.recording import open_recording

    edf = write_short_edf(tmp_path / "night.edf")
    with open_recording(edf) as recording:
        file_annotations = recording.annotations
    model = AnnotationModel(file_annotations)
    first = next(iter(model))
    model.update(first.id, Annotation(7.0, 5.0, "Seizure", first.channels, "edf"))
    kept = model.add(seizure(1.0, 0.5, ("Fp1",)))
    session = Session.open(edf, data_dir=tmp_path / "p")
    session.write_annotations(model.stored_entries(), model.history)
    entries, history = Session.open(edf, data_dir=tmp_path / "p").read_annotations()
    reopened = AnnotationModel(file_annotations, entries, history)
    assert reopened.annotations() == model.annotations()
    assert reopened.get(kept).channels == ("Fp1",)
    assert len(reopened.history) == 2
