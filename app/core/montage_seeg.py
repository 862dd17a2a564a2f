"""SEEG shaft-bipolar montage, generated from the contact names.

Depth electrodes are named by shaft and contact number (``A'1`` … ``A'12``,
``TP1`` …). The clinical bipolar view subtracts neighbouring contacts of the
same shaft (``A'1-A'2``, ``A'2-A'3`` …), which removes the far-field reference
signal and localises activity between two contacts a few millimetres apart.

Choice: only contacts numbered *n* and *n+1* are paired. When the numbering has
a gap (``A3`` then ``A5``: ``A4`` was not recorded or was left out), ``A3-A5``
is **not** made: it would span twice the distance and mislead the reviewer
about localisation. ``A3-A4`` and ``A4-A5`` are reported as dropped, missing
``A4``. One group per shaft, shafts in the order they first appear.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

from app.core.channels import ChannelType, electrodes_of, seeg_contact
from app.core.errors import MontageError
from app.core.montage_engine import (
    AppliedMontage,
    ChannelLike,
    Dropped,
    Row,
    as_inputs,
    assemble,
)

SEEG_KEY = "seeg_bipolar"
SEEG_NAME = "SEEG shaft bipolar"


def shaft_contacts(channels: Sequence[ChannelLike | str]) -> dict[str, dict[int, int]]:
    """Shaft -> {contact number -> recording index} for the referential SEEG contacts."""
    shafts: dict[str, dict[int, int]] = {}
    for ch in as_inputs(channels):
        if ch.type is not ChannelType.SEEG or len(electrodes_of(ch.name)) != 1:
            continue
        contact = seeg_contact(ch.name)
        if contact is None:
            continue
        shaft, number = contact
        shafts.setdefault(shaft, {}).setdefault(number, ch.index)
    return shafts


def _shaft_rows(
    shaft: str, contacts: dict[int, int], group: int
) -> tuple[list[Row], list[Dropped]]:
    rows: list[Row] = []
    dropped: list[Dropped] = []
    numbers = sorted(contacts)
    for low, high in itertools.pairwise(numbers):
        if high == low + 1:
            weights = {contacts[low]: 1.0, contacts[high]: -1.0}
            rows.append(Row(f"{shaft}{low}-{shaft}{high}", group, weights))
            continue
        for k in range(low, high):
            missing = tuple(f"{shaft}{n}" for n in (k, k + 1) if n not in contacts)
            dropped.append((f"{shaft}{k}-{shaft}{k + 1}", missing))
    return rows, dropped


def seeg_shaft_bipolar(
    channels: Sequence[ChannelLike | str],
    bad: Iterable[int | str] = (),
    name: str = SEEG_NAME,
) -> AppliedMontage:
    """Adjacent-contact bipolar derivations per shaft (see the module doc).

    ``bad`` is accepted for a uniform signature; a bad contact keeps its own
    pairs visible (the reviewer judges them), as in the scalp bipolar montages.
    """
    del bad
    rows: list[Row] = []
    dropped: list[Dropped] = []
    group_names: list[str] = []
    notes: list[str] = []
    for shaft, contacts in shaft_contacts(channels).items():
        if len(contacts) < 2:
            notes.append(f"shaft {shaft} has a single contact; no bipolar pair")
        shaft_rows, shaft_dropped = _shaft_rows(shaft, contacts, len(group_names))
        group_names.append(shaft)
        rows.extend(shaft_rows)
        dropped.extend(shaft_dropped)
    if not rows:
        raise MontageError(name, "no SEEG shaft has two neighbouring contacts in this recording")
    return assemble(
        key=SEEG_KEY,
        name=name,
        kind="bipolar",
        rows=rows,
        group_names=group_names,
        dropped=dropped,
        reference="bipolar (adjacent contacts)",
        notes=notes,
    )
