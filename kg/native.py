"""The one switch for kg's C loops (`kg._native`, compiled at install when a C compiler is there):
`loops` is the module, or None when kg was built without it or `KG_NATIVE=off` is set. Every
caller reads `native.loops` when it runs, so one assignment (a test's monkeypatch, the suite's
second run under `KG_NATIVE=off`) switches the whole build to the Python versions, which write
the same bytes."""

from __future__ import annotations

import os
from types import ModuleType

loops: ModuleType | None
try:
    from kg import _native as loops
except ImportError:  # built without a C compiler
    loops = None
if os.environ.get("KG_NATIVE", "").lower() == "off":
    loops = None
