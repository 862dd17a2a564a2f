"""Post − pre change per channel and per shaft, with bootstrap 95 % intervals, and rankings.

For every matched channel and metric the change is ``post − pre`` (dB for band power);
its interval comes from the difference of independently resampled replicates of the two
recordings (:mod:`app.core.compare.bootstrap`). A change whose interval excludes zero is
called *significant* here (a descriptive flag, not corrected for the many channels).

Rankings (what the surgeon reads first):

- ``ranking``: channels by **decrease in discharge rate** (pre − post, largest first),
  ties broken by the combined score;
- ``combined``: the mean of the standardised decreases (decrease ÷ bootstrap SD of the
  change, clipped to ±10) of discharge rate, model seizure burden (when the model ran)
  and line length: a channel scores high when its abnormal activity fell clearly on
  several measures at once.

SEEG contacts are also averaged per shaft (each replicate averages the shaft's matched
contacts, so the interval accounts for their correlation). Treated contacts (as typed by
the user, :func:`app.core.compare.seeg.parse_treated`) are flagged everywhere; entries
that match no channel are reported in ``treated_missing``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from app.core.channels import electrodes_of
from app.core.compare.bootstrap import interval
from app.core.compare.matching import match_channels, match_key
from app.core.compare.metrics import Estimate, MetricInfo, RecordingMetrics
from app.core.compare.seeg import clean_name, group_by_shaft, shaft_of
from app.core.compare.source import CompareError, SourceKind

F64 = npt.NDArray[np.float64]
COMBINED_KEYS = ("spike_rate", "seizure_burden", "line_length")
Z_CLIP = 10.0


@dataclass(frozen=True, slots=True)
class Change:
    """One metric of one channel (or shaft) before, after, and the change between."""

    pre: Estimate
    post: Estimate
    diff: Estimate  # post − pre
    relative_pct: float  # 100·diff/pre for linear metrics with pre > 0, else NaN
    z: float  # −diff / SD(diff): the standardised decrease

    @property
    def significant(self) -> bool:
        return bool(self.diff.low > 0 or self.diff.high < 0)


@dataclass(frozen=True, slots=True)
class ChannelChange:
    name: str  # as spelled in the pre recording
    post_name: str
    shaft: str | None
    treated: bool
    changes: tuple[Change, ...]  # aligned with Comparison.metrics
    combined: float


@dataclass(frozen=True, slots=True)
class ShaftChange:
    shaft: str
    contacts: tuple[str, ...]
    treated: tuple[str, ...]
    changes: tuple[Change, ...]


@dataclass(frozen=True, slots=True)
class RankEntry:
    rank: int
    name: str
    decrease: Estimate  # pre − post discharge rate, /min
    combined: float
    treated: bool


@dataclass(frozen=True, slots=True)
class Comparison:
    """Everything the views, the PDF and the JSON output show."""

    pre_label: str
    post_label: str
    kind: SourceKind
    metrics: tuple[MetricInfo, ...]
    channels: tuple[ChannelChange, ...]
    ranking: tuple[RankEntry, ...]
    combined_ranking: tuple[str, ...]
    shafts: tuple[ShaftChange, ...]
    only_pre: tuple[str, ...]
    only_post: tuple[str, ...]
    treated: tuple[str, ...]
    treated_missing: tuple[str, ...]
    pre_duration_s: float
    post_duration_s: float
    epoch_s: int
    model: str | None
    replicates: int | None = None  # bootstrap replicates behind the intervals

    def metric_index(self, key: str) -> int:
        for i, info in enumerate(self.metrics):
            if info.key == key:
                return i
        raise KeyError(f"no metric {key!r}")

    def channel(self, name: str) -> ChannelChange:
        key = match_key(name)
        for ch in self.channels:
            if match_key(ch.name) == key:
                return ch
        raise KeyError(f"no matched channel {name!r}")

    def has_metric(self, key: str) -> bool:
        """True when the metric exists and has a change on at least one channel (a value
        before and after: the seizure metrics need the model's results for both)."""
        try:
            m = self.metric_index(key)
        except KeyError:
            return False
        return any(ch.changes[m].diff.available for ch in self.channels)


def _change(pre_rep: F64, post_rep: F64, pre_v: float, post_v: float, info: MetricInfo) -> Change:
    diff_rep = post_rep - pre_rep
    lo, hi = (float(v) for v in interval(diff_rep))
    diff = post_v - pre_v
    rel = 100.0 * diff / pre_v if info.scale == "linear" and pre_v > 0 else float("nan")
    sd = float(np.std(diff_rep)) if np.all(np.isfinite(diff_rep)) else float("nan")
    if not np.isfinite(diff):
        z = float("nan")
    elif sd > 0:
        z = float(np.clip(-diff / sd, -Z_CLIP, Z_CLIP))
    else:
        z = 0.0 if diff == 0 else float(np.sign(-diff) * Z_CLIP)
    pre_lo, pre_hi = (float(v) for v in interval(pre_rep))
    post_lo, post_hi = (float(v) for v in interval(post_rep))
    return Change(
        Estimate(pre_v, pre_lo, pre_hi),
        Estimate(post_v, post_lo, post_hi),
        Estimate(diff, lo, hi),
        rel,
        z,
    )


def _is_treated(name: str, treated_keys: set[str]) -> bool:
    keys = {match_key(name), *(match_key(e) for e in electrodes_of(clean_name(name)))}
    return bool(keys & treated_keys)


def _combined(changes: Sequence[Change], metrics: Sequence[MetricInfo]) -> float:
    zs = [c.z for c, m in zip(changes, metrics, strict=True) if m.key in COMBINED_KEYS]
    finite = [z for z in zs if np.isfinite(z)]
    return float(np.mean(finite)) if finite else 0.0


def _shafts(
    channels: Sequence[ChannelChange],
    pre: RecordingMetrics,
    post: RecordingMetrics,
    rows: Sequence[tuple[int, int, int]],
    metrics: Sequence[MetricInfo],
) -> tuple[ShaftChange, ...]:
    by_name = {ch.name: k for k, ch in enumerate(channels)}
    out = []
    for shaft, names in group_by_shaft(ch.name for ch in channels).items():
        ks = [by_name[n] for n in names]
        pi = [pre.names.index(channels[k].name) for k in ks]
        qi = [post.names.index(channels[k].post_name) for k in ks]
        changes = []
        for m, (mp, mq, _) in zip(metrics, rows, strict=True):
            pre_rep = pre.replicates[mp, pi].mean(axis=0)
            post_rep = post.replicates[mq, qi].mean(axis=0)
            pre_v, post_v = float(pre.values[mp, pi].mean()), float(post.values[mq, qi].mean())
            changes.append(_change(pre_rep, post_rep, pre_v, post_v, m))
        treated = tuple(n for n, k in zip(names, ks, strict=True) if channels[k].treated)
        out.append(ShaftChange(shaft, tuple(names), treated, tuple(changes)))
    return tuple(out)


def _ranking(channels: Sequence[ChannelChange], spike: int) -> tuple[RankEntry, ...]:
    def decrease(ch: ChannelChange) -> float:
        value = -ch.changes[spike].diff.value
        return value if np.isfinite(value) else -np.inf

    order = sorted(channels, key=lambda ch: (-decrease(ch), -ch.combined))
    out = []
    for rank, ch in enumerate(order, start=1):
        d = ch.changes[spike].diff
        fall = Estimate(0.0 - d.value, 0.0 - d.high, 0.0 - d.low)
        out.append(RankEntry(rank, ch.name, fall, ch.combined, ch.treated))
    return tuple(out)


def _channels(
    pre: RecordingMetrics,
    post: RecordingMetrics,
    metrics: tuple[MetricInfo, ...],
    rows: Sequence[tuple[int, int, int]],
    treated_keys: set[str],
) -> list[ChannelChange]:
    out = []
    for pair in match_channels(pre.names, post.names).pairs:
        i, j = pair.pre_index, pair.post_index
        changes = tuple(
            _change(
                pre.replicates[mp, i],
                post.replicates[mq, j],
                float(pre.values[mp, i]),
                float(post.values[mq, j]),
                info,
            )
            for info, (mp, mq, _) in zip(metrics, rows, strict=True)
        )
        out.append(
            ChannelChange(
                name=pair.name,
                post_name=pair.post_name,
                shaft=shaft_of(pair.name) if pre.kind == "seeg" else None,
                treated=_is_treated(pair.name, treated_keys),
                changes=changes,
                combined=_combined(changes, metrics),
            )
        )
    return out


def compare(
    pre: RecordingMetrics, post: RecordingMetrics, treated: Sequence[str] = ()
) -> Comparison:
    """The comparison of two recordings' metrics (see the module doc)."""
    matching = match_channels(pre.names, post.names)
    if not matching.pairs:
        raise CompareError(
            f"{pre.label or 'pre'} and {post.label or 'post'}",
            "no channel name is common to both recordings",
        )
    post_keys = {info.key for info in post.metrics}
    metrics = tuple(info for info in pre.metrics if info.key in post_keys)
    rows = [(pre.index(i.key), post.index(i.key), k) for k, i in enumerate(metrics)]
    treated_names = tuple(clean_name(t) for t in treated)
    channels = _channels(pre, post, metrics, rows, {match_key(t) for t in treated_names})
    all_keys = {match_key(n) for n in (*pre.names, *post.names)}
    all_parts = {match_key(e) for n in (*pre.names, *post.names) for e in electrodes_of(n)}
    missing = tuple(t for t in treated_names if match_key(t) not in all_keys | all_parts)
    spike = next(k for k, info in enumerate(metrics) if info.key == "spike_rate")
    by_combined = sorted(channels, key=lambda ch: -ch.combined)
    return Comparison(
        pre_label=pre.label,
        post_label=post.label,
        kind=pre.kind,
        metrics=metrics,
        channels=tuple(channels),
        ranking=_ranking(channels, spike),
        combined_ranking=tuple(ch.name for ch in by_combined),
        shafts=_shafts(channels, pre, post, rows, metrics) if pre.kind == "seeg" else (),
        only_pre=matching.only_pre,
        only_post=matching.only_post,
        treated=treated_names,
        treated_missing=missing,
        pre_duration_s=pre.duration_s,
        post_duration_s=post.duration_s,
        epoch_s=pre.epoch_s,
        model=pre.model if pre.model == post.model else None,
        replicates=int(pre.replicates.shape[-1]) if pre.replicates.ndim == 3 else None,
    )
