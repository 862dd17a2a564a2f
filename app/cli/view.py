"""``ictal view FILE [--screenshot PNG]``: open the review window on a recording.

Start-up is arranged for a fast first page: the recording is opened (and its first page
read, filtered and montaged) on the page worker thread while the GUI thread imports Qt
and builds the window. ``--screenshot`` renders the real window off screen once the
first page is drawn, saves it and exits; a file that cannot be opened then exits with
status 2 and the one-line error.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

DEFAULT_SIZE = "1600x1000"


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "view",
        help="open the review window on a recording",
        description="Open the review window on a recording (EDF, EDF+, BDF, BrainVision, "
        "EEGLAB, FIF, SPaRCNet .mat).",
    )
    parser.add_argument("file", metavar="FILE", nargs="?", help="the recording to open")
    add_window_arguments(parser)
    parser.set_defaults(run=run)


def add_window_arguments(parser: argparse.ArgumentParser) -> None:
    """``--screenshot``, ``--size`` and ``--time``, shared with ``ictal demo``."""
    parser.add_argument(
        "--screenshot",
        metavar="PNG",
        help="render the window off screen after the first page is drawn, save it, exit",
    )
    parser.add_argument(
        "--size",
        default=DEFAULT_SIZE,
        metavar="WxH",
        help=f"window size in pixels (default {DEFAULT_SIZE})",
    )
    parser.add_argument(
        "--time",
        type=float,
        default=None,
        metavar="SECONDS",
        help="open on the page starting this many seconds into the recording",
    )


def run(args: argparse.Namespace) -> int:
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from app.ui.launch import launch_viewer, parse_size

    return launch_viewer(
        args.file,
        screenshot=args.screenshot,
        size=parse_size(args.size),
        start_s=args.time,
        analyse=getattr(args, "analyse", None),
    )
