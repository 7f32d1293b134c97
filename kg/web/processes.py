"""Several server processes on one port (`kg serve --processes N`), so that documents, pages and
the API use every core: one Python process makes documents on one core at a time.

The supervisor forks each web process before anything is opened (no store, no thread), and
each binds its own listening socket with SO_REUSEPORT, so the kernel spreads connections over
them. A web process that dies is replaced; SIGTERM or SIGINT to the supervisor stops them all
gracefully (each finishes its requests in flight). Web processes run in their own process group,
so a terminal's Ctrl+C reaches them once, through the supervisor, and they get SIGTERM from the
kernel if the supervisor is killed.

Each process holds its own view of the store and its own caches, so updates through the
operator's token are refused at start (`kg serve` says so): one process must take them.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType

log = logging.getLogger(__name__)

# A web process that dies this soon after it was started, more than this many times in a row, is
# not started again: something is wrong with every start (the store, the port), not one request.
QUICK_DEATH = 10.0
QUICK_DEATHS = 3

# `serve(sock, index, ready)`: run web process `index` on `sock`; write a byte to the file
# descriptor `ready` once it accepts connections. Returns the process's exit code.
Serve = Callable[[socket.socket, int, int], int]


def listening_socket(host: str, port: int, *, shared: bool) -> socket.socket:
    """A TCP socket bound to host:port (IPv6 when the host is), shared with the other web
    processes through SO_REUSEPORT when `shared`."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if shared:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
    except BaseException:
        sock.close()
        raise
    return sock


def check_port(host: str, port: int) -> str | None:
    """None when host:port can be listened on, else why not."""
    if not hasattr(socket, "SO_REUSEPORT"):
        return "several processes need SO_REUSEPORT, which this system does not have: serve with one"
    try:
        listening_socket(host, port, shared=False).close()
    except OSError as error:
        return f"cannot listen on {host}:{port}: {error.strerror or error}"
    return None


@dataclass
class Supervisor:
    count: int
    host: str
    port: int
    serve: Serve
    children: dict[int, int] = field(default_factory=dict)  # pid -> index
    stopping: bool = False

    def run(self) -> int:
        """Start the web processes one after the other (the first prepares what the others
        read: the store, the kept counts), keep them running, stop them on a signal."""
        previous = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            for index in range(self.count):
                code = self._start(index)
                if code is not None:
                    self._stop_all()
                    return code
            log.warning("serving with %d processes on http://%s:%d/", self.count, self.host, self.port)
            return self._watch()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _start(self, index: int) -> int | None:
        """Fork web process `index` and wait until it listens; its exit code if it ended first."""
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the web process: never returns into the supervisor's code
            code = 70  # EX_SOFTWARE: what an escaped exception leaves
            try:
                os.close(read_end)
                code = _web_process(self.serve, self.host, self.port, index, write_end)
            finally:
                os._exit(code)
        os.close(write_end)
        self.children[pid] = index
        try:
            while True:
                try:
                    ready = os.read(read_end, 1)
                    break
                except InterruptedError:
                    continue
        finally:
            os.close(read_end)
        if ready:
            return None
        _, status = _reap(pid)
        self.children.pop(pid, None)
        return _exit_code(status)

    def _watch(self) -> int:
        quick = 0
        started = {pid: time.monotonic() for pid in self.children}
        while self.children:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            index = self.children.pop(pid, None)
            if index is None or self.stopping:
                continue
            lived = time.monotonic() - started.pop(pid, 0.0)
            quick = quick + 1 if lived < QUICK_DEATH else 0
            log.warning("web process %d %s", pid, _describe(status))
            if quick > QUICK_DEATHS:
                log.error("web processes keep ending at start: stopping")
                self._stop_all()
                return 1
            code = self._start(index)
            if code is not None:
                log.error("a new web process could not start (exit code %d): stopping", code)
                self._stop_all()
                return code
            started.update({p: time.monotonic() for p in self.children if p not in started})
        return 0

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True
        for pid in list(self.children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    def _stop_all(self) -> None:
        self._stop(signal.SIGTERM, None)
        for pid in list(self.children):
            _reap(pid)
            self.children.pop(pid, None)


def _web_process(serve: Serve, host: str, port: int, index: int, ready: int) -> int:
    os.setpgid(0, 0)  # a terminal's Ctrl+C reaches the supervisor only, which passes it on once
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, signal.SIG_DFL)
    _term_with_parent()
    try:
        sock = listening_socket(host, port, shared=True)
    except OSError as error:
        print(f"kg serve: cannot listen on {host}:{port}: {error.strerror or error}", file=sys.stderr)
        return 1
    return serve(sock, index, ready)


def _term_with_parent() -> None:
    """On Linux, SIGTERM this process when the supervisor dies, however it dies."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:  # the supervisor died before the line above
        os.kill(os.getpid(), signal.SIGTERM)


def _reap(pid: int) -> tuple[int, int]:
    while True:
        try:
            return os.waitpid(pid, 0)
        except InterruptedError:
            continue
        except ChildProcessError:
            return pid, 0


def _exit_code(status: int) -> int:
    code = os.waitstatus_to_exitcode(status)
    return code if code > 0 else 1


def _describe(status: int) -> str:
    code = os.waitstatus_to_exitcode(status)
    if code < 0:
        return f"was killed by {signal.Signals(-code).name}; starting another"
    return f"ended with exit code {code}; starting another"
