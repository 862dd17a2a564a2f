"""``ictal report FILE --out PDF [--anonymize] [--json]``: the annotated EEG report.

Reads the recording's session (analysis with the reviewer's decisions, annotations,
trends). A recording without a complete analysis is analysed first, through the same
path as ``ictal analyze`` (``--no-analyze`` refuses instead). Trends missing from the
session are computed once and kept there. Beside the PDF it writes ``<stem>.json`` (a
summary) and ``<stem>_events.tsv`` (BIDS). With ``--anonymize`` the patient's name, ID
and birth date appear in none of the three files.

``--compare-with PRE [--treated CH,...]`` adds the pre/post comparison section (this
recording after treatment, PRE before: per-channel change with bootstrap intervals,
ranking, change chart, SEEG shaft strip or scalp maps), computed as ``ictal compare PRE
FILE`` does; the JSON summary carries it under ``comparison``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import UsageError, add_json_flag, add_model_arguments, print_json

if TYPE_CHECKING:
    from app.core.analysis import Analysis
    from app.core.compare import Comparison
    from app.core.recording import Recording
    from app.core.report.model import ReportOptions, ReviewerInputs
    from app.core.session import Session


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "report",
        help="write the annotated PDF report of a recording (+ JSON and events.tsv)",
        description="Write an ACNS-structured EEG report: header, technical description, "
        "summary, whole-night trends, events table, findings, one page per confirmed seizure "
        "with its EEG snapshot and ECAM. Writes <stem>.json and <stem>_events.tsv beside it.",
    )
    parser.add_argument("file", metavar="FILE", help="the recording")
    parser.add_argument("--out", required=True, metavar="PDF", help="the PDF to write")
    parser.add_argument(
        "--anonymize",
        "--anonymise",
        action="store_true",
        dest="anonymise",
        help="no patient name, ID or birth date anywhere (an anonymised ID instead)",
    )
    flags = (
        ("--unreviewed", "add a snapshot page for every unreviewed detection too"),
        ("--no-analyze", "fail instead of analysing a recording that was not analysed"),
        ("--no-trends", "do not compute missing whole-night trends (CDSA)"),
    )
    for flag, text in flags:
        parser.add_argument(flag, action="store_true", help=text)
    parser.add_argument("--paper", choices=("A4", "Letter"), default="A4")
    parser.add_argument(
        "--montage", metavar="KEY", help="snapshot montage (default: the recording's)"
    )
    parser.add_argument(
        "--filters",
        metavar="HP,LP[,NOTCH]",
        default="1,70",
        help="display filters in Hz, 0 = off (default 1,70)",
    )
    add_model_arguments(parser, device=False)
    parser.add_argument(
        "--compare-with",
        metavar="PRE",
        help="add a pre/post comparison section: PRE is the recording before treatment",
    )
    parser.add_argument(
        "--treated",
        metavar="CH,...",
        default="",
        help="with --compare-with: treated contacts, e.g. \"B'1-3,A'2\" (highlighted)",
    )
    parser.add_argument(
        "--sessions", metavar="DIR", help="where `ictal analyze --out DIR` put the session"
    )
    for field, text in (
        ("institution", "institution printed in the header"),
        ("department", "department"),
        ("referring", "referring physician"),
        ("indication", "indication for the study"),
        ("medication", "current medication"),
        ("reviewer", "interpreting physician"),
        ("findings", "findings text (or @FILE)"),
        ("impression", "impression text (or @FILE)"),
        ("correlation", "clinical correlation text (or @FILE)"),
    ):
        parser.add_argument(f"--{field}", default="", metavar="TEXT", help=text)
    add_json_flag(parser)
    parser.set_defaults(run=run)


def _text(value: str) -> str:
    if not value.startswith("@"):
        return value
    path = Path(value[1:]).expanduser()
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(str(path), f"cannot read the text file: {exc.strerror}") from exc


def _options(args: argparse.Namespace) -> tuple[ReportOptions, ReviewerInputs]:
    from app.core.filters import FilterSettings
    from app.core.report.model import ReportOptions, ReviewerInputs

    try:
        cutoffs = [float(v) for v in args.filters.split(",")]
        if len(cutoffs) not in (2, 3):
            raise ValueError("give HP,LP or HP,LP,NOTCH")
        hp, lp, *notch = (c if c > 0 else None for c in cutoffs)
        filters = FilterSettings(hp, lp, notch[0] if notch else None)
    except ValueError as exc:
        raise UsageError(f"--filters {args.filters}", str(exc)) from exc
    options = ReportOptions(
        anonymise=args.anonymise,
        include_unreviewed=args.unreviewed,
        paper=args.paper,
        montage=args.montage,
        filters=filters,
    )
    reviewer = ReviewerInputs(
        institution=args.institution,
        department=args.department,
        referring_physician=args.referring,
        indication=args.indication,
        medication=args.medication,
        reviewer=args.reviewer,
        findings=_text(args.findings),
        impression=_text(args.impression),
        clinical_correlation=_text(args.correlation),
    )
    return options, reviewer


def _target(args: argparse.Namespace) -> Path:
    from app.core.annotation_io.safe_write import check_target

    out = Path(args.out).expanduser()
    check_target(out, suffixes=(".pdf",), protect=[Path(args.file)])
    if not out.parent.is_dir():
        raise UsageError(str(out), "its folder does not exist")
    return out


def _session(args: argparse.Namespace) -> Session:
    from app.core.session import Session

    if args.sessions:
        return Session.open(args.file, data_dir=Path(args.sessions), writable=lambda _f: False)
    return Session.open(args.file)


def _analysis(args: argparse.Namespace, recording: Recording, session: Session) -> Analysis:
    """The complete stored analysis, or a new one (unless ``--no-analyze``)."""
    from app.core.analysis_run import analyse, load_model
    from app.core.analysis_store import expected_checkpoint_sha256, load_analysis

    checksum = expected_checkpoint_sha256(args.model)
    stored = load_analysis(session, args.model, checkpoint_sha256=checksum, complete_only=True)
    if stored is not None:
        return stored
    if args.no_analyze:
        raise UsageError(args.file, "not analysed yet: run `ictal analyze FILE` first")
    print(f"ictal: analysing {Path(args.file).name} first (no complete analysis stored)",
          file=sys.stderr)  # fmt: skip
    detector = load_model(args.model)
    return analyse(recording, detector, name=args.model, session=session).analysis


def _check_compare(args: argparse.Namespace) -> tuple[str, ...]:
    """The treated contacts, after checking the comparison's inputs (before any work)."""
    from app.core.compare import parse_treated

    if args.compare_with is None:
        if args.treated:
            raise UsageError(f"--treated {args.treated}", "needs --compare-with PRE")
        return ()
    pre = Path(args.compare_with).expanduser()
    if not pre.is_file():
        raise UsageError(str(pre), "no such file" if not pre.exists() else "not a file")
    if pre.resolve() == Path(args.file).expanduser().resolve():
        raise UsageError(str(pre), "is the report's own recording; give the earlier one")
    return parse_treated(args.treated)


def _comparison(args: argparse.Namespace, treated: tuple[str, ...]) -> Comparison | None:
    """This recording (after) compared with ``--compare-with`` (before)."""
    from app.core.compare import CompareOptions, compare_files

    if args.compare_with is None:
        return None
    options = CompareOptions(model=args.model, model_mode="stored" if args.no_analyze else "auto")
    return compare_files(args.compare_with, args.file, treated, options)


def _qt_app() -> Any:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.instance() or QGuiApplication(["ictal-report"])


def run(args: argparse.Namespace) -> int:
    from app.core.recording import open_recording
    from app.core.report.build import build_report
    from app.core.report.export import event_dict, write_companions
    from app.core.report.sources import load_sources

    started = time.perf_counter()
    options, reviewer = _options(args)
    out = _target(args)
    treated = _check_compare(args)
    with open_recording(args.file) as recording:
        session = _session(args)
        analysis = _analysis(args, recording, session)
        sources = load_sources(recording, session, analysis, trends=not args.no_trends)
        comparison = _comparison(args, treated)  # after the analysis: it uses the stored one
        model = build_report(recording, sources, reviewer, options, comparison=comparison)
    keep = _qt_app()
    from app.ui.report.renderer import write_pdf

    try:
        pages = write_pdf(model, out)
    except OSError as exc:
        raise UsageError(str(out), f"cannot write the PDF: {exc.strerror or exc}") from exc
    written = write_companions(model, out, pages, protect=(Path(args.file),))
    del keep
    result = {
        "pdf": str(out),
        "pages": pages,
        "events": [event_dict(e) for e in model.events],
        "json": str(written["json"]),
        "events_tsv": str(written["events_tsv"]),
        "anonymised": model.anonymised,
        "comparison": model.comparison.data if model.comparison is not None else None,
        "elapsed_s": round(time.perf_counter() - started, 3),
    }
    if args.json:
        print_json(result)
    else:
        c = model.counts
        print(f"Wrote {out} ({pages} pages): {c.detected} detected, {c.confirmed} confirmed, "
              f"{len(model.event_pages)} event pages in {result['elapsed_s']:.1f} s")  # fmt: skip
        print(f"  summary {written['json']}\n  events  {written['events_tsv']}")
        if model.comparison is not None:
            ranked = model.comparison.data["ranking"][:5]
            top = ", ".join(e["name"] + ("*" if e["treated"] else "") for e in ranked)
            print(f"  comparison with {Path(args.compare_with).name}: largest decrease {top}")
    return 0
