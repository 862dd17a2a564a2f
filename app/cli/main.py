"""The ``ictal`` command line: one parser, one subcommand per module, one error contract.

Adding a command
----------------
Write ``app/cli/<name>.py`` exposing::

    def add_parser(subparsers) -> None:       # registers "<name>", then
        parser.set_defaults(run=run)          # ... points it at run()
    def run(args: argparse.Namespace) -> int: # the exit status

and append a :class:`Command` to :data:`COMMANDS` below. Only the module of the command
being run is imported (``ictal --help`` imports none), so a command module may import
PySide6 or torch at module level without slowing down or breaking the others; keep
``info`` and ``simulate`` free of them. ``--json`` prints exactly one JSON object on
stdout (see :func:`app.cli.common.print_json`).

Error contract (docs: ARCHITECTURE.md)
--------------------------------------
- bad input (any :class:`~app.core.errors.IctalError`): one line ``ictal: <what> : <why>``
  on stderr, exit status 2, never a traceback;
- argparse usage errors: argparse's own message, exit status 2;
- an unexpected exception (a bug): one line ``ictal: internal error : <Type>: <msg>``
  naming a log file that holds the traceback, exit status 1;
- Ctrl+C: exit status 130, nothing printed.

``ictal FILE`` (a path, no command) means ``ictal view FILE``, and a bare ``ictal`` means
``ictal view``, once a ``view`` command is registered (see :func:`resolve_argv`).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import app
from app.cli.common import report_internal_error
from app.core.errors import IctalError

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130


@dataclass(frozen=True, slots=True)
class Command:
    """A subcommand: its name, the module that implements it, and its one-line help."""

    name: str
    module: str
    help: str


#: Every subcommand, in the order ``ictal --help`` lists them. Append new commands here.
COMMANDS: list[Command] = [
    Command("info", "app.cli.info", "show a recording's header, channels and annotations"),
    Command("simulate", "app.cli.simulate_cmd", "write a synthetic EEG recording (EDF+)"),
    Command("view", "app.cli.view", "open the review window on a recording"),
    Command("demo", "app.cli.demo", "open a synthetic night with seizures (written on first use)"),
    Command("analyze", "app.cli.analyze", "detect seizures in recordings (session + events.tsv)"),
    Command("report", "app.cli.report", "write the annotated PDF report (+ JSON, events.tsv)"),
    Command("compare", "app.cli.compare", "compare recordings before/after treatment (PDF)"),
    Command("bench", "app.cli.bench", "benchmark the viewer (and analysis) on a recording"),
    Command("train", "app.cli.train", "train or evaluate the seizure model"),
]

#: The command a bare path means (``ictal night.edf`` -> ``ictal view night.edf``).
DEFAULT_FILE_COMMAND = "view"


def _command(name: str) -> Command | None:
    return next((c for c in COMMANDS if c.name == name), None)


def _looks_like_path(token: str) -> bool:
    """A token that is a file rather than a (mistyped) command name."""
    if token.startswith("-"):
        return False
    return "/" in token or os.sep in token or bool(Path(token).suffix) or Path(token).exists()


def resolve_argv(argv: Sequence[str]) -> list[str]:
    """Apply the bare-path rule once ``view`` is registered.

    ``ictal FILE ...`` becomes ``ictal view FILE ...`` and a bare ``ictal`` becomes
    ``ictal view`` (the viewer without a file); until then both stay as typed.
    """
    args = list(argv)
    if _command(DEFAULT_FILE_COMMAND) is None:
        return args
    if not args or (_command(args[0]) is None and _looks_like_path(args[0])):
        args.insert(0, DEFAULT_FILE_COMMAND)
    return args


def build_parser(selected: str | None = None) -> argparse.ArgumentParser:
    """The top-level parser; only the ``selected`` command's module is imported."""
    parser = argparse.ArgumentParser(
        prog="ictal",
        description="Review clinical EEG in epilepsy: view, analyse, report.",
        epilog="Errors print one line 'ictal: <what> : <why>' and exit with status 2.",
    )
    parser.add_argument("--version", action="version", version=f"ictal {app.__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        if command.name == selected:
            importlib.import_module(command.module).add_parser(subparsers)
        else:
            # Listed in --help without importing its module; never parsed.
            subparsers.add_parser(command.name, help=command.help, add_help=False)
    return parser


def _dispatch(argv: list[str]) -> int:
    selected = argv[0] if argv and _command(argv[0]) is not None else None
    parser = build_parser(selected)
    args = parser.parse_args(argv)
    run: Any = getattr(args, "run", None)
    if run is None:
        parser.print_help(sys.stderr)
        return EXIT_BAD_INPUT
    return int(run(args))


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``ictal`` with ``argv`` (default: ``sys.argv[1:]``); returns the exit status."""
    args = resolve_argv(sys.argv[1:] if argv is None else argv)
    _tolerate_unencodable_output()
    try:
        return _dispatch(args)
    except SystemExit as exc:  # argparse: --help, --version, usage errors
        if exc.code is None:
            return EXIT_OK
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    except IctalError as exc:
        what = " ".join(exc.what.splitlines())
        print(f"ictal: {what} : {exc.why}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (``ictal info x | head``): stop quietly.
        _silence_stdout()
        return EXIT_INTERNAL
    except Exception as exc:
        print(report_internal_error(exc), file=sys.stderr)
        return EXIT_INTERNAL


def _tolerate_unencodable_output() -> None:
    """A channel name the console cannot encode prints as '?' instead of crashing."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(OSError, ValueError):
                reconfigure(errors="replace")


def _silence_stdout() -> None:
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


if __name__ == "__main__":
    sys.exit(main())
