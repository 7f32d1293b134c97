"""The one switch for kg's C loops (`kg._native`, compiled at install when a C compiler is there):
`loops` is the module, or None when kg was built without it or `KG_NATIVE=off` is set. Every
caller reads `native.loops` when it runs, so one assignment (a test's monkeypatch, the suite's
second run under `KG_NATIVE=off`) switches the whole build to the Python versions, which write
the same bytes."""

from __future__ import annotations

import importlib
import os
from types import ModuleType

loops: ModuleType | None
try:
    # By name: a compiled module has no source for the type checker to read.
    loops = importlib.import_module("kg._native")
except ImportError:  # built without a C compiler
    loops = None
if os.environ.get("KG_NATIVE", "").lower() == "off":
    loops = None
