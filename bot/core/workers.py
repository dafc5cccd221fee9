"""Worker processes that die with their parent.

``ProcessPoolExecutor`` workers outlive a parent killed with SIGKILL (no clean-up runs):
they are re-parented to PID 1 and keep their memory (about 120 MB for two analysis workers
and the resource tracker). Each worker here watches its parent and exits as soon as it is
gone; the resource tracker then sees its last user leave and exits too.
"""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

PARENT_CHECK_S = 0.5


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers exit within ``PARENT_CHECK_S`` of their parent's death.

    spawn, not fork: forking a process that runs aiosqlite's thread can deadlock.
    """
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=get_context("spawn"),
        initializer=watch_parent,
        initargs=(os.getpid(),),
    )


def watch_parent(parent_pid: int) -> None:
    """In a worker: a daemon thread that ends the process once ``parent_pid`` is gone."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_CHECK_S)
        os._exit(1)  # re-parented: whoever started us is dead, nobody will collect results

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()
