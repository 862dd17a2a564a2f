"""``ictal bench viewer FILE [--json]``: first page, page flips and memory of the viewer.

Drives the real window off screen (double banana, 20-s page, filters on by default) as a
first opening of the recording (whole-night trends computing in the background) and
reports ``open_to_first_page_s`` (process start to first page drawn),
``page_flip_ms_median``/``page_flip_ms_p95`` (PgDn to curves updated and painted) and
``peak_rss_mb``, with the machine they were measured on.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from app.cli.common import add_json_flag, print_json


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "viewer",
        help="open a recording in the real window off screen and flip pages",
        description="Measure process start to first page, page flips (median, p95) and "
        "peak memory of the viewer on FILE.",
    )
    parser.add_argument("file", metavar="FILE", help="the recording (24 h recommended)")
    parser.add_argument("--flips", type=int, default=100, help="page flips (default 100)")
    parser.add_argument(
        "--page", type=float, default=20.0, metavar="S", help="page length in seconds (default 20)"
    )
    parser.add_argument("--montage", default="double_banana", help="montage key")
    parser.add_argument("--no-filters", action="store_true", help="switch the filters off")
    parser.add_argument(
        "--analysis",
        action="store_true",
        help="let the seizure analysis start on open, as the window does by default "
        "(off: this measures the viewer)",
    )
    parser.add_argument(
        "--interval",
        type=float,
        default=0.0,
        metavar="S",
        help="seconds between flips, a reading pace (default 0: back to back; background "
        "work waits while pages turn and runs in pauses longer than 1 s)",
    )
    add_json_flag(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from app.ui.viewer_bench import BenchConfig, run_viewer_bench

    off = args.no_filters
    config = BenchConfig(
        flips=max(1, args.flips),
        page_s=args.page,
        montage=args.montage,
        highpass=None if off else 1.0,
        lowpass=None if off else 70.0,
        notch=None if off else 50.0,
        analysis=args.analysis,
        interval_s=max(0.0, args.interval),
    )
    result = run_viewer_bench(args.file, config)
    if args.json:
        print_json(result)
    else:
        print(format_result(result))
    return 0


def format_result(result: dict[str, Any]) -> str:
    m = result["machine"]
    return "\n".join(
        [
            f"file                  {result['file']}",
            f"recording             {result['recording_hours']} h, {result['channels']} channels, "
            f"{result['sfreq']:g} Hz; {result['montage']}, {result['page_s']:g}-s page, "
            f"{result['traces']} traces; in the background: {result['background']}"
            + (
                f"; a flip every {result['flip_interval_s']:g} s"
                if result["flip_interval_s"]
                else ""
            ),
            f"open to first page    {result['open_to_first_page_s']:.3f} s"
            f"  (CPU {result['open_to_first_page_cpu_s']:.3f} s)",
            f"page flip median      {result['page_flip_ms_median']:.1f} ms",
            f"page flip p95         {result['page_flip_ms_p95']:.1f} ms  ({result['flips']} flips, "
            f"CPU {result['page_flip_cpu_ms_mean']:.1f} ms per flip, "
            f"{result['page_flip_gui_cpu_ms_median']:.1f} ms of it on the GUI thread)",
            f"peak RSS              {result['peak_rss_mb']:.0f} MB",
            f"machine               {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, "
            f"{m['os']} (load average {m['load_average_1min']} while measuring)",
        ]
    )
