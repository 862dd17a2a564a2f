"""A hand-written EDF/BDF writer for tests: headers made right or wrong on purpose."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

# -- a hand-written EDF/BDF writer, so headers can be made right or wrong on purpose --


@dataclass
class Sig:
    """One signal: label, samples per record, physical values, unit, physical range."""

    label: str
    spr: int
    data: npt.NDArray[np.float64] | None
    unit: str = "uV"
    phys: tuple[float, float] = (-3276.8, 3276.7)


@dataclass
class Layout:
    record_s: float = 1.0
    plus: str | None = "C"  # None: plain EDF/BDF; "C" or "D": EDF+/BDF+
    bdf: bool = False
    record_onsets: list[float] | None = None
    tals: dict[int, list[str]] = field(default_factory=dict)  # record -> extra TALs
    n_records_field: int | None = None
    header_bytes_field: int | None = None
    patient: str = "X X X X"
    recording: str | None = None
    ann_bytes: int = 120


def _field(value: object, width: int) -> bytes:
    text = str(value)
    assert len(text) <= width, (text, width)
    return text.ljust(width).encode("latin-1")


def digital(sig: Sig, values: npt.NDArray[np.float64], bdf: bool) -> bytes:
    dmin, dmax = (-(2**23), 2**23 - 1) if bdf else (-(2**15), 2**15 - 1)
    cal = (sig.phys[1] - sig.phys[0]) / (dmax - dmin)
    digital = np.round((values - sig.phys[0]) / cal + dmin).astype(np.int64)
    if bdf:
        return digital.astype("<i4").view(np.uint8).reshape(-1, 4)[:, :3].tobytes()
    return digital.astype("<i2").tobytes()


def _header(sigs: list[Sig], lay: Layout, n_records: int) -> bytes:
    ns = len(sigs)
    reserved = f"{'BDF' if lay.bdf else 'EDF'}+{lay.plus}" if lay.plus else ""
    recording = lay.recording or ("Startdate 01-FEB-2003 X X X" if lay.plus else "local rec")
    head = b"\xffBIOSEMI" if lay.bdf else _field("0", 8)
    head += _field(lay.patient, 80) + _field(recording, 80) + _field("01.02.03", 8)
    head += _field("04.05.06", 8) + _field(lay.header_bytes_field or 256 * (ns + 1), 8)
    head += _field(reserved, 44)
    n_field = n_records if lay.n_records_field is None else lay.n_records_field
    head += _field(n_field, 8) + _field(f"{lay.record_s:g}", 8) + _field(ns, 4)
    dmin, dmax = (-(2**23), 2**23 - 1) if lay.bdf else (-(2**15), 2**15 - 1)
    columns = [
        [_field(s.label, 16) for s in sigs],
        [_field("", 80) for _ in sigs],
        [_field(s.unit, 8) for s in sigs],
        [_field(f"{s.phys[0]:.8g}", 8) for s in sigs],
        [_field(f"{s.phys[1]:.8g}", 8) for s in sigs],
        [_field(dmin, 8) for _ in sigs],
        [_field(dmax, 8) for _ in sigs],
        [_field("", 80) for _ in sigs],
        [_field(s.spr, 8) for s in sigs],
        [_field("", 32) for _ in sigs],
    ]
    return head + b"".join(b"".join(col) for col in columns)


def write_edf(path: Path, signals: list[Sig], lay: Layout | None = None) -> Path:
    """Write an EDF/EDF+/BDF(+) file; EDF+ gets time-keeping TALs in every record."""
    lay = lay or Layout()
    first = signals[0]
    assert first.data is not None
    n_records = len(first.data) // first.spr
    sigs = list(signals)
    width = 3 if lay.bdf else 2
    if lay.plus:
        label = "BDF Annotations" if lay.bdf else "EDF Annotations"
        sigs.append(Sig(label, lay.ann_bytes // width, None, "", (-1, 1)))
    onsets = lay.record_onsets or [k * lay.record_s for k in range(n_records)]
    out = bytearray(_header(sigs, lay, n_records))
    for k in range(n_records):
        for sig in sigs:
            if sig.data is None:
                tal = f"+{onsets[k]:g}\x14\x14\x00".encode()
                tal += "".join(lay.tals.get(k, [])).encode("utf-8")
                assert len(tal) <= sig.spr * width
                out += tal.ljust(sig.spr * width, b"\x00")
            else:
                out += digital(sig, sig.data[k * sig.spr : (k + 1) * sig.spr], lay.bdf)
    path.write_bytes(bytes(out))
    return path


def tal(onset: float, text: str, duration: float | None = None) -> str:
    dur = f"\x15{duration:g}" if duration is not None else ""
    return f"+{onset:g}{dur}\x14{text}\x14\x00"


def ramp(n: int, offset: float = 0.0) -> npt.NDArray[np.float64]:
    """Distinct exactly-representable values (0.1 µV steps)."""
    return np.asarray((np.arange(n) % 20000) * 0.1 + offset, dtype=np.float64)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
