"""Annotation files: CHB-MIT, Siena, TUSZ, BIDS events.tsv and CSV, read and written."""

from __future__ import annotations

import logging
import os
import re
from datetime import datetime, time
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.annotation import Annotation
from app.core.annotation_io import (
    AnnotationFormat,
    bids_events_text,
    detect_format,
    find_annotation_files,
    read_annotation_file,
    read_annotation_sets,
    read_bids_events,
    read_chbmit_summary,
    read_csv_annotations,
    read_siena_list,
    read_tusz,
    tusz_type,
    write_bids_events,
    write_csv_annotations,
)
from app.core.annotation_io._common import clean_text
from app.core.errors import AnnotationFileError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "annotations"

# Seizures in the real chb05-summary.txt (seconds from the start of each file).
CHB05_SEIZURES = {
    "chb05_06.edf": (417.0, 532.0),
    "chb05_13.edf": (1086.0, 1196.0),
    "chb05_16.edf": (2317.0, 2413.0),
    "chb05_17.edf": (2451.0, 2571.0),
    "chb05_22.edf": (2348.0, 2465.0),
}
# Seizures in the real Seizures-list-PN00.txt as (onset, end) from registration start.
# PN00-3 is written 18.28.29 - 19.29.29 in a recording ending 18.57.13: read as 18.29.29.
PN00_SEIZURES = {
    "PN00-1.edf": (1143.0, 1213.0),
    "PN00-2.edf": (1220.0, 1274.0),
    "PN00-3.edf": (765.0, 825.0),
    "PN00-4.edf": (1006.0, 1080.0),
    "PN00-5.edf": (904.0, 971.0),
}


def _chb05(shared_data: Path) -> Path:
    return shared_data / "formats" / "chbmit" / "chb05" / "chb05-summary.txt"


def _pn00(shared_data: Path) -> Path:
    return shared_data / "formats" / "siena" / "PN00" / "Seizures-list-PN00.txt"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- CHB-MIT -------------------------------------------------------------------------------


@pytest.mark.realdata
def test_chbmit_real_summary_seizure_times(shared_data: Path) -> None:
    listing = read_chbmit_summary(_chb05(shared_data))
    assert listing.subject == "chb05"
    assert listing.sfreq == 256.0
    assert len(listing.recordings) == 39
    sets = listing.annotations()
    with_seizures = {name: seizures for name, seizures in sets.items() if seizures}
    assert set(with_seizures) == set(CHB05_SEIZURES)
    for name, (onset, end) in CHB05_SEIZURES.items():
        (seizure,) = with_seizures[name]
        assert (seizure.onset, seizure.end) == (onset, end)
        assert seizure.description == "Seizure"
        assert seizure.channels == ()
        assert seizure.source == "chbmit"


@pytest.mark.realdata
def test_chbmit_real_summary_files_channels_and_clock(shared_data: Path) -> None:
    listing = read_chbmit_summary(_chb05(shared_data))
    first = listing.recordings[0]
    assert first.file_name == "chb05_01.edf"
    assert first.start == time(17, 20, 5)
    assert first.duration_s == 3610.0  # 17:20:05 -> 18:20:15
    assert len(first.channels) == 23
    assert first.channels[0] == "FP1-F7"
    assert first.channels[14] == first.channels[22] == "T8-P8"  # the real duplicate
    seventh = listing.find("chb05_07.edf")
    assert seventh is not None
    assert seventh.duration_s == 3600.0  # 23:21:32 -> "24:21:32"
    eighth = listing.find("chb05_08")
    assert eighth is not None
    assert eighth.start == time(0, 21, 39)
    assert all(r.declared_seizures == len(r.seizures) for r in listing.recordings)


@pytest.mark.realdata
def test_read_annotation_file_picks_the_recording_from_a_summary(shared_data: Path) -> None:
    summary = _chb05(shared_data)
    edf = summary.parent / "chb05_06.edf"
    (seizure,) = read_annotation_file(summary, recording_name=edf)
    assert (seizure.onset, seizure.duration) == (417.0, 115.0)
    assert read_annotation_file(summary, recording_name="chb05_01.edf") == []
    with pytest.raises(
        AnnotationFileError, match=re.escape("does not list the recording chb05_99.edf")
    ):
        read_annotation_file(summary, recording_name="chb05_99.edf")
    with pytest.raises(AnnotationFileError, match="lists 39 recordings"):
        read_annotation_file(summary)
    assert find_annotation_files(edf) == (summary,)


def test_chbmit_numbered_seizures_and_changed_channels() -> None:
    listing = read_chbmit_summary(FIXTURES / "chb99-summary.txt")
    first, second = listing.recordings
    assert [(a.onset, a.duration) for a in first.seizures] == [(120.0, 65.0), (2990.0, 52.5)]
    assert first.channels == ("FP1-F7", "F7-T7", "T7-P7")
    assert first.duration_s == 3600.0
    assert second.channels == ("FP1-F7", "-", "T7-P7", "P7-O1")
    assert [(a.onset, a.end) for a in second.seizures] == [(417.0, 532.0)]
    assert second.start == time(0, 30, 10)


def test_chbmit_broken_summaries(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    head = "File Name: chb99_01.edf\nNumber of Seizures in File: 2\n"
    no_end = _write(tmp_path, "a-summary.txt", head + "Seizure 1 Start Time: 10 seconds\n")
    with pytest.raises(AnnotationFileError, match="line 3: seizure start without an end"):
        read_chbmit_summary(no_end)
    backwards = head + "Seizure Start Time: 50 seconds\nSeizure End Time: 40 seconds\n"
    with pytest.raises(AnnotationFileError, match="negative duration"):
        read_chbmit_summary(_write(tmp_path, "b-summary.txt", backwards))
    with pytest.raises(AnnotationFileError, match="not a CHB-MIT summary"):
        read_chbmit_summary(_write(tmp_path, "c-summary.txt", "hello\nworld\n"))
    miscount = head + "Seizure Start Time: 10 seconds\nSeizure End Time: 40 seconds\n"
    with caplog.at_level(logging.WARNING):
        listing = read_chbmit_summary(_write(tmp_path, "d-summary.txt", miscount))
    assert len(listing.recordings[0].seizures) == 1
    assert "declares 2 seizures but lists 1" in caplog.text


# --- Siena ---------------------------------------------------------------------------------


@pytest.mark.realdata
def test_siena_real_list_with_the_pn00_typo(
    shared_data: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        listing = read_siena_list(_pn00(shared_data))
    assert listing.subject == "PN00"
    assert listing.sfreq == 512.0
    assert listing.recordings[0].channels[:3] == ("Fp1", "F3", "C3")
    assert listing.recordings[0].channels[-1] == "EKG 2"
    got = {
        name: [(a.onset, a.end) for a in seizures]
        for name, seizures in listing.annotations().items()
    }
    assert got == {name: [times] for name, times in PN00_SEIZURES.items()}
    pn00_1 = listing.find("PN00-1.edf")
    assert pn00_1 is not None
    assert pn00_1.start == time(19, 39, 33)
    assert pn00_1.duration_s == 2605.0  # 19.39.33 -> 20.22.58
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "PN00-3.edf" in warnings[0].getMessage()
    assert "hour typo" in warnings[0].getMessage()


@pytest.mark.realdata
def test_siena_unlisted_recording_has_no_seizures(shared_data: Path) -> None:
    seizures = read_annotation_file(_pn00(shared_data), recording_name="PN00-3.edf")
    assert [(a.onset, a.duration) for a in seizures] == [(765.0, 60.0)]
    assert read_annotation_file(_pn00(shared_data), recording_name="PN00-9.edf") == []


def test_siena_midnight_two_seizures_and_clipping(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        listing = read_siena_list(FIXTURES / "Seizures-list-PN99.txt")
    first, second = listing.recordings
    assert first.duration_s == 5400.0  # 23.40.00 -> 01.10.00
    # 23.59.30-00.00.45 and (the "Start time:" variant) 00:30:10-00:31:00
    assert [(a.onset, a.duration) for a in first.seizures] == [(1170.0, 75.0), (3010.0, 50.0)]
    # 08.28.00-08.45.00 in a recording ending at 08.30.00: clipped to its end, with a warning.
    assert [(a.onset, a.end) for a in second.seizures] == [(1680.0, 1800.0)]
    assert "clipped to 1800 s" in caplog.text
    assert listing.recordings[0].channels == ("Fp1", "F3")


def test_siena_broken_lists(tmp_path: Path) -> None:
    head = "File name: X-1.edf\nRegistration start time: 10.00.00\n"
    bad_clock = head + "Seizure start time: 10.0x.00\n"
    with pytest.raises(
        AnnotationFileError, match=re.escape("line 3: '10.0x.00' is not a clock time")
    ):
        read_siena_list(_write(tmp_path, "Seizures-list-A.txt", bad_clock))
    no_end = head + "Seizure start time: 10.01.00\n"
    with pytest.raises(AnnotationFileError, match="no end time"):
        read_siena_list(_write(tmp_path, "Seizures-list-B.txt", no_end))
    with pytest.raises(AnnotationFileError, match="not a Siena seizure list"):
        read_siena_list(_write(tmp_path, "Seizures-list-C.txt", "nothing here\n"))


# --- TUSZ ----------------------------------------------------------------------------------


def test_tusz_csv_bi_whole_recording_seizures() -> None:
    tusz = read_tusz(FIXTURES / "ictal_s001_t000.csv_bi")
    assert tusz.bname == "ictal_s001_t000"
    assert tusz.duration_s == 1750.0
    assert tusz.annotations == (
        Annotation(412.5, 67.75, "Seizure", (), "tusz"),
        Annotation(1203.0, 57.0, "Seizure", (), "tusz"),
    )
    assert tusz_type("Seizure") is None


def test_tusz_csv_per_channel_types_grouped_into_events() -> None:
    annotations = read_annotation_file(FIXTURES / "ictal_s001_t000.csv")
    assert [(a.onset, a.duration, a.description, a.channels) for a in annotations] == [
        (412.5, 67.75, "Seizure: fnsz", ("Fp1-F7", "F7-T3")),
        (1203.0, 57.0, "Seizure: gnsz", ("Fp1-F7", "F7-T3", "Fp2-F8")),
        (1205.5, 52.5, "Seizure: gnsz", ("C3-P3",)),
    ]
    assert [tusz_type(a.description) for a in annotations] == ["fnsz", "gnsz", "gnsz"]


def test_tusz_tse_and_broken_files(tmp_path: Path) -> None:
    (seizure,) = read_annotation_file(FIXTURES / "ictal_s002_t001.tse_bi")
    assert (seizure.onset, seizure.duration, seizure.description) == (412.5, 67.75, "Seizure")
    header = "# version = csv_v1.0.0\n#\nchannel,start_time,stop_time,label,confidence\n"
    backwards = _write(tmp_path, "x.csv_bi", header + "TERM,50.0,40.0,seiz,1.0\n")
    with pytest.raises(AnnotationFileError, match="line 4: negative duration"):
        read_tusz(backwards)
    short = _write(tmp_path, "y.csv_bi", header + "TERM,50.0\n")
    with pytest.raises(AnnotationFileError, match="line 4: expected channel"):
        read_tusz(short)
    with pytest.raises(AnnotationFileError, match="not a TUSZ file"):
        read_tusz(_write(tmp_path, "z.csv_bi", "TERM,0,1,seiz,1\n"))


# --- BIDS events.tsv -----------------------------------------------------------------------


def test_bids_read_with_na_value_and_channels() -> None:
    annotations = read_bids_events(FIXTURES / "sub-01_task-rest_run-01_events.tsv")
    assert annotations == [
        Annotation(0.0, 0.0, "recording start", (), "bids"),
        Annotation(417.0, 115.0, "Seizure", ("Fp1-F7", "F7-T7"), "bids"),
        Annotation(900.5, 0.0, "spike", (), "bids"),
        Annotation(1200.25, 2.5, "Artifact: movement", (), "bids"),
    ]


def test_bids_szcore_event_type_and_background_skipped() -> None:
    (seizure,) = read_annotation_file(FIXTURES / "sub-02_task-szMonitoring_run-06_events.tsv")
    assert seizure == Annotation(417.0, 115.0, "sz_foc", ("Fp1-F7", "F7-T7"), "bids")


def test_bids_round_trip(tmp_path: Path) -> None:
    original = [
        Annotation(1203.000001, 57.25, "Seizure: gnsz", ("Fp1-F7", "A'1"), "user"),
        Annotation(0.5, 0.0, "Eyes\tclosed", (), "edf"),
        Annotation(417.0, 115.0, "Seizure", (), "chbmit"),
    ]
    target = write_bids_events(tmp_path / "sub-01_events.tsv", original)
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "onset\tduration\ttrial_type\tchannels"
    assert lines[1] == "0.5\t0\tEyes closed\tn/a"
    assert lines[3] == "1203.000001\t57.25\tSeizure: gnsz\tFp1-F7,A'1"
    back = read_bids_events(target)
    assert [(a.onset, a.duration, a.description, a.channels) for a in back] == [
        (0.5, 0.0, "Eyes closed", ()),
        (417.0, 115.0, "Seizure", ()),
        (1203.000001, 57.25, "Seizure: gnsz", ("Fp1-F7", "A'1")),
    ]
    assert bids_events_text([]) == "onset\tduration\ttrial_type\n"
    assert sorted(os.listdir(tmp_path)) == ["sub-01_events.tsv"]  # no temporary left behind


def test_bids_write_never_overwrites_a_recording_or_the_source(tmp_path: Path) -> None:
    seizure = [Annotation(1.0, 2.0, "Seizure")]
    edf = tmp_path / "rec.edf"
    edf.write_bytes(b"0       " + b" " * 248)
    with pytest.raises(AnnotationFileError, match=re.escape("must end with .tsv")):
        write_bids_events(edf, seizure)
    disguised = tmp_path / "rec_events.tsv"
    disguised.write_bytes(b"0       " + b" " * 248)
    with pytest.raises(AnnotationFileError, match="refusing to overwrite a recording"):
        write_bids_events(disguised, seizure)
    source = tmp_path / "source_events.tsv"
    source.write_text("onset\tduration\n1\t2\n", encoding="utf-8")
    with pytest.raises(AnnotationFileError, match="refusing to overwrite the source file"):
        write_bids_events(source, seizure, protect=[source])
    assert edf.read_bytes().startswith(b"0       ")
    assert source.read_text(encoding="utf-8") == "onset\tduration\n1\t2\n"
    write_bids_events(source, seizure)  # an older export may be replaced
    assert read_bids_events(source) == [Annotation(1.0, 2.0, "Seizure", (), "bids")]


def test_bids_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(AnnotationFileError, match="missing the required column"):
        read_bids_events(_write(tmp_path, "a_events.tsv", "onset\ttrial_type\n1\tSeizure\n"))
    with pytest.raises(AnnotationFileError, match="not tab-separated"):
        read_bids_events(_write(tmp_path, "b_events.tsv", "onset,duration\n1,2\n"))
    with pytest.raises(AnnotationFileError, match="line 2: negative duration"):
        read_bids_events(_write(tmp_path, "c_events.tsv", "onset\tduration\n10\t-1\n"))
    with pytest.raises(AnnotationFileError, match="line 3: onset 'abc' is not a number"):
        read_bids_events(_write(tmp_path, "d_events.tsv", "onset\tduration\n1\t1\nabc\t1\n"))
    with pytest.raises(AnnotationFileError, match="line 2: 1 fields, the header has 2"):
        read_bids_events(_write(tmp_path, "e_events.tsv", "onset\tduration\n1\n"))
    with pytest.raises(AnnotationFileError, match="file not found"):
        read_bids_events(tmp_path / "missing_events.tsv")


_LABELS = st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=20).filter(
    lambda text: clean_text(text).lower() not in {"", "n/a"}
)
_EVENTS = st.lists(
    st.builds(
        Annotation,
        onset=st.integers(0, 10**9).map(lambda ms: ms / 1000),
        duration=st.integers(0, 10**7).map(lambda ms: ms / 1000),
        description=_LABELS,
        channels=st.lists(st.sampled_from(["Fp1-F7", "T7", "A'1", "Cz"]), unique=True).map(tuple),
    ),
    max_size=6,
)


def _key(annotations: list[Annotation]) -> list[tuple[float, float, str, tuple[str, ...]]]:
    """What survives a table file: times to the microsecond, text on one line."""
    return sorted((a.onset, a.duration, clean_text(a.description), a.channels) for a in annotations)


@settings(max_examples=40, deadline=None)
@given(events=_EVENTS)
def test_bids_and_csv_round_trip_any_labels(events: list[Annotation]) -> None:
    with TemporaryDirectory() as folder:
        tsv = write_bids_events(Path(folder) / "x_events.tsv", events)
        csv = write_csv_annotations(Path(folder) / "x.csv", events)
        assert _key(read_bids_events(tsv)) == _key(events)
        assert _key(read_csv_annotations(csv)) == _key(events)


# --- CSV -----------------------------------------------------------------------------------


def test_csv_with_header_units_and_quoted_cells() -> None:
    annotations = read_csv_annotations(FIXTURES / "reviewed.csv")
    assert annotations == [
        Annotation(417.0, 115.0, "Seizure", ("Fp1-F7", "F7-T7"), "csv"),
        Annotation(900.5, 0.0, "Spike", ("T7",), "csv"),
        Annotation(1200.25, 2.5, "Artifact, movement", (), "csv"),
    ]


def test_csv_without_header_semicolons_and_end_column(tmp_path: Path) -> None:
    plain = read_csv_annotations(_write(tmp_path, "a.csv", "417,115,Seizure\n900.5,0,Spike,T7\n"))
    assert [(a.onset, a.duration, a.channels) for a in plain] == [
        (417.0, 115.0, ()),
        (900.5, 0.0, ("T7",)),
    ]
    european = read_csv_annotations(_write(tmp_path, "b.csv", "start;stop;label\n0,5;10;Spike\n"))
    assert [(a.onset, a.duration, a.description) for a in european] == [(0.5, 9.5, "Spike")]


def test_csv_clock_times_need_the_recording_start(tmp_path: Path) -> None:
    path = _write(tmp_path, "clock.csv", "onset,end,description\n23:59:30,00:00:45,Seizure\n")
    start = datetime(2020, 5, 1, 23, 40, 0)
    (seizure,) = read_annotation_file(path, recording_start=start)
    assert (seizure.onset, seizure.duration) == (1170.0, 75.0)  # across midnight
    with pytest.raises(AnnotationFileError, match="needs the recording's start time"):
        read_csv_annotations(path)
    iso = _write(tmp_path, "iso.csv", "onset,duration,description\n2020-05-02T00:10:00,5,Spike\n")
    (spike,) = read_csv_annotations(iso, recording_start=start)
    assert spike.onset == 1800.0


def test_csv_round_trip_and_protection(tmp_path: Path) -> None:
    original = [
        Annotation(10.0, 5.5, 'Seizure, "typical"', ("Fp1-F7", "F7-T7"), "user"),
        Annotation(2.25, 0.0, "Spike", (), "user"),
    ]
    target = write_csv_annotations(tmp_path / "out.csv", original)
    assert target.read_text(encoding="utf-8").splitlines()[0] == (
        "onset,duration,description,channels"
    )
    back = read_csv_annotations(target)
    assert [(a.onset, a.duration, a.description, a.channels) for a in back] == [
        (2.25, 0.0, "Spike", ()),
        (10.0, 5.5, 'Seizure, "typical"', ("Fp1-F7", "F7-T7")),
    ]
    with pytest.raises(AnnotationFileError, match="refusing to overwrite the source file"):
        write_csv_annotations(target, back, protect=[target])
    with pytest.raises(AnnotationFileError, match=re.escape("must end with .csv")):
        write_csv_annotations(tmp_path / "rec.edf", back)


def test_csv_malformed_files(tmp_path: Path) -> None:
    garbage = _write(tmp_path, "garbage.csv", "hello world\nthis is not a list\n")
    with pytest.raises(AnnotationFileError, match="line 1: neither a header nor"):
        read_annotation_file(garbage)
    with pytest.raises(AnnotationFileError, match=r"missing column\(s\): description"):
        read_csv_annotations(_write(tmp_path, "a.csv", "onset,duration\n1,2\n"))
    with pytest.raises(AnnotationFileError, match=r"missing column\(s\): duration \(or end\)"):
        read_csv_annotations(_write(tmp_path, "b.csv", "onset,label\n1,Spike\n"))
    with pytest.raises(AnnotationFileError, match="line 2: negative duration -3"):
        read_csv_annotations(_write(tmp_path, "c.csv", "0,1,ok\n5,-3,Seizure\n"))
    with pytest.raises(AnnotationFileError, match="line 1: duration '00:01:00' is not a number"):
        read_csv_annotations(
            _write(tmp_path, "g.csv", "10:00:00,00:01:00,Seizure\n"),
            recording_start=datetime(2020, 1, 1, 9, 0, 0),
        )
    with pytest.raises(AnnotationFileError, match="line 1: too few cells"):
        read_csv_annotations(_write(tmp_path, "d.csv", "5,3\n"))
    binary = tmp_path / "e.csv"
    binary.write_bytes(b"\x00\x01\x02")
    with pytest.raises(AnnotationFileError, match="binary file"):
        read_csv_annotations(binary)
    with pytest.raises(AnnotationFileError) as error:
        read_csv_annotations(_write(tmp_path, "f.csv", "onset,duration,description\n1,nan,x\n"))
    assert str(error.value) == f"{tmp_path / 'f.csv'} : line 2: duration 'nan' is not finite"


# --- Format detection and discovery -------------------------------------------------------


def test_detect_format_by_name_and_content(tmp_path: Path) -> None:
    assert detect_format(FIXTURES / "ictal_s001_t000.csv") is AnnotationFormat.TUSZ
    assert detect_format(FIXTURES / "ictal_s001_t000.csv_bi") is AnnotationFormat.TUSZ
    assert detect_format(FIXTURES / "reviewed.csv") is AnnotationFormat.CSV
    assert detect_format(FIXTURES / "chb99-summary.txt") is AnnotationFormat.CHBMIT
    assert detect_format(FIXTURES / "Seizures-list-PN99.txt") is AnnotationFormat.SIENA
    assert detect_format(FIXTURES / "sub-01_task-rest_run-01_events.tsv") is AnnotationFormat.BIDS
    with pytest.raises(AnnotationFileError, match="unsupported annotation file"):
        detect_format(_write(tmp_path, "notes.docx", "x"))
    with pytest.raises(AnnotationFileError, match="read with the recording"):
        detect_format(tmp_path / "rec.edf")
    with pytest.raises(AnnotationFileError, match="neither a CHB-MIT nor a Siena"):
        detect_format(_write(tmp_path, "notes.txt", "just notes\n"))


def test_read_annotation_sets_and_find_files(tmp_path: Path) -> None:
    sets = read_annotation_sets(FIXTURES / "Seizures-list-PN99.txt")
    assert list(sets) == ["PN99-1.edf", "PN99-2.edf"]
    assert list(read_annotation_sets(FIXTURES / "ictal_s001_t000.csv_bi")) == ["ictal_s001_t000"]
    events = read_annotation_sets(FIXTURES / "sub-01_task-rest_run-01_events.tsv")
    assert list(events) == ["sub-01_task-rest_run-01"]
    edf = tmp_path / "sub-01_task-rest_eeg.edf"
    edf.write_bytes(b"0       ")
    tsv = _write(tmp_path, "sub-01_task-rest_events.tsv", "onset\tduration\n")
    csv_bi = _write(tmp_path, "sub-01_task-rest_eeg.csv_bi", "# version = csv_v1.0.0\n")
    assert find_annotation_files(edf) == (csv_bi, tsv)
