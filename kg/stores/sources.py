"""The files a store is loaded from (`graph.nt.gz` or `graph.ttl`, and `ontology.ttl`), and the base
URI the build recorded beside them."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.stores.errors import StoreError

LAYOUT_VERSION = 1  # bump when the store layout changes, so old stores are reloaded


@dataclass(frozen=True)
class Sources:
    """The files a store is loaded from."""

    graph: Path
    ontology: Path | None

    @classmethod
    def find(cls, data_dir: Path) -> Sources:
        for name in ("graph.nt.gz", "graph.ttl"):
            if (data_dir / name).is_file():
                ontology = data_dir / "ontology.ttl"
                return cls(data_dir / name, ontology if ontology.is_file() else None)
        raise StoreError(f"{data_dir}: no graph.nt.gz or graph.ttl (run `kg build` first)")

    def fingerprint(self, ontology_graph: str) -> dict[str, Any]:
        files = {p.name: _sha256(p) for p in (self.graph, self.ontology) if p is not None}
        return {"layout": LAYOUT_VERSION, "files": files, "ontology_graph": ontology_graph, "stat": self.stat()}

    def stat(self) -> dict[str, list[int]]:
        """Size, mtime and inode of each file: when they match the recorded ones the files are
        the ones loaded, and opening skips hashing (hundreds of MB at scale)."""
        stats = {}
        for path in (self.graph, self.ontology):
            if path is not None:
                st = path.stat()
                stats[path.name] = [st.st_size, st.st_mtime_ns, st.st_ino]
        return stats


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def recorded_base(data_dir: Path) -> str | None:
    """The base URI `kg build` recorded in `data_dir/build.json`, if any."""
    try:
        info = json.loads((Path(data_dir) / "build.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(info, dict):
        return None
    for key in ("base", "base_uri", "base_iri"):
        value = info.get(key)
        if isinstance(value, str) and value:
            return value
    return None
