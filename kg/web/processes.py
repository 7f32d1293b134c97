"""Several server processes on one port (`kg serve --processes N`), so that documents, pages and
the API use every core: one Python process makes documents on one core at a time.

The supervisor starts each web process as a fresh `kg serve` (the same command line, marked as
web process K) and opens nothing itself. Each web process binds its own listening socket with
SO_REUSEPORT, so the kernel spreads connections over them, and tells the supervisor through a
pipe once it listens. They start one after the other: the first prepares what the others then
read (the store, the counts kept in `DATA/kept/`). A web process that dies is replaced; SIGTERM
or SIGINT to the supervisor stops them all gracefully (each finishes its requests in flight).
Web processes run in their own process group, so a terminal's Ctrl+C reaches them once, through
the supervisor, and the kernel sends them SIGTERM if the supervisor is killed.

Each process holds its own view of the store and its own caches, so `kg serve` refuses the
operator's update token with more than one process: one process must take updates.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from types import FrameType

log = logging.getLogger(__name__)

WEB_PROCESS = "--web-process"  # the hidden option marking a web process: INDEX:READY_FD:SUPERVISOR_PID
# A web process that dies this soon after it was started, more than this many times in a row, is
# not started again: something is wrong with every start (the store, the port), not one request.
QUICK_DEATH = 10.0
QUICK_DEATHS = 3


@dataclass(frozen=True)
class WebProcess:
    """What a web process is told by its supervisor."""

    index: int  # 0 for the first, which announces the server
    ready: int  # the file descriptor to write one byte to once listening
    supervisor: int  # its process id

    @classmethod
    def parse(cls, value: str) -> WebProcess:
        index, ready, supervisor = (int(part) for part in value.split(":"))
        return cls(index, ready, supervisor)

    def option(self) -> list[str]:
        return [WEB_PROCESS, f"{self.index}:{self.ready}:{self.supervisor}"]

    def attach(self) -> None:
        """Have the kernel SIGTERM this process when the supervisor dies, however it dies."""
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
        if os.getppid() != self.supervisor:  # it died before the line above
            os.kill(os.getpid(), signal.SIGTERM)

    def listening(self) -> None:
        """Tell the supervisor this process accepts connections."""
        os.write(self.ready, b"1")
        os.close(self.ready)


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
    command: list[str]  # `kg serve ...` as given; each web process gets WEB_PROCESS added
    children: dict[int, int] = field(default_factory=dict)  # pid -> index
    stopping: bool = False

    def run(self) -> int:
        """Start the web processes one after the other, keep them running, stop them on a
        signal. Returns the exit code: 0 when stopped by a signal."""
        previous = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            for index in range(self.count):
                code = self._start(index)
                if code is not None:
                    self._stop_all()
                    return 0 if self.stopping else code  # stopped while starting: as asked
            log.warning("serving with %d processes on http://%s:%d/", self.count, self.host, self.port)
            return self._watch()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _start(self, index: int) -> int | None:
        """Start web process `index` and wait until it listens; its exit code if it ended first."""
        read_end, write_end = os.pipe()
        try:
            told = WebProcess(index, write_end, os.getpid())
            process = subprocess.Popen(
                [*self.command, *told.option()], pass_fds=(write_end,), stdin=subprocess.DEVNULL, process_group=0
            )
        finally:
            os.close(write_end)
        self.children[process.pid] = index
        try:
            ready = os.read(read_end, 1)  # b"": it ended (or closed the pipe) without listening
        finally:
            os.close(read_end)
        if ready:
            return None
        _, status = _reap(process.pid)
        self.children.pop(process.pid, None)
        code = os.waitstatus_to_exitcode(status)
        return code if code > 0 else 1

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
            quick = quick + 1 if time.monotonic() - started.pop(pid, 0.0) < QUICK_DEATH else 0
            log.warning("web process %d %s; starting another", pid, _ended(status))
            if quick > QUICK_DEATHS:
                log.error("web processes keep ending soon after they start: stopping")
                self._stop_all()
                return 1
            code = self._start(index)
            if code is not None:
                self._stop_all()
                if self.stopping:
                    return 0
                log.error("a new web process could not start (exit code %d): stopping", code)
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


def _reap(pid: int) -> tuple[int, int]:
    try:
        return os.waitpid(pid, 0)
    except ChildProcessError:
        return pid, 0


def _ended(status: int) -> str:
    code = os.waitstatus_to_exitcode(status)
    return f"was killed by {signal.Signals(-code).name}" if code < 0 else f"ended with exit code {code}"
