"""Montages: how the recorded channels are re-combined into the traces a reader reviews.

Definitions live in ``resources/montages/*.json``::

    {"name": ..., "key": "double_banana", "description": ..., "kind": "bipolar",
     "groups": [{"name": "Left temporal", "derivations": [["Fp1", "F7"], ...]}, ...]}

Kinds and what a derivation means:

- ``bipolar``      ``[A, B]`` -> A − B (found as a chain of recorded channels, so it
  works on referential and on bipolar recordings alike);
- ``referential``  ``[A]`` -> A against the recording reference;
- ``average``      ``[A]`` -> A − mean of all good referential EEG channels (other
  referential EEG channels not listed follow in an "Other" group);
- ``laplacian``    ``[A, N1, N2, ...]`` -> A − mean(neighbours) (Hjorth);
- ``as_recorded`` and ``seeg_bipolar`` are generated from the recording itself.

Derivations a recording cannot give are dropped and reported, never zero-filled.
Referential kinds are not offered for bipolar-only recordings (CHB-MIT), which
open "as recorded". Channels marked bad stay visible in their own rows but are
left out of averages and Laplacian neighbourhoods, where they would contaminate
every other trace.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from app.core.channels import ChannelType, canonical_electrode
from app.core.errors import MontageError
from app.core.montage_engine import (
    AppliedMontage,
    ChannelLike,
    Dropped,
    ElectrodeGraph,
    InputChannel,
    Row,
    as_inputs,
    as_recorded,
    assemble,
    bad_indices,
    is_referential,
)
from app.core.montage_seeg import seeg_shaft_bipolar
from resources import resource_path

__all__ = [
    "AppliedMontage",
    "Montage",
    "MontageGroup",
    "MontageOption",
    "available_montages",
    "build_montage",
    "default_montage_key",
    "get_montage",
    "load_montages",
    "seeg_shaft_bipolar",
]

log = logging.getLogger(__name__)

KINDS = ("as_recorded", "bipolar", "referential", "average", "laplacian", "seeg_bipolar")
_ARITY = {"bipolar": (2, 2), "referential": (1, 1), "average": (1, 1), "laplacian": (2, 99)}
#: Menu order (F-keys); montages not listed follow alphabetically.
_ORDER = (
    *("as_recorded", "double_banana", "transverse", "referential", "average", "laplacian"),
    *("tcp", "chbmit_18", "seeg_bipolar"),
)


@dataclass(frozen=True, slots=True)
class MontageGroup:
    name: str
    derivations: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Montage:
    """One montage definition as written in its JSON file."""

    key: str
    name: str
    description: str
    kind: str
    groups: tuple[MontageGroup, ...]

    @classmethod
    def from_dict(cls, data: Any, source: str = "montage") -> Montage:
        """Parse and check a definition; a malformed one raises MontageError."""
        try:
            kind = str(data["kind"])
            groups = tuple(
                MontageGroup(str(g["name"]), tuple(tuple(map(str, d)) for d in g["derivations"]))
                for g in data["groups"]
            )
            key, name, description = (str(data[k]) for k in ("key", "name", "description"))
        except (KeyError, TypeError) as exc:
            raise MontageError(source, f"missing or malformed field {exc}") from exc
        if kind not in KINDS:
            raise MontageError(source, f"unknown kind {kind!r}; expected one of {KINDS}")
        low, high = _ARITY.get(kind, (0, 0))
        for group in groups:
            for derivation in group.derivations:
                if not low <= len(derivation) <= high:
                    why = f"{kind} derivation {list(derivation)} has {len(derivation)} electrodes"
                    raise MontageError(source, why)
        return cls(key, name, description, kind, groups)


class MontageOption(NamedTuple):
    """A montage this recording can show: how many traces it gives and drops."""

    key: str
    name: str
    n_derivable: int
    n_dropped: int


@functools.cache
def load_montages() -> tuple[Montage, ...]:
    """Every montage shipped in ``resources/montages``, in menu order."""
    montages: dict[str, Montage] = {}
    for entry in resource_path("montages").iterdir():
        if not entry.name.endswith(".json"):
            continue
        try:
            data = json.loads(entry.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise MontageError(entry.name, f"not valid JSON: {exc}") from exc
        montage = Montage.from_dict(data, entry.name)
        if montage.key in montages:
            raise MontageError(entry.name, f"duplicate montage key {montage.key!r}")
        montages[montage.key] = montage
    rank = {key: i for i, key in enumerate(_ORDER)}
    return tuple(sorted(montages.values(), key=lambda m: (rank.get(m.key, len(rank)), m.key)))


def get_montage(key: str) -> Montage:
    for montage in load_montages():
        if montage.key == key:
            return montage
    known = ", ".join(m.key for m in load_montages())
    raise MontageError(f"montage {key!r}", f"no such montage; known: {known}")


def _bipolar(montage: Montage, graph: ElectrodeGraph) -> tuple[list[Row], list[Dropped], list[str]]:
    rows: list[Row] = []
    dropped: list[Dropped] = []
    notes: list[str] = []
    for g, group in enumerate(montage.groups):
        for a, b in (d[:2] for d in group.derivations):
            label = f"{graph.display(a)}-{graph.display(b)}"
            missing = tuple(e for e in (a, b) if not graph.has(e))
            weights = None if missing else graph.path(a, b)
            if weights is None:
                dropped.append((label, missing))
                if not missing:
                    notes.append(f"{label}: no chain of recorded channels joins {a} and {b}")
                continue
            rows.append(Row(label, g, weights))
    return rows, dropped, notes


def _referential(
    montage: Montage, graph: ElectrodeGraph, inputs: Sequence[InputChannel], bad: frozenset[int]
) -> tuple[list[Row], list[Dropped], list[str], str]:
    """Rows for the referential kinds (referential, average, laplacian)."""
    rows: list[Row] = []
    dropped: list[Dropped] = []
    notes: list[str] = []
    ref = graph.referential
    candidates = [ch for ch in inputs if ch.type is ChannelType.EEG and is_referential(ch.name)]
    members = [ch.index for ch in candidates if ch.index not in bad]
    mean: dict[int, float] = {}
    reference = {"laplacian": "Hjorth: mean of nearest neighbours"}.get(
        montage.kind, "recording reference"
    )
    if montage.kind == "average":
        if len(members) < 2:
            raise MontageError(montage.name, "fewer than two good referential EEG channels")
        mean = {i: -1.0 / len(members) for i in members}
        reference = f"common average of {len(members)} EEG channels"
    suffix = {"average": "-AVG", "laplacian": "-LAP"}.get(montage.kind, "")
    used: set[int] = set()
    for g, group in enumerate(montage.groups):
        for derivation in group.derivations:
            label = graph.display(derivation[0]) + suffix
            index = ref.get(canonical_electrode(derivation[0]))
            if index is None:
                dropped.append((label, (derivation[0],)))
                continue
            used.add(index)
            if montage.kind != "laplacian":
                rows.append(Row(label, g, _plus(mean, index)))
                continue
            row = _hjorth_row(Row(label, g, {index: 1.0}), derivation[1:], graph, bad, notes)
            if row is None:
                absent = tuple(n for n in derivation[1:] if canonical_electrode(n) not in ref)
                dropped.append((label, absent))
                notes.append(f"{label}: fewer than two recorded, good neighbours")
            else:
                rows.append(row)
    if montage.kind == "average":
        other = len(montage.groups)
        extra = (ch for ch in candidates if ch.index not in used)
        rows += [Row(ch.name + suffix, other, _plus(mean, ch.index)) for ch in extra]
    return rows, dropped, notes, reference


def _plus(weights: dict[int, float], index: int) -> dict[int, float]:
    """``weights`` with +1 added for channel ``index``."""
    out = dict(weights)
    out[index] = out.get(index, 0.0) + 1.0
    return out


def _hjorth_row(
    centre: Row,
    neighbours: Sequence[str],
    graph: ElectrodeGraph,
    bad: frozenset[int],
    notes: list[str],
) -> Row | None:
    """Centre minus the mean of its usable (recorded, good) neighbours; None below two."""
    found = (graph.referential.get(canonical_electrode(n)) for n in neighbours)
    usable = [i for i in found if i is not None and i not in bad and i not in centre.weights]
    if len(usable) < 2:
        return None
    if len(usable) < len(neighbours):
        notes.append(f"{centre.label}: mean of {len(usable)} of {len(neighbours)} neighbours")
    weights = {i: -1.0 / len(usable) for i in usable}
    return Row(centre.label, centre.group, {**centre.weights, **weights})


def build_montage(
    key: str, channels: Sequence[ChannelLike | str], bad: Iterable[int | str] = ()
) -> AppliedMontage:
    """Resolve montage ``key`` against a recording's channels (``Recording.channels``
    or normalised names; indices are positions in that sequence).

    ``bad``: channels marked bad, by index or name. Raises MontageError when the
    montage gives no trace at all for this recording.
    """
    montage = get_montage(key)
    inputs = as_inputs(channels)
    bad_set = bad_indices(inputs, bad)
    if montage.kind == "as_recorded":
        return as_recorded(inputs, key=key, name=montage.name)
    if montage.kind == "seeg_bipolar":
        return seeg_shaft_bipolar(channels, bad_set, montage.name)
    graph = ElectrodeGraph(inputs, bad_set)
    if montage.kind == "bipolar":
        rows, dropped, notes = _bipolar(montage, graph)
        reference = "bipolar"
    elif not graph.has_reference:
        raise MontageError(montage.name, "needs referential channels; this recording is bipolar")
    else:
        rows, dropped, notes, reference = _referential(montage, graph, inputs, bad_set)
    if not rows:
        missing = sorted({e for _, electrodes in dropped for e in electrodes})
        lacking = ", ".join(missing) or "connections between electrodes"
        raise MontageError(montage.name, f"no derivation can be built (missing {lacking})")
    for label, electrodes in dropped:
        log.debug("%s: dropped %s (missing %s)", key, label, ", ".join(electrodes) or "a path")
    group_names = [g.name for g in montage.groups] + ["Other"]
    return assemble(
        key=key,
        name=montage.name,
        kind=montage.kind,
        rows=rows,
        group_names=group_names,
        dropped=dropped,
        reference=reference,
        notes=notes,
    )


def available_montages(
    channels: Sequence[ChannelLike | str], bad: Iterable[int | str] = ()
) -> list[MontageOption]:
    """The montages this recording can show (at least one trace), in menu order."""
    bad = tuple(bad)
    options: list[MontageOption] = []
    for montage in load_montages():
        try:
            applied = build_montage(montage.key, channels, bad)
        except MontageError:
            continue
        options.append(
            MontageOption(montage.key, montage.name, applied.n_out, len(applied.dropped))
        )
    return options


def default_montage_key(channels: Sequence[ChannelLike | str]) -> str:
    """The montage a recording opens in.

    A depth (SEEG) recording opens in its shaft-bipolar montage, grouped by shaft; a
    bipolar-only recording opens "as recorded"; a referential scalp recording opens in
    the double banana when every derivation of it can be built.
    """
    inputs = as_inputs(channels)
    seeg = sum(c.type is ChannelType.SEEG for c in inputs)
    if seeg >= 2 and seeg >= sum(c.type is ChannelType.EEG for c in inputs):
        try:
            seeg_shaft_bipolar(channels)
        except MontageError:
            return "as_recorded"
        return "seeg_bipolar"
    graph = ElectrodeGraph(inputs)
    if graph.has_reference:
        try:
            banana = build_montage("double_banana", channels)
        except MontageError:
            return "as_recorded"
        if not banana.dropped:
            return "double_banana"
    return "as_recorded"
