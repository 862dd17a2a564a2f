"""Which channels feed the whole-night trends: hemispheres for the CDSA, pairs for the aEEG.

Scalp EEG follows the 10-20 convention: odd numbers (Fp1, F3, C3, P3, O1, F7, T7/T3,
P7/T5) are the left hemisphere, even numbers the right, ``z`` electrodes the midline
(left out, as are the ear/mastoid references A1/A2/M1/M2, which carry no cortex of
their own). A bipolar recording (CHB-MIT ``Fp1-F7``) contributes the derivations whose
two electrodes lie on the same side: the left and right chains of the double banana.

SEEG follows the French (Talairach/Bancaud) convention: a primed shaft (``A'``) is
implanted in the left hemisphere, an unprimed one (``A``) in the right. A depth
recording with shafts on one side only gives a single "all channels" group.

The aEEG uses one bipolar derivation per hemisphere, by preference the two-channel
neonatal standard C3-P3 / C4-P4 (Natus/Nicolet, Olympic Brainz), then other
centro-parietal, fronto-central and occipital pairs, then the first pair the
hemisphere offers (adjacent contacts of a shaft for SEEG).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from app.core.aeeg import MIN_SFREQ
from app.core.channels import ChannelType, canonical_electrode, electrodes_of, seeg_contact
from app.core.recording_info import Channel

#: Reference electrodes: not part of either hemisphere.
REFERENCE_ELECTRODES = frozenset({"A1", "A2", "M1", "M2"})
#: aEEG derivations in order of preference, (left pair, right pair).
AEEG_PAIRS: tuple[tuple[tuple[str, str], tuple[str, str]], ...] = (
    (("C3", "P3"), ("C4", "P4")),
    (("F3", "P3"), ("F4", "P4")),
    (("Fp1", "C3"), ("Fp2", "C4")),
    (("C3", "O1"), ("C4", "O2")),
    (("F3", "C3"), ("F4", "C4")),
    (("T7", "O1"), ("T8", "O2")),
    (("Fp1", "T7"), ("Fp2", "T8")),
)
LEFT, RIGHT, ALL = "left", "right", "all"


@dataclass(frozen=True, slots=True)
class TrendGroup:
    """A set of channels averaged into one CDSA map (``key``: left, right or all)."""

    key: str
    channels: tuple[int, ...]
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Derivation:
    """One aEEG input: ``plus - minus`` (``minus`` None when the channel is bipolar already)."""

    key: str
    label: str
    plus: int
    minus: int | None = None


@dataclass(frozen=True, slots=True)
class TrendPlan:
    """Everything computed for one recording: CDSA groups and aEEG derivations."""

    groups: tuple[TrendGroup, ...]
    derivations: tuple[Derivation, ...]

    @property
    def channels(self) -> tuple[int, ...]:
        """The recording channels to read, sorted and unique."""
        used = {i for g in self.groups for i in g.channels}
        for d in self.derivations:
            used.add(d.plus)
            if d.minus is not None:
                used.add(d.minus)
        return tuple(sorted(used))

    @property
    def empty(self) -> bool:
        return not self.groups and not self.derivations

    def describe(self) -> str:
        """A stable JSON text of the plan (cache key: channels by name and index)."""
        return json.dumps(asdict(self), sort_keys=True)


def electrode_side(electrode: str) -> str | None:
    """``left`` for odd-numbered 10-20 sites, ``right`` for even, None for midline/reference."""
    name = canonical_electrode(electrode)
    if name in REFERENCE_ELECTRODES or not name or not name[-1].isdigit():
        return None
    return LEFT if int(name[-1]) % 2 else RIGHT


def _eeg_side(name: str) -> str | None:
    sides = {electrode_side(e) for e in electrodes_of(name)}
    return sides.pop() if len(sides) == 1 else None


def _seeg_side(name: str) -> str | None:
    contacts = [seeg_contact(e) for e in electrodes_of(name)]
    if not contacts or any(c is None for c in contacts):
        return None
    sides = {LEFT if c[0].endswith("'") else RIGHT for c in contacts if c is not None}
    return sides.pop() if len(sides) == 1 else None


def hemisphere_groups(channels: Sequence[Channel]) -> tuple[TrendGroup, ...]:
    """Left and right groups of a recording (one ``all`` group when sides cannot be told)."""
    eeg = [c for c in channels if c.type is ChannelType.EEG and c.is_voltage]
    seeg = [c for c in channels if c.type is ChannelType.SEEG and c.is_voltage]
    pool, side_of = (seeg, _seeg_side) if len(seeg) > len(eeg) else (eeg, _eeg_side)
    sides: dict[str, list[Channel]] = {LEFT: [], RIGHT: []}
    for ch in pool:
        side = side_of(ch.name)
        if side is not None:
            sides[side].append(ch)
    if sides[LEFT] and sides[RIGHT]:
        return tuple(_group(key, sides[key]) for key in (LEFT, RIGHT))
    usable = [c for c in pool if not set(electrodes_of(c.name)) & REFERENCE_ELECTRODES]
    return (_group(ALL, usable),) if usable else ()


def _group(key: str, channels: Sequence[Channel]) -> TrendGroup:
    return TrendGroup(key, tuple(c.index for c in channels), tuple(c.name for c in channels))


def _lookup(channels: Sequence[Channel]) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """Scalp channels: referential by electrode, bipolar by (electrode, electrode)."""
    single: dict[str, int] = {}
    pairs: dict[tuple[str, str], int] = {}
    for ch in channels:
        if ch.type is not ChannelType.EEG or not ch.is_voltage:
            continue
        parts = tuple(canonical_electrode(e) for e in electrodes_of(ch.name))
        if len(parts) == 1:
            single.setdefault(parts[0], ch.index)
        elif len(parts) == 2:
            pairs.setdefault((parts[0], parts[1]), ch.index)
    return single, pairs


def _resolve(
    pair: tuple[str, str], single: dict[str, int], pairs: dict[tuple[str, str], int]
) -> tuple[int, int | None] | None:
    a, b = (canonical_electrode(e) for e in pair)
    if a in single and b in single:
        return single[a], single[b]
    if (a, b) in pairs:
        return pairs[(a, b)], None
    if (b, a) in pairs:  # the sign does not matter after rectification
        return pairs[(b, a)], None
    return None


def _fallback(group: TrendGroup) -> tuple[int, int | None] | None:
    """The first pair a hemisphere offers: its first two referential channels or a bipolar one."""
    if not group.channels:
        return None
    if len(electrodes_of(group.names[0])) == 2:
        return group.channels[0], None
    if len(group.channels) >= 2:
        return group.channels[0], group.channels[1]
    return None


def aeeg_derivations(
    channels: Sequence[Channel], groups: Sequence[TrendGroup]
) -> tuple[Derivation, ...]:
    """One aEEG derivation per hemisphere group, standard pairs first."""
    single, pairs = _lookup(channels)
    names = {c.index: c.name for c in channels}
    out: list[Derivation] = []
    for group in groups:
        side = 1 if group.key == RIGHT else 0
        found = None
        if group.key != ALL:
            for candidates in AEEG_PAIRS:
                found = _resolve(candidates[side], single, pairs)
                if found is not None:
                    break
        found = found or _fallback(group)
        if found is None:
            continue
        plus, minus = found
        label = names[plus] if minus is None else f"{names[plus]}-{names[minus]}"
        out.append(Derivation(group.key, label, plus, minus))
    return tuple(out)


def plan_trends(channels: Sequence[Channel], sfreq: float | None = None) -> TrendPlan:
    """The CDSA groups and aEEG derivations for a recording's channels.

    No aEEG below :data:`app.core.aeeg.MIN_SFREQ` (its 2-15 Hz band needs it).
    """
    groups = hemisphere_groups(channels)
    if sfreq is not None and sfreq < MIN_SFREQ:
        return TrendPlan(groups, ())
    return TrendPlan(groups, aeeg_derivations(channels, groups))
