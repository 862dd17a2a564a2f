"""The report model: events and counts, sections, snapshots, ECAM maps, anonymisation."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from app.core.recording import open_recording
from app.core.report.anonymise import anonymous_id, identifiers, scrub
from app.core.report.build import build_report
from app.core.report.event_list import report_events
from app.core.report.export import summary_dict, write_companions
from app.core.report.model import (
    FieldsSection,
    HourlyChart,
    ReportModel,
    ReportOptions,
    ReviewerInputs,
    Table,
    TextSection,
    TrendFigure,
)
from app.core.report.sources import annotation_rows
from app.core.report.summary import counts, hourly_chart
from app.core.report.timeline import clock_text, hour_bins, time_ticks
from app.core.report.topomap import scalp_map, scalp_position, seeg_strips
from app.core.report.trend_figure import reduce_columns
from tests.core.report_builders import (
    IDENTIFIERS,
    FakeEvent,
    fake_sources,
    reviewer_note,
    write_identified_edf,
)

START = datetime(2024, 1, 1, 22, 0, 0)


@pytest.fixture(scope="module")
def edf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_identified_edf(tmp_path_factory.mktemp("report") / "jane.edf")


def _strings(value: Any) -> list[str]:
    """Every string inside a (nested) dataclass value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple | list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [s for f in dataclasses.fields(value) for s in _strings(getattr(value, f.name))]
    return []


# --- events and counts -------------------------------------------------------------------
def test_events_take_review_state_and_reviewer_bounds() -> None:
    events = (
        FakeEvent(100.0, 30.0, review="accepted"),
        FakeEvent(500.0, 20.0, review="rejected"),
        FakeEvent(900.0, 12.0, review="unreviewed"),
    )
    notes = (
        reviewer_note(95.0, 40.0, "Seizure (confirmed)"),  # the reviewer's boundaries
        reviewer_note(3000.0, 50.0, "Seizure"),  # missed by the model
        reviewer_note(4000.0, 0.0, "Eyes open"),
    )
    out = report_events(fake_sources(events, notes), START)
    assert [e.number for e in out] == [1, 2, 3, 4]
    assert [(e.onset_s, e.duration_s, e.review) for e in out] == [
        (95.0, 40.0, "accepted"),
        (500.0, 20.0, "rejected"),
        (900.0, 12.0, "unreviewed"),
        (3000.0, 50.0, "reviewer"),
    ]
    assert out[0].clock == "22:01:35" and out[3].probability is None
    c = counts(out, duration_s=7200.0)
    assert (c.detected, c.confirmed, c.rejected, c.unreviewed, c.reviewer_marked) == (3, 2, 1, 1, 1)
    # Once anything is reviewed, seizure time counts confirmed seizures only.
    assert c.seizure_time_s == 90.0 and c.longest_s == 50.0
    assert c.events_per_hour == pytest.approx(1.0)


def test_unreviewed_night_counts_every_detection() -> None:
    events = (FakeEvent(100.0, 30.0), FakeEvent(4000.0, 60.0))
    c = counts(report_events(fake_sources(events), START), duration_s=7200.0)
    assert (c.confirmed, c.seizure_time_s, c.longest_s) == (0, 90.0, 60.0)


def test_hourly_chart_bins_by_clock_hour() -> None:
    events = report_events(fake_sources((FakeEvent(100.0, 10.0), FakeEvent(3700.0, 10.0))), START)
    chart = hourly_chart(events, datetime(2024, 1, 1, 22, 30), 3 * 3600.0)
    assert chart is not None
    assert chart.labels == ("22:00", "23:00", "00:00", "01:00")
    assert chart.detected == (1, 1, 0, 0)  # 22:31:40 and 23:31:40
    assert hourly_chart(events, START, 1800.0) is None


# --- times -------------------------------------------------------------------------------
def test_clock_text_handles_midnight_gaps_and_no_start() -> None:
    @dataclasses.dataclass
    class Gap:
        onset: float
        duration: float

    assert clock_text(START, 3 * 3600 + 5) == "01:00:05 (day 2)"
    assert clock_text(START, 100.0, [Gap(50.0, 600.0)]) == "22:11:40"
    assert clock_text(None, 1055.5) == "+0:17:36"
    ticks = time_ticks(datetime(2024, 1, 1, 22, 17, 0), 6 * 3600.0)
    assert ticks[:2] == ((13 * 60.0, "22:30"), (43 * 60.0, "23:00"))
    assert [b[2] for b in hour_bins(None, 5400.0)] == ["0 h", "1 h"]


def test_reduce_columns_keeps_short_peaks() -> None:
    prob = np.zeros(86_400, np.float32)
    prob[40_000:40_030] = 0.9
    reduced = reduce_columns(prob, 1000, "max")
    assert reduced.shape == (1000,) and reduced.max() == pytest.approx(0.9)


# --- ECAM maps ---------------------------------------------------------------------------
def test_scalp_positions_follow_the_head() -> None:
    fp1, t3, t7, o2 = (scalp_position(n) for n in ("Fp1", "T3", "T7", "O2"))
    assert fp1 is not None and o2 is not None and t7 is not None
    assert t3 == t7  # old and new names are one site
    assert fp1[0] < 0 < fp1[1] and o2[0] > 0 > o2[1]
    assert 0.9 < np.hypot(*t7) < 1.05  # on the head outline
    mid = scalp_position("Fp1-F7")
    assert mid is not None and fp1[0] > mid[0] > t7[0]
    assert scalp_position("ECG") is None


def test_scalp_map_is_hot_where_the_seizure_is() -> None:
    names = ("Fp1", "Fp2", "F7", "F8", "T7", "T8", "O1", "O2", "Cz")
    values = np.array([0.0, 0.0, 0.8, 0.0, 1.0, 0.0, 0.0, 0.0, 0.1])
    topo = scalp_map("ECAM", names, values)
    assert topo is not None and topo.image is not None
    image = topo.image
    assert np.isnan(image[0, 0])  # outside the head
    n = image.shape[0]
    left, right = image[n // 2, n // 8], image[n // 2, n - 1 - n // 8]
    assert left > 0.6 and right < 0.2


def test_seeg_strips_order_contacts() -> None:
    topo = seeg_strips("ECAM", ("A'2", "A'1", "B1", "B2-B3"), [0.2, 0.9, 0.1, 0.4])
    assert topo is not None and topo.kind == "seeg"
    assert [(s.shaft, [c[0] for c in s.contacts]) for s in topo.strips] == [
        ("A'", ["A'1", "A'2"]),
        ("B", ["B1", "B2-B3"]),
    ]


# --- the whole report --------------------------------------------------------------------
def test_build_report_follows_acns_order(edf: Path) -> None:
    reviewer = ReviewerInputs(institution="St Elsewhere", impression="One focal seizure.")
    with open_recording(edf) as rec:
        model = build_report(rec, fake_sources(), reviewer, ReportOptions())
    titles = [getattr(b, "title", "") for b in model.body]
    assert titles[:2] == ["Technical description", "Summary"]
    assert (
        titles.index("Whole-recording trends") < titles.index("Events") < titles.index("Findings")
    )
    assert isinstance(model.body[0], FieldsSection) and isinstance(model.body[2], TrendFigure)
    assert not any(isinstance(b, HourlyChart) for b in model.body)  # 3 minutes: no chart
    events = next(b for b in model.body if isinstance(b, Table) and b.title == "Events")
    assert events.rows[0][:4] == ("1", "22:01:00", "0:01:00", "40 s")
    impression = next(
        b for b in model.body if isinstance(b, TextSection) and b.title == "Impression"
    )
    assert impression.paragraphs == ("One focal seizure.",)
    assert model.header.patient[0].value == "Jane Q Testperson"
    assert "reviewed by a clinician (1 of 1)" in model.footer.statement


def test_event_page_snapshot_geometry(edf: Path) -> None:
    options = ReportOptions(pre_s=10.0, post_s=15.0)
    with open_recording(edf) as rec:
        model = build_report(rec, fake_sources(), None, options)
    (page,) = model.event_pages
    req, traces = page.request, page.traces
    assert traces is not None
    assert (req.start_s, req.duration_s, req.onset_s) == (50.0, 25.0, 60.0)
    assert req.timebase_mm_s == pytest.approx(160.0 / 25.0)
    assert traces.data.shape == (18, 25 * 256)  # double banana, 256 Hz
    assert traces.sensitivity_uv_mm in (3, 5, 7, 10, 15, 20, 30, 50)
    assert {"F7-T7", "T7-P7"} <= set(traces.highlight) and "Fp2-F8" not in traces.highlight
    assert [m.kind for m in page.maps] == ["scalp", "scalp"]
    assert page.bars is not None and page.bars.names[:3] == ("T7", "F7", "P7")


def test_unreviewed_pages_only_when_asked(edf: Path) -> None:
    sources = fake_sources((FakeEvent(60.0, 40.0),))
    with open_recording(edf) as rec:
        without = build_report(rec, sources, None, ReportOptions())
        with_pages = build_report(rec, sources, None, ReportOptions(include_unreviewed=True))
    assert (len(without.event_pages), len(with_pages.event_pages)) == (0, 1)
    assert "NOT reviewed" in without.footer.statement


def test_anonymised_model_carries_no_identifier(edf: Path) -> None:
    reviewer = ReviewerInputs(findings="Jane Testperson (PAT-4711) slept well.")
    notes = (reviewer_note(10.0, 1.0, "Called Jane at 17-MAY-1980 ward"),)
    with open_recording(edf) as rec:
        model = build_report(
            rec, fake_sources(notes=notes), reviewer, ReportOptions(anonymise=True)
        )
        again = build_report(rec, fake_sources(), None, ReportOptions(anonymise=True))
    text = "\n".join(_strings(model)).lower()
    for secret in IDENTIFIERS:
        assert secret.lower() not in text, secret
    assert "jane.edf" not in text  # file names can carry the name
    anon = model.header.patient[0].value.split()[0]
    assert anon.startswith("ANON-") and again.header.patient[0].value.startswith(anon)
    assert model.document_title == f"EEG report {anon}"


def test_scrub_matches_whole_words_only() -> None:
    from app.core.recording_info import PatientInfo

    secrets = identifiers(PatientInfo(code="X", name="Ann Lee"))
    assert (
        scrub("Ann Lee, sleep stage N2; LEE awake", secrets)
        == "[removed], sleep stage N2; [removed] awake"
    )
    assert anonymous_id("abc") == anonymous_id("abc") != anonymous_id("abd")


def test_companions_match_the_model(edf: Path, tmp_path: Path) -> None:
    with open_recording(edf) as rec:
        model: ReportModel = build_report(rec, fake_sources(), None, ReportOptions(anonymise=True))
    pdf = tmp_path / "r.pdf"
    written = write_companions(model, pdf, pages=3)
    summary = json.loads(written["json"].read_text(encoding="utf-8"))
    assert summary == json.loads(json.dumps(summary_dict(model, pdf, 3)))
    assert summary["counts"]["confirmed"] == 1 and summary["events"][0]["onset"] == 60.0
    tsv = written["events_tsv"].read_text(encoding="utf-8").splitlines()
    assert tsv[0].split("\t")[:3] == ["onset", "duration", "trial_type"]
    assert tsv[1].startswith("60\t40\tseizure confirmed; p=0.97; focal, left temporal")
    both = (written["json"].read_text() + "\n".join(tsv)).lower()
    assert not any(s.lower() in both for s in IDENTIFIERS)


def test_annotation_rows_merge_channel_copies(edf: Path) -> None:
    with open_recording(edf) as rec:
        raw = [a for a in rec.annotations if a.description.startswith("Seizure")]
        rows = annotation_rows(rec, None)
    seizures = [r for r in rows if r.description.startswith("Seizure")]
    assert len(raw) >= 1 and len(seizures) == 1
    assert set(seizures[0].channels) == {c for a in raw for c in a.channels}


def test_many_seeg_traces_keep_the_most_involved_shafts_whole() -> None:
    from app.core.report.snapshot import MAX_TRACES, choose_rows

    labels = [f"{s}{k}-{s}{k + 1}" for s in ("A", "B'", "C", "D") for k in range(1, 9)]
    ecam = {"B'3": 0.9, "B'4": 0.8, "D1": 0.3}
    rows = choose_rows(labels, ecam)
    shown = [labels[i] for i in rows]
    assert len(rows) == MAX_TRACES and rows == sorted(rows)
    assert all(f"B'{k}-B'{k + 1}" in shown for k in range(1, 9))  # the seizure's shaft
    assert all(f"D{k}-D{k + 1}" in shown for k in range(1, 9))  # then the next involved


@pytest.fixture(scope="module")
def comparison() -> Any:
    from app.core.compare import compare
    from tests.core.compare_helpers import TREATED, metrics_of, seeg_pair

    pre, post = seeg_pair(300.0)
    return compare(
        metrics_of(pre, label="jane_pre.edf", seed=1),
        metrics_of(post, label="jane.edf", seed=2),
        TREATED,
    )


def test_report_carries_the_comparison_section_and_its_json(
    edf: Path, comparison: Any, tmp_path: Path
) -> None:
    with open_recording(edf) as rec:
        without = build_report(rec, fake_sources())
        model = build_report(rec, fake_sources(), comparison=comparison)
    assert (
        without.comparison is None
        and summary_dict(without, tmp_path / "r.pdf", 1)["comparison"] is None
    )
    section = model.comparison
    assert section is not None and section.title == "Pre/post comparison: jane_pre.edf → jane.edf"
    ranked = [row[1] for row in section.ranking.rows[:3]]
    assert sorted(ranked) == ["B'1*", "B'2*", "B'3*"]  # treated contacts ranked first
    assert section.ranking.marked == (0, 1, 2)  # and highlighted
    assert section.strips and all(any(c.treated for _, cells in s.rows for c in cells)
                                  for s in section.strips)  # fmt: skip
    data = summary_dict(model, tmp_path / "r.pdf", 5)["comparison"]
    assert data["treated"] == ["B'1", "B'2", "B'3"] and data["bootstrap_replicates"] == 1000
    assert {r["name"] for r in data["ranking"][:3]} == {"B'1", "B'2", "B'3"}


def test_anonymised_comparison_names_no_file(edf: Path, comparison: Any) -> None:
    with open_recording(edf) as rec:
        model = build_report(rec, fake_sources(), None, ReportOptions(anonymise=True),
                             comparison=comparison)  # fmt: skip
    assert model.comparison is not None
    text = "\n".join(_strings(model.comparison)).lower()
    assert "jane" not in text and "earlier recording" in text
    assert model.comparison.data["pre"]["file"] == "earlier recording"
