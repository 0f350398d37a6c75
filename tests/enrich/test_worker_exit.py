"""Worker processes forked for enrichment die with their parent, even when it is killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="prctl(PR_SET_PDEATHSIG) is Linux's"
)

PARENT = """
import multiprocessing, time
from newsarchive.enrich.worker_exit import dying_with_parent

def wait():
    time.sleep(600)

fork = multiprocessing.get_context("fork")
with dying_with_parent():
    inside = fork.Process(target=wait, daemon=True)
    inside.start()
outside = fork.Process(target=wait, daemon=True)
outside.start()
print(inside.pid, outside.pid, flush=True)
time.sleep(600)
"""


def alive(pid: int) -> bool:
    """Running, not gone and not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.1)
    return not alive(pid)


def test_a_child_forked_inside_the_block_ends_when_the_parent_is_killed() -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    inside, outside = (int(pid) for pid in parent.stdout.readline().split())
    try:
        assert alive(inside) and alive(outside)
        parent.kill()
        parent.wait()
        assert gone_within(inside, 30), "the worker forked inside dying_with_parent outlived its parent"
        assert alive(outside), "a child forked outside the block is left alone (the old behaviour)"
    finally:
        for pid in (inside, outside):
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_off_the_main_thread_nothing_is_armed() -> None:
    import threading

    from newsarchive.enrich import worker_exit

    seen: list[int] = []

    def run() -> None:
        with worker_exit.dying_with_parent():
            seen.append(worker_exit._armed)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert seen == [0], "a server's request thread ends before its process: no signal may hang on it"
    with worker_exit.dying_with_parent():
        assert worker_exit._armed == 1
    assert worker_exit._armed == 0
