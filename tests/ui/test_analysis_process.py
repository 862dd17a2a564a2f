"""The window's model runs in a child process: its results are the in-process ones, the
viewer's process never imports torch, and a child that dies ends the run with one line
while what was computed stays in the session as a partial result."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from app.core.analysis_run import analyse, load_model
from app.core.errors import AnalysisError
from app.core.recording import open_recording
from app.core.session import Session
from app.workers.analysis_process import ModelProcess


def _never() -> bool:
    return False


def test_child_results_equal_the_in_process_ones(night: Path) -> None:
    with ModelProcess(str(night), None, "cpu", 1) as child, open_recording(night) as rec:
        meta = child.start(should_stop=_never)
        assert meta is not None and meta.device == "cpu"
        remote = analyse(rec, meta, compute=child.compute)
    with open_recording(night) as rec:
        local = analyse(rec, load_model(None, "cpu", threads=1))
    assert remote.analysis.complete and remote.analysis.done_s == local.analysis.done_s
    assert remote.analysis.model.checkpoint_sha256 == local.analysis.model.checkpoint_sha256
    np.testing.assert_allclose(remote.analysis.prob, local.analysis.prob, atol=1e-5)
    np.testing.assert_allclose(remote.analysis.channel_prob, local.analysis.channel_prob, atol=1e-5)
    assert [e.onset_s for e in remote.events] == [e.onset_s for e in local.events]


def test_stopped_while_loading_gives_no_model(night: Path) -> None:
    with ModelProcess(str(night), None, "cpu", 1) as child:
        assert child.start(should_stop=lambda: True) is None


def test_a_killed_child_ends_the_run_with_one_line_and_keeps_the_partial_result(
    fresh: Path,
) -> None:
    copy = fresh
    session = Session.open(copy)
    seen: list[int] = []

    with ModelProcess(str(copy), None, "cpu", 1) as child, open_recording(copy) as rec:
        meta = child.start(should_stop=_never)
        assert meta is not None
        pid = child.pid

        def kill_after_the_first_chunk(chunk) -> None:  # type: ignore[no-untyped-def]
            seen.append(chunk.stop_s)
            if len(seen) == 1 and pid is not None:
                os.kill(pid, signal.SIGKILL)

        with pytest.raises(AnalysisError) as caught:
            analyse(rec, meta, session=session, on_chunk=kill_after_the_first_chunk,
                    compute=child.compute)  # fmt: skip
    message = str(caught.value)
    assert "model process" in message and "\n" not in message
    stored = Session.open(copy).read_analysis("student")
    assert stored is not None and stored.complete is False
    assert int(stored.meta["done_s"]) == seen[-1] >= 300


def test_the_window_process_never_imports_torch(fresh: Path) -> None:
    copy = fresh
    script = textwrap.dedent(
        f"""
        import sys
        from PySide6.QtCore import QCoreApplication, QEventLoop
        from app.core.session import Session
        from app.workers.analysis_job import AnalysisJob

        app = QCoreApplication([])
        job, loop, done = AnalysisJob(), QEventLoop(), []
        job.finished.connect(lambda outcome: (done.append(outcome), loop.quit()))
        job.failed.connect(lambda message: (print(message), loop.quit()))
        job.open({str(copy)!r}, Session.open({str(copy)!r}))
        job.start(device="cpu")
        loop.exec()
        job.shutdown()
        print(done[0].analysis.complete, "torch" in sys.modules)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[-2:] == ["True", "False"]
