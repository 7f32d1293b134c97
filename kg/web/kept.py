"""What the server counts from the whole store, kept in the data folder for the next start.

The VoID statistics, the class counts, the home page's lists and the question list's facets each
read every question (seconds at 10,000 seed-like questions, minutes at 100,000). A server started
again on the same build reads them back from `{data}/kept/{name}.json` instead. They are kept only
while the store holds exactly the files it was loaded from (nothing written since through the
token; not a remote store), under a key made of what it loaded (each file's SHA-256), the base
the URIs are read under and kg's version: another build, another base or another kg counts again.
The dumps' checksums (every byte of them read) are kept with `read_kept`/`write_kept` under a key
of their own: the file's size, time and inode. A file that cannot be read is counted again; one
that cannot be written (a read-only data folder) is only logged.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from kg import __version__
from kg.web.context import KgContext

log = logging.getLogger(__name__)

KEPT_FOLDER = "kept"
T = TypeVar("T")


def kept(
    ctx: KgContext,
    name: str,
    compute: Callable[[KgContext], T],
    dump: Callable[[T], Any],
    load: Callable[[Any], T],
) -> T:
    """`compute(ctx)`, or what a previous server kept of it for exactly this store. `dump` turns
    the value into JSON data, `load` back (raising KeyError, TypeError or ValueError on data it
    cannot read)."""
    key = kept_key(ctx)
    if key is None:
        return compute(ctx)
    data = read_kept(ctx.data_dir, name, key)
    if data is not None:
        try:
            return load(data)
        except (ValueError, KeyError, TypeError, AttributeError, IndexError):
            pass  # not readable: counted again
    value = compute(ctx)
    write_kept(ctx.data_dir, name, key, dump(value))
    return value


def read_kept(data_dir: Path, name: str, key: str) -> Any | None:
    """The value kept as `name` under `key`; None when there is none (or another key's)."""
    try:
        data = json.loads((data_dir / KEPT_FOLDER / f"{name}.json").read_bytes())
    except (OSError, ValueError):
        return None
    return data.get("value") if isinstance(data, dict) and data.get("key") == key else None


def kept_key(ctx: KgContext) -> str | None:
    """What the kept values are valid for; None when they may not be kept."""
    loaded_graph = getattr(ctx.store, "loaded_graph", None)
    if loaded_graph is None or loaded_graph() is None:
        return None
    text = json.dumps([__version__, ctx.store.version, ctx.minter.base])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_name(text: str) -> str:
    """A short name for a file kept per IRI."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def write_kept(data_dir: Path, name: str, key: str, value: Any) -> None:
    """Keep `value` (JSON data) as `name` under `key`, written whole or not at all."""
    path = data_dir / KEPT_FOLDER / f"{name}.json"
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        path.parent.mkdir(exist_ok=True)
        temporary.write_text(json.dumps({"key": key, "value": value}, separators=(",", ":")), encoding="utf-8")
        os.replace(temporary, path)
    except OSError as error:
        log.warning("could not keep %s for the next start: %s", path, error)
        temporary.unlink(missing_ok=True)
