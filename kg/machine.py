"""What the machine can give kg, for choices that depend on it (any layer may ask)."""

from __future__ import annotations


def memory_available() -> int | None:
    """The memory the system can give without swapping (Linux's MemAvailable), in bytes; None
    where it cannot be read."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None
