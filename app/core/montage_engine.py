"""The montage engine: which electrodes a recording has and how to combine its channels.

A montage row is a linear combination of recorded channels. Ictal finds it by a
path search over the recording's *electrode graph*: every recorded bipolar
channel ``A-B`` is an edge A→B worth ``A − B``, and every referential channel
``A`` is an edge from A to the shared recording reference. The derivation
``Fp1-F3`` is then the signed sum of the channels along the shortest path from
Fp1 to F3: one channel for a referential recording (through the reference) or a
recorded pair, a chain sum for a bipolar recording (``F7-T7 + T7-P7 = F7-P7``).
A derivation without such a path is dropped and reported, never zero-filled.

Old and new 10-20 names are the same node (T3 = T7, T5 = P7 ...), so a montage
written with modern names works on a file labelled the old way; labels keep the
recording's own spelling so the reviewer sees the names of their system.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt
from scipy import sparse

from app.core.channels import (
    ChannelType,
    canonical_electrode,
    electrodes_of,
    infer_types,
    normalize_name,
    seeg_contact,
)
from app.core.errors import MontageError

#: Channel types whose labels name electrodes (and so take part in derivations).
ELECTRODE_TYPES = frozenset({ChannelType.EEG, ChannelType.SEEG})
#: The graph node standing for the recording's common reference.
REF_NODE = "<REF>"

Page = npt.NDArray[np.floating]
Dropped = tuple[str, tuple[str, ...]]


class ChannelLike(Protocol):
    """What the engine needs from a channel (``Recording.channels[i]`` fits)."""

    @property
    def name(self) -> str: ...

    @property
    def type(self) -> ChannelType: ...


@dataclass(frozen=True, slots=True)
class InputChannel:
    """One recording channel as the engine sees it; ``index`` is its recording index."""

    index: int
    name: str
    type: ChannelType


def as_inputs(channels: Sequence[ChannelLike | str]) -> tuple[InputChannel, ...]:
    """Channels in recording order; plain names are normalised and typed in context."""
    if all(isinstance(c, str) for c in channels):
        raws = [str(c) for c in channels]
        names = [normalize_name(r) for r in raws]
        types = infer_types(raws, names)
        return tuple(
            InputChannel(i, n, t) for i, (n, t) in enumerate(zip(names, types, strict=True))
        )
    if any(isinstance(c, str) for c in channels):
        raise TypeError("channels must be all names or all channel objects, not a mix")
    return tuple(
        InputChannel(i, c.name, ChannelType(c.type))
        for i, c in enumerate(channels)
        if not isinstance(c, str)
    )


def bad_indices(inputs: Sequence[InputChannel], bad: Iterable[int | str]) -> frozenset[int]:
    """Recording indices of the channels marked bad (given by index or by name)."""
    by_name = {ch.name: ch.index for ch in inputs}
    out: set[int] = set()
    for item in bad:
        if isinstance(item, str):
            if item in by_name:
                out.add(by_name[item])
        else:
            out.add(int(item))
    return frozenset(out)


def is_referential(name: str) -> bool:
    """True for a single-electrode (referential) channel name, False for a pair."""
    return len(electrodes_of(name)) == 1


@dataclass(frozen=True, slots=True)
class _Edge:
    to: str
    index: int
    sign: float


class ElectrodeGraph:
    """Electrodes of a recording joined by its recorded channels (see the module doc)."""

    def __init__(self, inputs: Sequence[InputChannel], bad: frozenset[int] = frozenset()) -> None:
        self._adjacent: dict[str, list[_Edge]] = {}
        self._bad = bad
        self.spelling: dict[str, str] = {}
        #: canonical electrode -> index of its (first) referential channel
        self.referential: dict[str, int] = {}
        for ch in inputs:
            if ch.type not in ELECTRODE_TYPES:
                continue
            parts = electrodes_of(ch.name)
            if len(parts) == 1:
                a, b = self._node(parts[0]), REF_NODE
                self.referential.setdefault(a, ch.index)
            elif len(parts) == 2:
                a, b = self._node(parts[0]), self._node(parts[1])
            else:
                continue
            self._adjacent.setdefault(a, []).append(_Edge(b, ch.index, 1.0))
            self._adjacent.setdefault(b, []).append(_Edge(a, ch.index, -1.0))

    def _node(self, electrode: str) -> str:
        node = canonical_electrode(electrode)
        self.spelling.setdefault(node, electrode)
        return node

    @property
    def has_reference(self) -> bool:
        """True when the recording has referential channels (not bipolar-only)."""
        return REF_NODE in self._adjacent

    def has(self, electrode: str) -> bool:
        """True when some recorded channel involves this electrode (any alias)."""
        return canonical_electrode(electrode) in self._adjacent

    def display(self, electrode: str) -> str:
        """The recording's spelling of an electrode, or the given name if not recorded."""
        return self.spelling.get(canonical_electrode(electrode), electrode)

    def path(self, a: str, b: str) -> dict[int, float] | None:
        """Weights over recording channels that give ``a − b``; None when not connected.

        The shortest chain is used (fewest channels, least added noise); chains
        avoiding bad channels are preferred when one exists.
        """
        start, goal = canonical_electrode(a), canonical_electrode(b)
        if start not in self._adjacent or goal not in self._adjacent:
            return None
        for avoid_bad in (True, False):
            found = self._search(start, goal, avoid_bad)
            if found is not None:
                return found
        return None

    def _search(self, start: str, goal: str, avoid_bad: bool) -> dict[int, float] | None:
        previous: dict[str, tuple[str, _Edge] | None] = {start: None}
        queue = deque([start])
        while queue and goal not in previous:
            node = queue.popleft()
            for edge in self._adjacent[node]:
                if edge.to in previous or (avoid_bad and edge.index in self._bad):
                    continue
                previous[edge.to] = (node, edge)
                queue.append(edge.to)
        if goal not in previous:
            return None
        weights: dict[int, float] = {}
        node = goal
        while (step := previous[node]) is not None:
            node, edge = step
            weights[edge.index] = weights.get(edge.index, 0.0) + edge.sign
        return {i: w for i, w in weights.items() if w != 0.0}


@dataclass(frozen=True, slots=True)
class Row:
    """One output trace before assembly: its label, group and channel weights."""

    label: str
    group: int
    weights: Mapping[int, float]


@dataclass(frozen=True, slots=True, eq=False)
class AppliedMontage:
    """A montage resolved against one recording: a sparse matrix from channels to traces.

    ``matrix`` is ``(len(labels), len(input_indices))`` float32; its columns are the
    recording channels ``input_indices`` in that order, so the caller reads only
    those channels and calls :meth:`apply`. ``groups[i]`` indexes ``group_names``
    (the viewer leaves a gap between groups). ``dropped`` lists the derivations
    this recording cannot give, with the electrodes it lacks (empty when the
    electrodes exist but no recorded chain joins them; ``notes`` says so).
    """

    key: str
    name: str
    kind: str
    labels: tuple[str, ...]
    groups: tuple[int, ...]
    group_names: tuple[str, ...]
    matrix: sparse.csr_matrix
    input_indices: tuple[int, ...]
    dropped: tuple[Dropped, ...]
    reference: str
    notes: tuple[str, ...] = ()

    @property
    def n_out(self) -> int:
        return len(self.labels)

    def apply(self, page: Page) -> npt.NDArray[np.float32]:
        """Derived traces ``(n_out, n_samples)`` float32 from the ``input_indices`` rows."""
        data = np.asarray(page)
        if data.ndim != 2 or data.shape[0] != len(self.input_indices):
            raise ValueError(
                f"montage {self.key!r} needs a page of {len(self.input_indices)} rows "
                f"(its input_indices), got shape {data.shape}"
            )
        out = self.matrix @ data.astype(np.float32, copy=False)
        return np.ascontiguousarray(out, dtype=np.float32)

    def apply_full(self, page: Page) -> npt.NDArray[np.float32]:
        """Like :meth:`apply` for a page holding every recording channel in order."""
        data = np.asarray(page)
        return self.apply(data[list(self.input_indices)])


def assemble(
    *,
    key: str,
    name: str,
    kind: str,
    rows: Sequence[Row],
    group_names: Sequence[str],
    dropped: Sequence[Dropped],
    reference: str,
    notes: Sequence[str] = (),
) -> AppliedMontage:
    """Build the sparse matrix; groups without rows are removed and renumbered."""
    used_groups = sorted({row.group for row in rows})
    group_map = {g: i for i, g in enumerate(used_groups)}
    columns = sorted({i for row in rows for i in row.weights})
    col_of = {index: c for c, index in enumerate(columns)}
    r_idx: list[int] = []
    c_idx: list[int] = []
    values: list[float] = []
    for r, row in enumerate(rows):
        for index, weight in row.weights.items():
            r_idx.append(r)
            c_idx.append(col_of[index])
            values.append(weight)
    matrix = sparse.csr_matrix(
        (np.asarray(values, dtype=np.float32), (r_idx, c_idx)),
        shape=(len(rows), len(columns)),
        dtype=np.float32,
    )
    matrix.sum_duplicates()
    matrix.eliminate_zeros()
    return AppliedMontage(
        key=key,
        name=name,
        kind=kind,
        labels=tuple(row.label for row in rows),
        groups=tuple(group_map[row.group] for row in rows),
        group_names=tuple(group_names[g] for g in used_groups),
        matrix=matrix,
        input_indices=tuple(columns),
        dropped=tuple(dropped),
        reference=reference,
        notes=tuple(notes),
    )


def as_recorded(inputs: Sequence[InputChannel], *, key: str, name: str) -> AppliedMontage:
    """Identity over every signal channel (annotation channels left out), in file
    order, grouped by runs of the same type, or of the same shaft for SEEG contacts."""
    rows: list[Row] = []
    group_names: list[str] = []
    for ch in inputs:
        if ch.type is ChannelType.ANNOTATION:
            continue
        contact = seeg_contact(ch.name) if ch.type is ChannelType.SEEG else None
        group = contact[0] if contact is not None else str(ch.type)
        if not group_names or group != group_names[-1]:
            group_names.append(group)
        rows.append(Row(ch.name, len(group_names) - 1, {ch.index: 1.0}))
    if not rows:
        raise MontageError(name, "the recording has no signal channels")
    return assemble(
        key=key,
        name=name,
        kind="as_recorded",
        rows=rows,
        group_names=group_names,
        dropped=(),
        reference="as recorded",
    )
