"""``ictal compare PRE POST --out PDF [--treated CH,...] [--json]``: pre/post comparison.

Computes, for both recordings, per-channel discharge rate (Janca et al. 2015 detector),
model seizure burden and rate, band power and line length with bootstrap intervals, then
the post − pre change per channel and per SEEG shaft and the ranking of channels by
decrease in discharge rate (:mod:`app.core.compare`). The model's results are taken from
the recordings' session files when stored (``ictal analyze``); otherwise the model runs
and stores them there (``--model-mode stored`` never runs it, ``off`` skips it).

``--out`` writes the comparison PDF (figures and tables, through the report renderer);
``--view`` opens the compare window instead (``--screenshot PNG`` saves it off screen);
``--json`` prints one object: ``channels[{name, pre, post, change}]`` (each metric with
``value``/``low``/``high``), ``ranking``, ``ranking_combined``, ``shafts``, ``unmatched``,
plus ``pdf`` and ``pages`` when a PDF was written.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import (
    UsageError,
    add_json_flag,
    add_model_arguments,
    format_table,
    output_path,
    print_json,
)

if TYPE_CHECKING:
    from app.core.compare import Comparison


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "compare",
        help="compare a recording before and after treatment (per-channel change, PDF)",
        description="Compare two recordings of the same patient (e.g. SEEG before and after "
        "thermocoagulation, or scalp EEG before and after a medication change): per-channel "
        "discharge rate, model seizure burden, band power and line length with bootstrap "
        "95 %% intervals, and their change. Channels are matched by name.",
    )
    parser.add_argument("pre", metavar="PRE", help="the recording before treatment")
    parser.add_argument("post", metavar="POST", help="the recording after treatment")
    parser.add_argument("--out", metavar="PDF", help="write the comparison PDF here")
    parser.add_argument("--force", action="store_true", help="overwrite an existing PDF")
    parser.add_argument("--treated", metavar="CH,...", default="",
                        help="treated contacts, e.g. \"B'1-3,A'2\" (highlighted)")  # fmt: skip
    add_model_arguments(parser)
    parser.add_argument("--model-mode", default="auto", choices=("auto", "stored", "off"),
                        help="seizure metrics: stored results, else run the model and store "
                        "them in the session files (auto, default); stored only; none")  # fmt: skip
    parser.add_argument("--epoch", type=int, default=10, metavar="S",
                        help="bootstrap epoch length in whole seconds (default 10)")  # fmt: skip
    parser.add_argument("--replicates", type=int, default=1000, metavar="N",
                        help="bootstrap replicates (default 1000)")  # fmt: skip
    parser.add_argument("--mains", type=float, default=50.0, metavar="HZ",
                        help="mains frequency, 50 or 60 (0: none; default 50)")  # fmt: skip
    parser.add_argument("--top", type=int, default=10, metavar="N",
                        help="ranked channels printed (default 10)")  # fmt: skip
    parser.add_argument("--view", action="store_true",
                        help="open the compare window (traces side by side, charts)")  # fmt: skip
    parser.add_argument("--screenshot", metavar="PNG",
                        help="with --view: render the window off screen when the comparison "
                        "is shown, save it, exit")  # fmt: skip
    add_json_flag(parser)
    parser.set_defaults(run=run)


def _options(args: argparse.Namespace) -> Any:
    from app.core.compare import CompareOptions

    if not 2 <= args.epoch <= 600:
        raise UsageError(f"--epoch {args.epoch}", "must be 2 to 600 seconds")
    if not 100 <= args.replicates <= 100_000:
        raise UsageError(f"--replicates {args.replicates}", "must be 100 to 100000")
    if args.mains < 0:
        raise UsageError(f"--mains {args.mains}", "must be 0 (none) or a frequency in Hz")
    return CompareOptions(
        epoch_s=args.epoch,
        mains_hz=args.mains or None,
        model=args.model,
        model_mode=args.model_mode,
        device=args.device,
        replicates=args.replicates,
    )


def write_pdf(comparison: Comparison, path: Path, replicates: int) -> int:
    """Render the comparison PDF off screen (Qt is imported only here)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from app.core.compare.report import comparison_report
    from app.ui.compare_pdf import write_comparison_pdf

    _app = QGuiApplication.instance() or QGuiApplication(["ictal"])
    return write_comparison_pdf(comparison_report(comparison, replicates=replicates), path)


def run(args: argparse.Namespace) -> int:
    from app.core.compare import compare_files, parse_treated
    from app.core.compare.export import comparison_dict

    for path in (args.pre, args.post):
        if not Path(path).exists():
            raise UsageError(path, "no such file")
    out = output_path(args.out, args.force, "comparison PDF") if args.out else None
    options = _options(args)
    treated = parse_treated(args.treated)
    if args.view or args.screenshot:
        return _view(args, treated, options)
    comparison = compare_files(args.pre, args.post, treated, options)
    data = comparison_dict(comparison, replicates=options.replicates)
    if out is not None:
        data["pdf"] = str(out)
        data["pages"] = write_pdf(comparison, out, options.replicates)
    if args.json:
        print_json(data)
    else:
        print("\n".join(summary_lines(comparison, args.top, data.get("pdf"))))
    return 0


def _view(args: argparse.Namespace, treated: tuple[str, ...], options: Any) -> int:
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from app.ui.compare_launch import launch_compare

    return launch_compare(
        args.pre, args.post, treated=treated, options=options, screenshot=args.screenshot
    )


def summary_lines(comp: Comparison, top: int, pdf: str | None) -> list[str]:
    """The human-readable output: recordings, ranking, shafts, unmatched channels."""
    from app.core.compare.report import fmt, num

    spike = comp.metric_index("spike_rate")
    d = comp.metrics[spike].decimals
    lines = [
        f"pre:  {comp.pre_label} ({comp.pre_duration_s / 60:.1f} min)",
        f"post: {comp.post_label} ({comp.post_duration_s / 60:.1f} min)",
        f"channels matched: {len(comp.channels)}; model: {comp.model or 'not run'}",
        "",
        "ranked by decrease in discharge rate (/min, 95 % interval; * treated):",
    ]
    by_name = {ch.name: ch for ch in comp.channels}
    rows = [
        (str(e.rank), e.name + ("*" if e.treated else ""),
         num(by_name[e.name].changes[spike].pre.value, d),
         num(by_name[e.name].changes[spike].post.value, d), fmt(e.decrease, d),
         num(e.combined, 1))
        for e in comp.ranking[:top]
    ]  # fmt: skip
    headers = ("#", "channel", "pre", "post", "decrease [95 % CI]", "score")
    lines += format_table(headers, rows, right=(0, 2, 3, 4, 5))
    if comp.shafts:
        lines += ["", "per shaft (mean change of discharge rate, /min):"]
        lines += [
            f"  {s.shaft:<5} {fmt(s.changes[spike].diff, d)}"
            + (f"  treated: {', '.join(s.treated)}" if s.treated else "")
            for s in comp.shafts
        ]
    if comp.only_pre or comp.only_post:
        lines += ["", f"only in pre:  {', '.join(comp.only_pre) or '-'}",
                  f"only in post: {', '.join(comp.only_post) or '-'}"]  # fmt: skip
    if comp.treated_missing:
        lines.append(f"treated contacts not found: {', '.join(comp.treated_missing)}")
    if pdf:
        lines += ["", f"PDF: {pdf}"]
    return lines
