"""Closing a process's way to the network, for the processes that evaluate public queries.

Oxigraph evaluates `SERVICE` by opening an HTTP connection from the process that runs the
query. kg refuses such queries before they reach a worker, but the refusal is a check; this is
the construction: a query worker installs a seccomp filter, before it opens the store, under
which creating any socket but a Unix one fails with EACCES (and io_uring, which could open one
without the socket system call, cannot be set up). Whatever a query asks, the worker has no way
to open a TCP or UDP connection, to any host, loopback included. The filter is inherited by every
thread the worker starts and cannot be lifted.

Linux on x86-64 and AArch64 only; elsewhere `close_network` says it could not, and the pool
reports it at start (docs/security.md says what then still holds).
"""

from __future__ import annotations

import ctypes
import errno
import platform
import struct
import sys

# Constants of <linux/filter.h>, <linux/seccomp.h>, <linux/audit.h>.
_BPF_LD_W_ABS = 0x20
_BPF_JMP_JEQ_K = 0x15
_BPF_JMP_JGE_K = 0x35
_BPF_RET_K = 0x06
_SECCOMP_RET_ALLOW = 0x7FFF0000
_SECCOMP_RET_ERRNO = 0x00050000
_PR_SET_NO_NEW_PRIVS = 38
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_FILTER_FLAG_TSYNC = 1
_AF_UNIX = 1
_X32_SYSCALL_BIT = 0x40000000

# arch: (AUDIT_ARCH_*, socket, io_uring_setup, seccomp) system call numbers
_ARCHES = {
    "x86_64": (0xC000003E, 41, 425, 317),
    "aarch64": (0xC00000B7, 198, 425, 277),
}


def _filter(audit_arch: int, nr_socket: int, nr_io_uring_setup: int) -> bytes:
    """The BPF program: another architecture's calls, socket() for any family but AF_UNIX, and
    io_uring_setup() fail with EACCES; everything else is allowed."""
    deny = _SECCOMP_RET_ERRNO | errno.EACCES
    program = [
        (_BPF_LD_W_ABS, 0, 0, 4),  # 0: A = seccomp_data.arch
        (_BPF_JMP_JEQ_K, 1, 0, audit_arch),  # 1: native? go to 3
        (_BPF_RET_K, 0, 0, deny),  # 2: another ABI: refused
        (_BPF_LD_W_ABS, 0, 0, 0),  # 3: A = seccomp_data.nr
        (_BPF_JMP_JGE_K, 0, 1, _X32_SYSCALL_BIT),  # 4: x32 calls? refused
        (_BPF_RET_K, 0, 0, deny),  # 5
        (_BPF_JMP_JEQ_K, 0, 1, nr_io_uring_setup),  # 6: io_uring_setup? refused
        (_BPF_RET_K, 0, 0, deny),  # 7
        (_BPF_JMP_JEQ_K, 0, 3, nr_socket),  # 8: not socket()? go to 12
        (_BPF_LD_W_ABS, 0, 0, 16),  # 9: A = low word of args[0], the family
        (_BPF_JMP_JEQ_K, 1, 0, _AF_UNIX),  # 10: AF_UNIX? go to 12
        (_BPF_RET_K, 0, 0, deny),  # 11: any other family: refused
        (_BPF_RET_K, 0, 0, _SECCOMP_RET_ALLOW),  # 12
    ]
    return b"".join(struct.pack("=HBBI", *instruction) for instruction in program)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def close_network() -> str | None:
    """Forbid this process (all its threads, and any it starts) to open network sockets. Returns
    None when done, else why it could not be done here."""
    if not sys.platform.startswith("linux"):
        return f"no seccomp on {sys.platform}"
    arch = _ARCHES.get(platform.machine())
    if arch is None:
        return f"no seccomp filter written for {platform.machine()}"
    audit_arch, nr_socket, nr_io_uring_setup, nr_seccomp = arch
    if sys.byteorder != "little":
        return "no seccomp filter written for a big-endian machine"
    code = _filter(audit_arch, nr_socket, nr_io_uring_setup)
    buffer = ctypes.create_string_buffer(code, len(code))
    program = _SockFprog(len(code) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return f"prctl(PR_SET_NO_NEW_PRIVS) failed: {errno.errorcode.get(ctypes.get_errno(), '?')}"
    result = libc.syscall(
        ctypes.c_long(nr_seccomp),
        ctypes.c_ulong(_SECCOMP_SET_MODE_FILTER),
        ctypes.c_ulong(_SECCOMP_FILTER_FLAG_TSYNC),
        ctypes.byref(program),
    )
    if result != 0:
        return f"seccomp(SECCOMP_SET_MODE_FILTER) failed: {errno.errorcode.get(ctypes.get_errno(), '?')}"
    return None
