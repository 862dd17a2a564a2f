"""Stereo-EEG layout: shafts of contacts, their positions and onset contacts.

Naming follows the French (Talairach) convention used in most SEEG centres: a shaft is a
letter code (``A`` amygdala, ``B`` anterior hippocampus, ``TP`` temporal pole...), a prime
(``A'``) marks the left hemisphere, and contact 1 is the deepest (mesial) one. Contacts are
3.5 mm apart along an orthogonal (lateral) trajectory. Positions are in millimetres in a
Talairach-like frame (x right, y anterior, z up); they only set which contacts are close.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from app.core.channels import seeg_contact

CONTACT_SPACING_MM = 3.5

#: Default implantation: (shaft, number of contacts), left mesial temporal hypothesis.
DEFAULT_SHAFTS: tuple[tuple[str, int], ...] = (
    ("A'", 10),
    ("B'", 12),
    ("C'", 12),
    ("TP'", 8),
    ("H'", 15),
    ("OF'", 10),
    ("A", 10),
    ("B", 12),
)

# Deepest-contact target (|x|, y, z) in mm for common shaft codes.
_TARGETS: dict[str, tuple[float, float, float]] = {
    "A": (18.0, -2.0, -18.0),
    "B": (24.0, -14.0, -16.0),
    "C": (27.0, -30.0, -8.0),
    "TP": (30.0, 12.0, -30.0),
    "H": (38.0, -20.0, 8.0),
    "OF": (18.0, 34.0, -14.0),
    "T": (34.0, -8.0, -22.0),
    "GC": (8.0, 10.0, 30.0),
    "OR": (22.0, 40.0, -6.0),
    "F": (12.0, 30.0, 30.0),
    "P": (20.0, -50.0, 40.0),
    "O": (14.0, -80.0, 6.0),
}


def seeg_channels(
    shafts: tuple[tuple[str, int], ...] = DEFAULT_SHAFTS,
) -> tuple[str, ...]:
    """Contact names shaft by shaft, deepest first: ``A'1 .. A'10, B'1 ..``."""
    names: list[str] = []
    for shaft, n_contacts in shafts:
        if not 1 <= n_contacts <= 20:
            raise ValueError(f"shaft {shaft!r}: 1..20 contacts, got {n_contacts}")
        names.extend(f"{shaft}{i}" for i in range(1, n_contacts + 1))
    return tuple(names)


def _target(shaft: str) -> NDArray[np.float64]:
    code = shaft.rstrip("'")
    target = _TARGETS.get(code)
    if target is None:  # unknown code: a stable place along the temporal lobe
        k = sum(ord(c) for c in code) % 9
        target = (30.0, 30.0 - 10.0 * k, -10.0 + 2.0 * k)
    x, y, z = target
    return np.array([-x if shaft.endswith("'") else x, y, z])


def contact_position(name: str) -> NDArray[np.float64] | None:
    """Position of a contact in mm (deep contacts mesial), None if not a contact name."""
    parsed = seeg_contact(name)
    if parsed is None:
        return None
    shaft, index = parsed
    target = _target(shaft)
    lateral = 1.0 if target[0] >= 0 else -1.0
    out: NDArray[np.float64] = target + np.array([lateral * CONTACT_SPACING_MM * (index - 1), 0, 0])
    return out


def seeg_positions(names: tuple[str, ...]) -> NDArray[np.float64]:
    """(n, 3) contact positions in mm; NaN rows for non-contact channels (ECG...)."""
    out = np.full((len(names), 3), np.nan)
    for i, name in enumerate(names):
        pos = contact_position(name)
        if pos is not None:
            out[i] = pos
    return out


def shaft_of(name: str) -> str | None:
    parsed = seeg_contact(name)
    return None if parsed is None else parsed[0]


def shaft_onset_contacts(shaft: str, names: tuple[str, ...], n: int = 3) -> tuple[str, ...]:
    """The ``n`` deepest contacts of ``shaft`` present in ``names`` (a mesial onset zone)."""
    contacts = []
    for name in names:
        parsed = seeg_contact(name)
        if parsed is not None and parsed[0] == shaft:
            contacts.append((parsed[1], name))
    return tuple(name for _, name in sorted(contacts)[:n])
