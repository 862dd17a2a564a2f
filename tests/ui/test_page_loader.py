"""Pages come from the worker: right traces, prefetched neighbours, broken files reported."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.core.errors import RecordingError
from app.core.filters import FilterSettings
from app.workers.page_job import PageRequest
from app.workers.page_loader import FirstPage, PageLoader
from tests.ui.recordings import (
    ANNOTATIONS,
    SCALP,
    channel_amplitude_uv,
    write_broken_edf,
    write_test_edf,
)


@pytest.fixture
def loader(qtbot):
    page_loader = PageLoader()
    yield page_loader
    page_loader.close()


@pytest.fixture(scope="module")
def edf(tmp_path_factory) -> Path:
    return write_test_edf(tmp_path_factory.mktemp("rec") / "test.edf")


def _open(qtbot, loader: PageLoader, path: Path, first: FirstPage | None = None):
    with qtbot.waitSignal(loader.opened, timeout=10000) as blocker:
        loader.open(path, first)
    return blocker.args[0]


def test_open_works_out_montages_and_warms_the_first_page(qtbot, loader, edf) -> None:
    source = _open(qtbot, loader, edf, FirstPage(10.0, "double_banana", 1.0, 70.0, None))
    keys = [o.key for o in source.montage_options]
    assert keys[:2] == ["as_recorded", "double_banana"]
    assert source.default_montage == "double_banana"
    first = PageRequest(
        0.0, 10.0, "double_banana", FilterSettings(1.0, 70.0, None), frozenset(), 500
    )
    assert source.is_cached(first)


def test_page_has_the_montage_traces_decimated_to_the_columns(qtbot, loader, edf) -> None:
    _open(qtbot, loader, edf)
    request = PageRequest(
        20.0, 10.0, "as_recorded", FilterSettings(None, None, None), frozenset(), 400
    )
    with qtbot.waitSignal(loader.page_ready, timeout=10000) as blocker:
        loader.request(request)
    page = blocker.args[0]
    assert page.traces.labels[: len(SCALP)] == tuple(
        {"T3": "T3", "T4": "T4"}.get(n, n) for n in SCALP
    )
    assert page.data.shape == (len(SCALP) + 1, 2560)
    assert page.envelope.y.shape == (len(SCALP) + 1, 800)
    # Channel k is a sine of 10 (k + 1) µV: the envelope reaches it.
    for k in (0, 5, 18):
        assert np.max(page.envelope.y[k]) == pytest.approx(channel_amplitude_uv(k), rel=0.02)
    assert page.traces.types[-1] == "ECG"


def test_neighbours_are_prefetched(qtbot, loader, edf) -> None:
    _open(qtbot, loader, edf)
    request = PageRequest(40.0, 10.0, "double_banana", FilterSettings(), frozenset(), 300)
    with qtbot.waitSignal(loader.page_ready, timeout=10000):
        loader.request(request)
    source = loader.source
    qtbot.waitUntil(lambda: source.is_cached(request.shifted(1.0)), timeout=10000)
    qtbot.waitUntil(lambda: source.is_cached(request.shifted(-1.0)), timeout=10000)


def test_only_the_latest_request_is_answered(qtbot, loader, edf) -> None:
    _open(qtbot, loader, edf)
    answered: list[float] = []
    loader.page_ready.connect(lambda page: answered.append(page.request.start_s))
    base = PageRequest(0.0, 10.0, "double_banana", FilterSettings(), frozenset(), 300)
    for start in (0.0, 30.0, 60.0, 90.0):
        loader.request(PageRequest(start, 10.0, base.montage, base.filters, base.bad, 300))
    qtbot.waitUntil(lambda: 90.0 in answered, timeout=10000)
    qtbot.wait(100)
    assert answered == [90.0]


def test_a_broken_file_is_reported(qtbot, loader, tmp_path) -> None:
    broken = write_broken_edf(tmp_path / "broken.edf")
    with qtbot.waitSignal(loader.open_failed, timeout=10000) as blocker:
        loader.open(broken)
    assert isinstance(blocker.args[0], RecordingError)
    assert loader.source is None


def test_annotations_are_read_in_the_background_after_the_first_page(qtbot, loader, edf) -> None:
    source = _open(qtbot, loader, edf, FirstPage(10.0, "double_banana", 1.0, 70.0, None))
    recording = source.recording
    assert not recording.annotations_loaded  # opening did not wait for the scan
    request = PageRequest(0.0, 10.0, "double_banana", FilterSettings(), frozenset(), 300)
    pages: list[object] = []
    loader.page_ready.connect(pages.append)
    with qtbot.waitSignal(loader.annotations_ready, timeout=10000) as got:
        loader.request(request)
    assert len(pages) == 1  # the page came first
    assert got.args[0] is recording
    assert recording.annotations_loaded
    assert [(a.onset, a.description) for a in recording.annotations] == [
        (onset, text) for onset, _duration, text in ANNOTATIONS
    ]
