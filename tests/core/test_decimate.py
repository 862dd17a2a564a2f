"""Min/max decimation keeps every extreme of a page at its pixel column."""

from __future__ import annotations

import numpy as np
import pytest

from app.core.decimate import column_edges, minmax_decimate


def test_columns_cover_every_sample_once() -> None:
    edges = column_edges(5120, 1500)
    assert edges[0] == 0
    assert np.all(np.diff(edges) >= 3)
    assert edges[-1] < 5120


def test_envelope_keeps_min_and_max_per_column() -> None:
    rng = np.random.default_rng(0)
    data = rng.normal(size=(3, 1000)).astype(np.float32)
    env = minmax_decimate(data, 100, start_s=10.0, sfreq=100.0)
    assert env.y.shape == (3, 200)
    blocks = data.reshape(3, 100, 10)
    np.testing.assert_array_equal(env.y[:, 0::2], blocks.min(axis=2))
    np.testing.assert_array_equal(env.y[:, 1::2], blocks.max(axis=2))
    # x: each column's centre time, twice; the page starts at 10 s.
    assert env.x[0] == env.x[1] == pytest.approx(10.0 + 4.5 / 100.0)
    assert env.x[-1] == pytest.approx(10.0 + 994.5 / 100.0)


def test_a_one_sample_spike_survives_decimation() -> None:
    data = np.zeros((1, 5120), dtype=np.float32)
    data[0, 2345] = 150.0
    env = minmax_decimate(data, 1400, start_s=0.0, sfreq=256.0)
    assert env.y.max() == 150.0
    column = int(np.argmax(env.y[0])) // 2
    assert env.x[2 * column] == pytest.approx(2345 / 256.0, abs=4 / 256.0)


def test_short_pages_are_returned_sample_by_sample() -> None:
    data = np.arange(10, dtype=np.float32).reshape(1, 10)
    env = minmax_decimate(data, 100, start_s=1.0, sfreq=10.0)
    np.testing.assert_array_equal(env.y, data)
    np.testing.assert_allclose(env.x, 1.0 + np.arange(10) / 10.0)


def test_uneven_column_widths() -> None:
    data = np.arange(1001, dtype=np.float32)[None, :]
    env = minmax_decimate(data, 300, start_s=0.0, sfreq=1.0)
    assert env.y[0, 0] == 0.0 and env.y[0, -1] == 1000.0
    assert np.all(np.diff(env.x) >= 0)
