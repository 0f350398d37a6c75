"""spaCy's worker processes end with the process that started them, even when it is killed.

``nlp.pipe(n_process=…)`` forks its workers as daemons, which only helps on a normal exit: an
ingest or ``enrich`` killed with SIGKILL (kill -9, the OOM killer) left its workers blocked on their
queues for ever, each holding a loaded pipeline (about 230 MB). On Linux a forked child can ask the
kernel for a signal when its parent dies (``prctl(PR_SET_PDEATHSIG)``); elsewhere nothing changes.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_PR_SET_PDEATHSIG = 1
_armed = 0
"""How many ``dying_with_parent`` blocks are open in this process; a fork inherits the count."""
_parent = 0
"""The pid of the process that opened them (the forked child's parent)."""
_lock = threading.Lock()


def _after_fork_in_child() -> None:
    global _armed
    if not _armed:
        return
    _armed = 0  # the worker's own children, if any, are its business
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
        return  # the kernel refused: the worker is no worse off than before
    if os.getppid() != _parent:  # the parent died between the fork and the prctl
        os._exit(1)


if sys.platform.startswith("linux"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


@contextmanager
def dying_with_parent() -> Iterator[None]:
    """Processes forked inside this block get SIGTERM when this process dies.

    Only on the main thread: the kernel sends the signal when the *thread* that forked ends, and a
    request thread of a server ends long before its process."""
    global _armed, _parent
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    with _lock:
        _armed += 1
        _parent = os.getpid()
    try:
        yield
    finally:
        with _lock:
            _armed -= 1
