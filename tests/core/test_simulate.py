"""The synthetic EEG simulator: determinism, seizure physiology, ground truth, SEEG."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from scipy.signal import welch

from app.core.simulate import (
    REGIONS,
    SCALP_19,
    ArtefactRates,
    SeizureSpec,
    SimulationSpec,
    SimulationSpecError,
    channel_truth,
    generate,
    hypnogram,
    scalp_channels,
    seeg_channels,
    seizure_channels,
    truth_annotations,
)

FS = 256.0


def band_power(x: np.ndarray, lo: float, hi: float, fs: float = FS) -> np.ndarray:
    """Power per channel in [lo, hi] Hz (Welch, 2-s windows)."""
    f, p = welch(x, fs=fs, nperseg=int(2 * fs), axis=-1)
    band = (f >= lo) & (f <= hi)
    power: np.ndarray = p[..., band].sum(axis=-1)
    return power


def rows(spec: SimulationSpec, *names: str) -> list[int]:
    return [spec.channels.index(n) for n in names]


def test_scalp_channels_layouts() -> None:
    assert scalp_channels(19) == SCALP_19
    assert scalp_channels(23) == (*SCALP_19, "A1", "A2", "ECG", "EOG")
    assert set(scalp_channels(8)) <= set(SCALP_19) and len(scalp_channels(8)) == 8
    with pytest.raises(ValueError):
        scalp_channels(0)


def test_spans_are_identical_at_once_or_in_pieces() -> None:
    spec = SimulationSpec(
        duration_s=40.0,
        channels=scalp_channels(23),
        seed=5,
        seizures=(SeizureSpec(6.0, 9.0, "focal", "left_temporal"), SeizureSpec(25, 6, "absence")),
        spikes_per_hour=2000.0,
        artefacts=ArtefactRates(blinks_per_min=40, muscle_per_hour=600, pops_per_hour=600),
    )
    whole = generate(spec, 0.0, 20.0)
    halves = np.concatenate([generate(spec, 0.0, 10.0), generate(spec, 10.0, 10.0)], axis=1)
    assert whole.shape == (23, 5120) and whole.dtype == np.float32
    assert np.array_equal(whole, halves)
    odd = [generate(spec, a, b - a) for a, b in ((0, 3.7), (3.7, 11.1), (11.1, 20.0))]
    assert np.array_equal(whole, np.concatenate(odd, axis=1))
    assert np.array_equal(generate(spec, 12.5, 3.0), whole[:, 3200:3968])
    later = generate(spec, 20.0, 20.0)
    assert np.array_equal(generate(spec, 0.0, 40.0), np.concatenate([whole, later], axis=1))


def test_background_amplitude_and_alpha_are_physiological() -> None:
    spec = SimulationSpec(duration_s=120.0, seed=1, artefacts=ArtefactRates(0, 0, 0))
    x = generate(spec, 0.0, 120.0)
    rms = x.std(axis=1)
    assert np.all((rms > 12) & (rms < 60)), rms
    alpha = band_power(x, 8, 12)
    o1, fz = rows(spec, "O1", "Fz")
    assert alpha[o1] > 5 * alpha[fz]  # posterior dominant rhythm


def test_different_seeds_differ_and_same_seed_repeats() -> None:
    a = generate(SimulationSpec(duration_s=10, seed=1), 0, 5)
    b = generate(SimulationSpec(duration_s=10, seed=2), 0, 5)
    assert not np.allclose(a, b)
    assert np.array_equal(a, generate(SimulationSpec(duration_s=10, seed=1), 0, 5))


def test_focal_left_temporal_seizure_is_left_temporal() -> None:
    seizure = SeizureSpec(30.0, 60.0, "focal", "left_temporal", spread=False)
    spec = SimulationSpec(duration_s=120.0, seed=2, seizures=(seizure,), spikes_per_hour=0)
    before = band_power(generate(spec, 0.0, 28.0), 3, 10)
    during = band_power(generate(spec, 45.0, 40.0), 3, 10)
    gain = during / before
    f7, t7, p7, o2 = rows(spec, "F7", "T7", "P7", "O2")
    assert min(gain[f7], gain[t7]) > 8.0
    assert gain[p7] > 4.0  # also in the onset zone, but its baseline carries alpha
    assert gain[o2] < 2.0
    assert gain[t7] > 6 * gain[o2]


def test_focal_seizure_evolves_from_fast_to_slow() -> None:
    seizure = SeizureSpec(10.0, 90.0, "focal", "right_temporal", spread=False)
    spec = SimulationSpec(duration_s=110.0, seed=3, seizures=(seizure,), spikes_per_hour=0)
    t8 = rows(spec, "T8")[0]

    def peak_hz(start: float) -> float:
        f, p = welch(generate(spec, start, 12.0)[t8], fs=FS, nperseg=int(4 * FS))
        band = (f > 1.5) & (f < 12)
        return float(f[band][np.argmax(p[band])])

    early, late = peak_hz(11.0), peak_hz(85.0)
    assert 6.0 <= early <= 9.5
    assert late <= 4.0 < early
    amplitude = [np.ptp(generate(spec, t, 2.0)[t8]) for t in (11.0, 60.0)]
    assert amplitude[1] > 2 * amplitude[0]  # low-amplitude onset, high-amplitude later


def test_absence_is_generalised_3_hz_spike_wave() -> None:
    spec = SimulationSpec(
        duration_s=60.0, seed=4, seizures=(SeizureSpec(30.0, 12.0, "absence"),), spikes_per_hour=0
    )
    x = generate(spec, 30.5, 11.0)
    f, p = welch(x, fs=FS, nperseg=int(4 * FS), axis=-1)
    band = (f > 1.0) & (f < 20.0)
    peaks = f[band][np.argmax(p[:, band], axis=1)]
    assert np.all((peaks >= 2.5) & (peaks <= 3.75)), peaks
    gain = band_power(x, 2.5, 3.75) / band_power(generate(spec, 0.0, 28.0), 2.5, 3.75)
    assert gain.min() > 10.0
    fz, o1 = rows(spec, "Fz", "O1")
    assert band_power(x[fz], 2.5, 3.75) > 1.5 * band_power(x[o1], 2.5, 3.75)  # frontal maximum
    assert channel_truth(spec)[:, 31].all()


def test_tonic_clonic_has_muscle_and_postictal_suppression() -> None:
    gtc = SeizureSpec(20.0, 60.0, "generalized_tonic_clonic")
    spec = SimulationSpec(duration_s=200.0, seed=5, seizures=(gtc,), spikes_per_hour=0)
    t7 = rows(spec, "T7")[0]
    base = generate(spec, 0.0, 18.0)[t7]
    tonic = generate(spec, 25.0, 10.0)[t7]
    post = generate(spec, 85.0, 20.0)[t7]
    assert band_power(tonic, 40, 100) > 50 * band_power(base, 40, 100)  # muscle
    assert band_power(post, 8, 30) < 0.5 * band_power(base, 8, 30)  # suppressed


def test_channel_truth_follows_onset_and_spread() -> None:
    seizure = SeizureSpec(100.0, 80.0, "focal", "left_temporal", spread=True)
    spec = SimulationSpec(duration_s=300.0, seizures=(seizure,))
    truth = channel_truth(spec)
    assert truth.shape == (19, 300)
    assert not truth[:, :100].any() and not truth[:, 180:].any()
    onset = set(np.array(spec.channels)[truth[:, 100]])
    assert onset == set(REGIONS["left_temporal"])
    assert truth[rows(spec, "T8")[0], 170]  # spread to the other side late in the seizure
    assert truth.sum(axis=0)[170] > truth.sum(axis=0)[101]
    bipolar = channel_truth(spec, ["Fp1-F7", "Fp2-F8", "T3-T5", "Cz"], np.array([101, 10]))
    assert bipolar.tolist() == [[True, False], [False, False], [True, False], [False, False]]


def test_truth_annotations_describe_seizures_and_spikes() -> None:
    seizures = (
        SeizureSpec(300.0, 60.0, "focal", "right_frontal", spread=False),
        SeizureSpec(1000.0, 10.0, "absence"),
    )
    spec = SimulationSpec(duration_s=1800.0, seizures=seizures, spikes_per_hour=120.0, seed=9)
    notes = truth_annotations(spec)
    marked = [a for a in notes if a.description.startswith("Seizure")]
    assert [(a.onset, a.duration, a.description) for a in marked] == [
        (300.0, 60.0, "Seizure: focal right_frontal"),
        (1000.0, 10.0, "Seizure: absence"),
    ]
    assert set(marked[0].channels) == set(REGIONS["right_frontal"])
    assert marked[0].channels == seizure_channels(spec, 0)
    spikes = [a for a in notes if a.description == "Spike"]
    assert 25 <= len(spikes) <= 95  # ~60 expected in 30 min at 120/h outside seizures
    assert all(a.source == "simulator" and a.channels for a in notes)
    assert all(0.02 <= a.duration <= 0.5 for a in spikes)
    assert [a.onset for a in notes] == sorted(a.onset for a in notes)


def test_spikes_are_sharp_focal_transients() -> None:
    spec = SimulationSpec(
        duration_s=600.0, spikes_per_hour=600.0, artefacts=ArtefactRates(0, 0, 0), seed=11
    )
    spikes = [a for a in truth_annotations(spec) if a.description == "Spike"]
    x = generate(spec, 0.0, 600.0)
    focus, o2 = rows(spec, "F7", "T7", "P7"), rows(spec, "O2")
    assert len(spikes) > 60
    peaks_focus, peaks_o2 = [], []
    for a in spikes:
        i = round(a.onset * FS)
        peaks_focus.append(-x[focus, i : i + 20].min())  # surface-negative peak
        peaks_o2.append(-x[o2, i : i + 20].min())
        assert set(a.channels) & {"F7", "T7", "P7"}
    assert np.median(peaks_focus) > 90.0
    assert np.median(peaks_focus) > 2.0 * np.median(peaks_o2)


def test_blinks_are_frontal() -> None:
    spec = SimulationSpec(duration_s=120.0, artefacts=ArtefactRates(30, 0, 0), spikes_per_hour=0)
    x = generate(spec, 0.0, 120.0)
    fp1, o1 = rows(spec, "Fp1", "O1")
    assert x[fp1].max() > 150.0 and x[fp1].max() > 3 * x[o1].max()


def test_sleep_night_has_a_plausible_hypnogram() -> None:
    night = SimulationSpec.night(8.0, 3, seed=1)
    stages = hypnogram(night)
    share = np.bincount(stages, minlength=5) / len(stages)
    assert 0.35 < share[2] < 0.65 and 0.1 < share[4] < 0.3 and 0.05 < share[3] < 0.25
    half = len(stages) // 2
    assert (stages[:half] == 3).sum() > 2 * (stages[half:] == 3).sum()  # N3 early
    assert not hypnogram(SimulationSpec(duration_s=3600)).any()


def test_n3_has_delta_and_n2_has_spindles() -> None:
    night = SimulationSpec.night(8.0, 0, seed=2)
    stages = hypnogram(night)

    def stage_power(stage: int, channel: str, lo: float, hi: float) -> float:
        epochs = np.flatnonzero(stages == stage)
        picks = epochs[:: max(1, len(epochs) // 8)][:8]  # 8 epochs spread over the night
        row = rows(night, channel)[0]
        return float(
            np.mean([band_power(generate(night, e * 30.0, 30.0)[row], lo, hi) for e in picks])
        )

    assert stage_power(3, "Fz", 0.5, 2.0) > 8 * stage_power(0, "Fz", 0.5, 2.0)  # slow waves
    assert stage_power(2, "Cz", 11.5, 14.5) > 1.3 * stage_power(0, "Cz", 11.5, 14.5)  # spindles
    assert stage_power(0, "O1", 8.0, 12.0) > 4 * stage_power(2, "O1", 8.0, 12.0)  # alpha awake


def test_night_factory_places_realistic_seizures() -> None:
    spec = SimulationSpec.night(8.0, 4, seed=7, kinds=("focal", "absence"))
    assert spec == SimulationSpec.night(8.0, 4, seed=7, kinds=("focal", "absence"))
    assert spec.duration_s == 8 * 3600 and len(spec.channels) == 23 and spec.sleep
    onsets = [s.onset_s for s in spec.seizures]
    assert onsets == sorted(onsets) and onsets[0] >= 300
    for s in spec.seizures:
        low, high = (30, 120) if s.kind == "focal" else (5, 15)
        assert low <= s.duration_s <= high and s.offset_s < spec.duration_s


def test_spec_json_round_trip_and_validation() -> None:
    spec = SimulationSpec.night(2.0, 2, seed=3).silenced(("T7",))
    assert SimulationSpec.from_json(spec.to_json()) == spec
    with pytest.raises(SimulationSpecError, match="region"):
        SimulationSpec(seizures=(SeizureSpec(10, 20, "focal", "left_elbow"),))
    with pytest.raises(SimulationSpecError, match="ends after"):
        SimulationSpec(duration_s=60, seizures=(SeizureSpec(50, 20),))
    with pytest.raises(SimulationSpecError):
        SimulationSpec.from_json('{"duration_s": 60, "colour": "blue"}')
    with pytest.raises(SimulationSpecError):
        SimulationSpec.from_json("[1, 2]")


def test_seeg_seizure_is_strongest_on_its_onset_contacts() -> None:
    spec = SimulationSpec.seeg_demo(duration_s=240.0, seed=1)
    onset = spec.seizures[0].onset_s
    assert spec.channels == seeg_channels()
    before = generate(spec, onset - 60.0, 50.0)
    early = generate(spec, onset + 2.0, 12.0)
    gain = band_power(early, 3, 40, FS) / band_power(before, 3, 40, FS)
    top3 = {spec.channels[i] for i in np.argsort(-gain)[:3]}
    assert top3 == {"B'1", "B'2", "B'3"}
    truth = channel_truth(spec)
    assert {spec.channels[i] for i in np.flatnonzero(truth[:, int(onset) + 1])} == top3
    late = {spec.channels[i] for i in np.flatnonzero(truth[:, int(onset) + 50])}
    assert {"B'4", "A'1"} <= late  # spread along the shaft and to the amygdala
    assert not any(name.startswith(("H'", "OF'", "TP'")) for name in late)


def test_seeg_silenced_contacts_lose_their_discharges() -> None:
    pre = SimulationSpec.seeg_demo(duration_s=240.0, seed=2)
    treated = ("B'1", "B'2", "B'3")
    post = pre.silenced(treated)
    window = (0.0, 100.0)  # interictal: spikes only
    spikes_pre = [a for a in truth_annotations(pre) if a.description == "Spike"]
    spikes_post = [a for a in truth_annotations(post) if a.description == "Spike"]
    assert any(set(treated) & set(a.channels) for a in spikes_pre)
    assert not any(set(treated) & set(a.channels) for a in spikes_post)
    x_pre, x_post = generate(pre, *window), generate(post, *window)
    r = rows(pre, *treated)
    assert np.abs(x_post[r]).max() < 0.4 * np.abs(x_pre[r]).max()
    kept = rows(pre, "A'1")
    assert np.abs(x_post[kept]).max() > 0.5 * np.abs(x_pre[kept]).max()
    assert not channel_truth(post)[r].any() and channel_truth(pre)[r].any()


def test_any_span_of_a_24h_night_is_quick_and_small() -> None:
    spec = SimulationSpec.night(24.0, 6, seed=4)
    seizure = spec.seizures[3]
    tracemalloc.start()
    try:
        x = generate(spec, seizure.onset_s + 5.0, 20.0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert x.shape == (23, 5120) and np.isfinite(x).all()
    assert peak < 30e6
    truth = channel_truth(spec, None, np.arange(int(seizure.onset_s), int(seizure.onset_s) + 5))
    assert truth.any(axis=0).all()
