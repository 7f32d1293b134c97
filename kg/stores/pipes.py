"""Gzipped N-Triples handed to other programs through named pipes.

A named pipe is a path: Oxigraph's loader or `comm` opens it as a file and reads what `gzip -dc`
writes into it, so decompression runs in another process (on another core) and no byte passes
through Python.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path


def pipes_available() -> bool:
    return hasattr(os, "mkfifo") and shutil.which("gzip") is not None


def unpack_into(pipe: Path, source: Path, *, unique: bool = False) -> list[subprocess.Popen[bytes]]:
    """Make `pipe` and start `gzip -dc source` writing into it (through `uniq`, byte order, when
    `unique`). Returns the processes, gzip first; the pipe ends when they exit. Their stderr is
    captured: `stop` returns it."""
    gzip = shutil.which("gzip")
    uniq = shutil.which("uniq") if unique else None
    if gzip is None or (unique and uniq is None):
        raise FileNotFoundError("gzip" if gzip is None else "uniq")
    os.mkfifo(pipe)
    # Opened both ways, so the writer never blocks on opening it; closed below, leaving the
    # writer as the only one holding it.
    holder = os.open(pipe, os.O_RDWR)
    try:
        if uniq is None:
            return [subprocess.Popen([gzip, "-dc", str(source)], stdout=holder, stderr=subprocess.PIPE)]
        unpack = subprocess.Popen([gzip, "-dc", str(source)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert unpack.stdout is not None
        try:
            dedupe = subprocess.Popen(
                [uniq], stdin=unpack.stdout, stdout=holder, stderr=subprocess.PIPE, env={**os.environ, "LC_ALL": "C"}
            )
        except BaseException:
            unpack.kill()
            raise
        finally:
            unpack.stdout.close()  # uniq holds it now
        return [unpack, dedupe]
    finally:
        os.close(holder)


def stop(processes: list[subprocess.Popen[bytes]]) -> list[bytes]:
    """Kill what still runs, reap everything, and return what each wrote to stderr (nothing for
    one already stopped)."""
    for process in processes:
        if process.poll() is None:
            process.kill()
    return [_finish(process) for process in processes]


def _finish(process: subprocess.Popen[bytes]) -> bytes:
    if process.stderr is None or process.stderr.closed:
        process.wait()
        return b""
    return process.communicate()[1] or b""
