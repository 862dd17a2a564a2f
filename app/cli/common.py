"""Helpers shared by the ``ictal`` subcommands: output formatting, JSON, crash logs.

Nothing here imports numpy, mne, torch or Qt: every command imports this module.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import math
import sys
import tempfile
import traceback
from collections.abc import Sequence
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

import platformdirs

from app.core.errors import IctalError


class UsageError(IctalError):
    """A command-line value that makes no sense (exit status 2, one line)."""


def add_json_flag(parser: Any) -> None:
    """The ``--json`` flag every command shares."""
    parser.add_argument(
        "--json",
        action="store_true",
        help="print exactly one JSON object on stdout instead of the human-readable text",
    )


def add_model_arguments(parser: Any, *, device: bool = True) -> None:
    """``--model NAME`` (and ``--device``) of the commands that run the seizure model."""
    parser.add_argument("--model", metavar="NAME", help="model name or checkpoint folder")
    if device:
        parser.add_argument(
            "--device",
            default="auto",
            choices=("auto", "cpu", "cuda"),
            help="where the model runs (auto: CUDA if available)",
        )


# --- numbers and times -----------------------------------------------------------------


def format_hms(seconds: float, decimals: int = 0) -> str:
    """Elapsed time as ``h:mm:ss`` (``decimals`` > 0 adds fractions of a second)."""
    if not math.isfinite(seconds):
        return "?"
    sign = "-" if seconds < 0 else ""
    scale = 10**decimals
    total = round(abs(seconds) * scale)
    whole, frac = divmod(total, scale)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{text}.{frac:0{decimals}d}" if decimals else text


def format_clock(start: dt.datetime | None, offset_s: float) -> str:
    """Wall-clock time ``offset_s`` after ``start`` (``HH:MM:SS``); empty when unknown."""
    if start is None or not math.isfinite(offset_s):
        return ""
    return (start + dt.timedelta(seconds=offset_s)).strftime("%H:%M:%S")


def format_number(value: float) -> str:
    """A rate or duration without a useless ``.0`` (256 -> ``256``, 173.61 -> ``173.61``)."""
    if math.isfinite(value) and value == int(value):
        return str(int(value))
    return f"{value:.6g}"


def format_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()
) -> list[str]:
    """Rows as aligned text columns; columns whose index is in ``right`` align right."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        parts = [
            cell.rjust(w) if i in right else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    return [line(headers), *(line(row) for row in rows)]


# --- JSON ------------------------------------------------------------------------------


def to_jsonable(value: Any) -> Any:
    """Plain JSON values: datetimes as ISO 8601, enums as values, NaN/inf as null."""
    if isinstance(value, enum.Enum):
        return to_jsonable(value.value)
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        return to_jsonable(asdict(value))
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    if hasattr(value, "item"):  # numpy scalar
        return to_jsonable(value.item())
    return str(value)


def print_json(obj: dict[str, Any]) -> None:
    """Print ``obj`` as exactly one JSON object (one line) on stdout."""
    print(json.dumps(to_jsonable(obj), ensure_ascii=False, allow_nan=False))


# --- files -----------------------------------------------------------------------------


def output_path(path: str | Path, force: bool, what: str = "output") -> Path:
    """Check that ``path`` may be written: its folder exists; no overwrite without force."""
    out = Path(path).expanduser()
    if out.is_dir():
        raise UsageError(str(out), f"is a folder; give a file name for the {what}")
    if out.exists() and not force:
        raise UsageError(str(out), "already exists; use --force to overwrite it")
    if not out.parent.is_dir():
        raise UsageError(str(out), f"folder {out.parent} does not exist")
    return out


# --- crashes ---------------------------------------------------------------------------


def crash_log_dir() -> Path:
    """Where tracebacks of internal errors go (the user log dir, e.g. ~/.local/state)."""
    return Path(platformdirs.user_log_dir("ictal", appauthor=False))


def report_internal_error(exc: BaseException) -> str:
    """Save the traceback of a bug to a log file; return the one line to show the user."""
    summary = " ".join(f"{type(exc).__name__}: {exc}".split())
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    text = f"ictal {' '.join(sys.argv)}\n" + "".join(
        traceback.format_exception(type(exc), exc, exc.__traceback__)
    )
    for folder in (crash_log_dir(), Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            log = folder / f"ictal-crash-{stamp}.log"
            log.write_text(text, encoding="utf-8")
        except OSError:
            continue
        return f"ictal: internal error : {summary} (traceback in {log})"
    return f"ictal: internal error : {summary} (the traceback could not be saved)"
