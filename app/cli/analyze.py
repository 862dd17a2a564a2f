"""``ictal analyze FILE... [--out DIR] [--json]``: seizure detection over whole recordings.

Headless batch over many nights: each recording goes through the same core path as the
window (:func:`app.core.analysis_run.analyse`: streamed in 300-s chunks, results saved
as they come), then its session file and a BIDS-style ``<stem>_events.tsv`` are written.
Without ``--out`` both go beside the recording (the session falls back to the user data
folder when that folder is read-only, and the events file goes beside the session);
with ``--out DIR`` both go to DIR (sessions named ``<name>-<fingerprint>.ictal.h5`` so
same-named nights from different folders never collide). Stored complete results of the
same recording and model are reused (``--rerun`` recomputes); a run stopped with Ctrl+C
resumes next time.

A file that cannot be analysed prints one line ``ictal: <file> : <why>`` on stderr and
the batch goes on; the exit status is then 2 (1 if an internal error happened).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import (
    UsageError,
    add_json_flag,
    add_model_arguments,
    format_hms,
    format_table,
    print_json,
    report_internal_error,
)
from app.core.errors import IctalError

if TYPE_CHECKING:
    from app.core.analysis_run import AnalysisOutcome
    from app.core.events import Event, EventParams
    from app.core.session import Session
    from models.api import Detector

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT = 0, 1, 2


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "analyze",
        help="detect seizures in whole recordings (session file + events.tsv per file)",
        description="Run the seizure model over each recording; write its session file and "
        "a BIDS-style <stem>_events.tsv. Files that fail are reported (one line each) and "
        "skipped; the exit status is then 2.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="recordings (EDF, BDF ...)")
    parser.add_argument("--out", metavar="DIR", help="write sessions and events.tsv here")
    add_model_arguments(parser)
    parser.add_argument("--threshold", type=float, default=0.5, metavar="P",
                        help="seizure probability threshold for events (default 0.5)")  # fmt: skip
    parser.add_argument("--min-duration", type=float, default=5.0, metavar="S",
                        help="shortest event in seconds (default 5)")  # fmt: skip
    parser.add_argument("--merge-gap", type=float, default=10.0, metavar="S",
                        help="merge events closer than this, seconds (default 10)")  # fmt: skip
    parser.add_argument("--threads", type=int, default=1, metavar="N",
                        help="CPU threads for the model (default 1: the small model gains "
                        "little from more, and loses a lot on a busy machine)")  # fmt: skip
    parser.add_argument("--rerun", action="store_true",
                        help="recompute even when complete results are stored")  # fmt: skip
    parser.add_argument("--no-trends", action="store_true",
                        help="do not also compute the whole-night trends (CDSA, aEEG) that the "
                        "viewer and the report show")  # fmt: skip
    add_json_flag(parser)
    parser.set_defaults(run=run)


def _params(args: argparse.Namespace) -> EventParams:
    from app.core.events import EventParams

    try:
        return EventParams(args.threshold, args.min_duration, args.merge_gap)
    except ValueError as exc:
        raise UsageError("--threshold/--min-duration/--merge-gap", str(exc)) from exc


def _out_dir(args: argparse.Namespace) -> Path | None:
    if not args.out:
        return None
    out = Path(args.out).expanduser()
    if out.exists() and not out.is_dir():
        raise UsageError(str(out), "is a file; --out needs a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(str(out), f"cannot create the folder: {exc.strerror}") from exc
    return out


def run(args: argparse.Namespace) -> int:
    from app.core.analysis_run import load_model

    params, out = _params(args), _out_dir(args)
    if args.threads < 1:
        raise UsageError("--threads", f"must be at least 1, got {args.threads}")
    # Bad weights or device: every file would fail, so this is the one error for all.
    detector = load_model(args.model, args.device, threads=args.threads)
    results: list[dict[str, Any]] = []
    bad_input = internal = False
    written: set[Path] = set()
    for file in args.files:
        try:
            result = analyse_file(
                file, detector, args=args, params=params, out=out, written=written
            )
        except IctalError as exc:
            print(f"ictal: {file} : {_why(exc, file)}", file=sys.stderr)
            bad_input = True
            continue
        except (KeyboardInterrupt, BrokenPipeError):
            raise
        except Exception as exc:
            print(report_internal_error(exc).replace("ictal:", f"ictal: {file} :", 1),
                  file=sys.stderr)  # fmt: skip
            internal = True
            continue
        results.append(result)
        if not args.json:
            print("\n".join(result_lines(result)), flush=True)
    if args.json and len(args.files) > 1:
        print_json({"results": results, "failed": len(args.files) - len(results)})
    elif args.json and results:
        print_json(results[0])
    return EXIT_INTERNAL if internal else EXIT_BAD_INPUT if bad_input else EXIT_OK


def _why(exc: IctalError, file: str) -> str:
    name = Path(file).name
    if exc.what in (file, str(Path(file)), f"analysis of {name}"):
        return exc.why
    return f"{exc.what}: {exc.why}"


def _session(file: str, out: Path | None) -> Session:
    from app.core.session import Session

    if out is None:
        return Session.open(file)
    return Session.open(file, data_dir=out, writable=lambda _folder: False)


def _progress(name: str) -> tuple[Callable[..., None], Callable[..., None], ExitStack]:
    """(on_start, on_chunk, closer) driving a tqdm bar on stderr (only on a terminal)."""
    from tqdm import tqdm

    stack = ExitStack()
    bar: list[Any] = []

    def on_start(analysis: Any) -> None:
        options = {"desc": name, "unit": "s", "file": sys.stderr, "disable": None}
        progress = tqdm(total=analysis.n_seconds, initial=analysis.done_s, leave=False, **options)
        bar.append(stack.enter_context(progress))

    def on_chunk(chunk: Any) -> None:
        if bar:
            bar[0].update(chunk.stop_s - chunk.start_s)

    return on_start, on_chunk, stack


def analyse_file(
    file: str,
    detector: Detector,
    *,
    args: argparse.Namespace,
    params: EventParams,
    out: Path | None,
    written: set[Path],
) -> dict[str, Any]:
    """Analyse one recording; write its session and events.tsv; the JSON-ready summary."""
    from app.core.analysis_run import analyse
    from app.core.recording import open_recording

    started = time.perf_counter()
    on_start, on_chunk, bar = _progress(Path(file).name)
    with open_recording(file) as recording, bar:
        session = _session(file, out)
        outcome = analyse(
            recording,
            detector,
            name=args.model,
            session=session,
            params=params,
            on_start=on_start,
            on_chunk=on_chunk,
            resume=not args.rerun,
        )
        duration = recording.info.duration_s
        analysed = time.perf_counter()
        if not args.no_trends:
            # Cached in the session, so the viewer and `ictal report` show them at once.
            from app.core.report.sources import cached_trends

            cached_trends(recording, session, compute=True)
        trends_s = time.perf_counter() - analysed
    tsv = _write_events(file, outcome.events, out or session.path.parent, session, written)
    elapsed = time.perf_counter() - started
    result = summary(
        file,
        outcome,
        detector=detector,
        duration_s=duration,
        elapsed_s=elapsed,
        session=session,
        tsv=tsv,
    )
    result["trends_s"] = round(trends_s, 2)
    return result


def _write_events(
    file: str, events: tuple[Event, ...], folder: Path, session: Session, written: set[Path]
) -> Path:
    from app.core.annotation_io.bids import write_bids_events

    stem = Path(file).stem
    target = folder / f"{stem}_events.tsv"
    if target in written:  # two recordings of the same name in one batch
        target = folder / f"{stem}-{session.fingerprint.key}_events.tsv"
    written.add(target)
    return write_bids_events(target, event_annotations(events), protect=[Path(file)])


def event_annotations(events: tuple[Event, ...]) -> list[Any]:
    """Detected events as annotations (``trial_type`` says probability, type and source)."""
    from app.core.annotation import Annotation

    return [
        Annotation(
            e.onset_s,
            e.duration_s,
            f"seizure detected p={e.peak_prob:.2f}; {e.type_label} ({e.type_source})",
            e.channels,
            source="ictal",
        )
        for e in events
    ]


def summary(
    file: str,
    outcome: AnalysisOutcome,
    *,
    detector: Detector,
    duration_s: float,
    elapsed_s: float,
    session: Session,
    tsv: Path,
) -> dict[str, Any]:
    """The JSON object of one recording (ARCHITECTURE.md keys first)."""
    a = outcome.analysis
    return {
        "file": str(file),
        "model": a.model.name,
        "duration_s": duration_s,
        "elapsed_s": round(elapsed_s, 3),
        "events": [
            {
                "onset": e.onset_s,
                "duration": e.duration_s,
                "probability": round(e.peak_prob, 4),
                "type": e.type_label,
                "type_source": e.type_source,
                "channels": list(e.channels),
                "review": e.review,
            }
            for e in outcome.events
        ],
        "session": str(session.path),
        "events_tsv": str(tsv),
        "complete": a.complete,
        "reused": outcome.reused,
        "device": str(detector.device),
        "model_version": a.model.version,
        "checkpoint_sha256": a.model.checkpoint_sha256,
        "input_montage": a.montage,
        "channels": list(a.channel_names),
    }


def result_lines(result: dict[str, Any]) -> list[str]:
    """The human-readable report of one recording."""
    events = result["events"]
    how = "reused stored results" if result["reused"] else f"analysed in {result['elapsed_s']} s"
    head = (
        f"{result['file']}: {format_hms(result['duration_s'])} {how} "
        f"({result['model']}, {result['device']}, {len(result['channels'])} channels "
        f"{result['input_montage']}); {len(events)} event(s)"
    )
    rows = [
        [
            format_hms(e["onset"]),
            f"{e['duration']:g} s",
            f"{e['probability']:.2f}",
            f"{e['type']} ({e['type_source']})",
            ", ".join(e["channels"]),
        ]
        for e in events
    ]
    table = format_table(["onset", "duration", "prob", "type", "leading channels"], rows, (0, 1, 2))
    lines = [head, *("  " + row for row in table)] if rows else [head]
    return [*lines, f"  session {result['session']}", f"  events  {result['events_tsv']}"]
