"""``ictal bench viewer|... FILE``: benchmarks through the real code paths.

Each benchmark is a module listed in :data:`BENCHMARKS` exposing
``add_parser(subparsers)`` (registering its name, ``parser.set_defaults(run=run)``) and
``run(args) -> int``; adding one (``analysis``) is one line here plus its module.
Benchmark modules keep heavy imports inside ``run`` so ``ictal bench --help`` is quick.
"""

from __future__ import annotations

import importlib
from typing import Any

#: name -> module implementing it.
BENCHMARKS: dict[str, str] = {
    "viewer": "app.cli.bench_viewer",
    "analysis": "app.cli.bench_analysis",
}


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "bench",
        help="benchmark the viewer (and analysis) on a recording",
        description="Benchmarks through the real code paths; --json prints one JSON object.",
    )
    benchmarks = parser.add_subparsers(dest="benchmark", metavar="BENCHMARK", required=True)
    for module in BENCHMARKS.values():
        importlib.import_module(module).add_parser(benchmarks)
