"""Worker processes of the server, started as plain subprocesses that talk over a socket pair.

The SPARQL pool (`kg.web.sparql.pool`) and the search pool (`kg.web.search_pool`) start theirs
this way: `python -m MODULE FD ARGS...`, so no launcher's main module is imported again, and a
worker is stopped by a `None` job (or killed when it does not answer).
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import TypeVar


@dataclass(eq=False)
class WorkerProcess:
    process: subprocess.Popen[bytes]
    conn: Connection
    generation: int

    def stop(self, *, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except (OSError, ValueError):
                self.process.kill()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.conn.close()


def start_worker(module: str, args: list[str], generation: int) -> WorkerProcess:
    """`python -m module FD *args`, talking over one end of a socket pair (FD is the other)."""
    ours, theirs = socket.socketpair()
    try:
        command = [sys.executable, "-m", module, str(theirs.fileno()), *args]
        process = subprocess.Popen(command, pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL)
    except BaseException:
        ours.close()
        raise
    finally:
        theirs.close()
    return WorkerProcess(process, Connection(ours.detach()), generation)


def die_with_parent() -> None:
    """On Linux, have the kernel kill this worker if the server dies without stopping it (even
    in the middle of a long job, when the closed pipe is not noticed)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def ignore_stop_signals() -> None:
    """The server stops its workers itself (and they die with it): a SIGTERM sent to the whole
    process group, as service managers do, must not kill them while requests are in flight."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


Job = TypeVar("Job")


def serve_jobs(conn: Connection, answer: Callable[[Job], object]) -> None:
    """A ready worker's loop: answer each job the pool sends until the pipe closes or a None
    job comes."""
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        conn.send(answer(job))
