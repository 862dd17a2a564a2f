"""``ictal simulate --out FILE.edf``: a synthetic recording with known seizures.

The file is an ordinary EDF+ that any viewer opens; its seizures are written as
annotations (the ground truth), so detection, reports and benchmarks can be checked
against what is really there. The same options and seed always give the same file.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from app.cli.common import (
    UsageError,
    add_json_flag,
    format_clock,
    format_hms,
    format_number,
    format_table,
    output_path,
    print_json,
)
from app.core.edf_writer import EdfWriteResult
from app.core.simulate import SimulationSpec, scalp_channels, seeg_channels, write_edf

DEFAULT_HOURS = 1.0
#: The shaft where simulated SEEG seizures start (left anterior hippocampus).
SEEG_ONSET_SHAFT = "B'"


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "simulate",
        help="write a synthetic EEG recording (EDF+)",
        description=(
            "Write a synthetic sleep recording with seizures to an EDF+ file. The seizures "
            "are stored as annotations (ground truth); the same options and --seed always "
            "give the same file."
        ),
    )
    parser.add_argument("--out", required=True, metavar="FILE.edf", help="the EDF+ file to write")
    length = parser.add_mutually_exclusive_group()
    length.add_argument(
        "--hours", type=float, metavar="H", help=f"length in hours (default {DEFAULT_HOURS:g})"
    )
    length.add_argument("--minutes", type=float, metavar="M", help="length in minutes")
    parser.add_argument(
        "--channels",
        type=int,
        metavar="N",
        help="number of channels (scalp default 23: 10-20 + A1 A2 ECG EOG; "
        "with --seeg, the first N contacts of the implantation)",
    )
    parser.add_argument(
        "--sfreq", type=float, default=256.0, metavar="HZ", help="sampling rate (default 256)"
    )
    parser.add_argument(
        "--seizures", type=int, default=3, metavar="K", help="number of seizures (default 3)"
    )
    parser.add_argument(
        "--seeg", action="store_true", help="depth electrodes (SEEG) instead of scalp EEG"
    )
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    parser.add_argument("--force", action="store_true", help="overwrite FILE.edf if it exists")
    add_json_flag(parser)
    parser.set_defaults(run=run)


def build_spec(args: argparse.Namespace) -> SimulationSpec:
    """The simulation the options describe (validated by SimulationSpec itself)."""
    hours = args.minutes / 60.0 if args.minutes is not None else args.hours
    hours = DEFAULT_HOURS if hours is None else hours
    if not hours > 0:
        raise UsageError("--hours/--minutes", f"the length must be positive, got {hours:g} h")
    if args.seizures < 0:
        raise UsageError("--seizures", f"must be 0 or more, got {args.seizures}")
    if args.channels is not None and args.channels < 1:
        raise UsageError("--channels", f"must be 1 or more, got {args.channels}")
    if args.seeg:
        contacts = seeg_channels()
        channels = contacts[: args.channels] if args.channels else contacts
        night = SimulationSpec.night(hours, args.seizures, args.seed, sfreq=args.sfreq)
        return replace(
            night,
            channels=channels,
            kind="seeg",
            seizures=tuple(replace(s, region=SEEG_ONSET_SHAFT) for s in night.seizures),
        )
    try:
        channels = scalp_channels(23 if args.channels is None else args.channels)
    except ValueError as exc:
        raise UsageError("--channels", str(exc).removeprefix("scalp_channels: ")) from exc
    return SimulationSpec.night(
        hours, args.seizures, args.seed, channels=channels, sfreq=args.sfreq
    )


def _progress_on_terminal(enabled: bool) -> Callable[[float], None] | None:
    """A percentage on stderr while writing, only when a person is watching a terminal."""
    if not (enabled and sys.stderr.isatty()):
        return None

    def show(fraction: float) -> None:
        end = "\n" if fraction >= 1.0 else ""
        print(f"\rwriting {fraction:4.0%}", end=end, file=sys.stderr, flush=True)

    return show


def run(args: argparse.Namespace) -> int:
    out = output_path(args.out, args.force, what="simulated recording")
    spec = build_spec(args)
    started = time.perf_counter()
    result = write_edf(
        spec, out, overwrite=args.force, progress=_progress_on_terminal(not args.json)
    )
    elapsed = time.perf_counter() - started
    if args.json:
        print_json(_summary(spec, result, elapsed))
    else:
        print("\n".join(_text(spec, result, elapsed)))
    return 0


def _summary(spec: SimulationSpec, result: EdfWriteResult, elapsed: float) -> dict[str, Any]:
    return {
        "file": str(result.path),
        "duration_s": spec.duration_s,
        "sfreq": spec.sfreq,
        "n_channels": len(spec.channels),
        "channels": list(spec.channels),
        "kind": spec.kind,
        "seed": spec.seed,
        "start": spec.start.isoformat(),
        "n_records": result.layout.n_records,
        "record_duration_s": result.layout.record_s,
        "clipped_samples": result.clipped_samples,
        "seizures": [
            {
                "onset": s.onset_s,
                "duration": s.duration_s,
                "kind": s.kind,
                "description": s.description,
            }
            for s in spec.seizures
        ],
        "size_bytes": result.path.stat().st_size,
        "elapsed_s": round(elapsed, 3),
        "spec": spec.to_dict(),
    }


def _text(spec: SimulationSpec, result: EdfWriteResult, elapsed: float) -> list[str]:
    size_mb = result.path.stat().st_size / 1e6
    lines = [
        f"Wrote {result.path}: {format_hms(spec.duration_s)}, {len(spec.channels)} "
        f"{spec.kind} channels at {format_number(spec.sfreq)} Hz, "
        f"{len(spec.seizures)} seizures, seed {spec.seed} ({size_mb:.1f} MB in {elapsed:.1f} s)"
    ]
    if spec.seizures:
        rows = [
            [
                format_hms(s.onset_s, decimals=1),
                format_clock(spec.start, s.onset_s),
                f"{format_number(s.duration_s)} s",
                s.description,
            ]
            for s in spec.seizures
        ]
        table = format_table(["onset", "clock", "duration", "seizure"], rows, right=(0, 2))
        lines.extend("  " + line for line in table)
    return lines
