"""Front-end files kg serves itself under `/static/`: the npm libraries copied into
`kg/web/static/vendor/` by `python3 dev.py setup` (the query editor, the API explorer, the
accessibility checker the browser tests inject), and kg's own scripts that drive them.

Nothing comes from another origin: the pages' Content-Security-Policy allows only kg's own files.
Each URL carries a digest of its file (`?v=...`), so the files are cached for a year and a new
version is a new URL. The vendor files are optional: without them the pages keep their plain
forms, and `kg serve` says at start which are missing.

This module reads only the standard library: `dev.py` loads it by path, before kg is installed,
to know what to copy.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent / "static"
VENDOR_DIR = STATIC_DIR / "vendor"

# Served name under /static/vendor/ -> the file in node_modules/ it is copied from (package.json
# pins the versions, package-lock.json their checksums). Licences travel with the code.
VENDOR_FILES: dict[str, str] = {
    "yasgui/yasgui.min.js": "@zazuko/yasgui/build/yasgui.min.js",
    "yasgui/yasgui.min.css": "@zazuko/yasgui/build/yasgui.min.css",
    "yasgui/package.json": "@zazuko/yasgui/package.json",  # its licence (MIT) and version
    "swagger-ui/swagger-ui-bundle.js": "swagger-ui-dist/swagger-ui-bundle.js",
    "swagger-ui/swagger-ui.css": "swagger-ui-dist/swagger-ui.css",
    "swagger-ui/LICENSE": "swagger-ui-dist/LICENSE",
    "swagger-ui/NOTICE": "swagger-ui-dist/NOTICE",
    "axe-core/axe.min.js": "axe-core/axe.min.js",
    "axe-core/LICENSE": "axe-core/LICENSE",
}

# The two stylesheets YASGUI's results table (its column-resizer, @zazuko/yasr 4.6.2) writes into
# the page when it draws a table and when a column is dragged. The query page's policy allows
# these two texts by their SHA-256 and nothing else inline; a new version that writes other rules
# shows as a policy violation in tests/test_editor_browser.py.
EDITOR_STYLE_HASHES = (
    "sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk=",  # the resizer's grip rules
    "sha256-c0O6TmFAkgpNbHxKAa1BrveWHHopjEtC47i0PzMudxg=",  # "*{cursor:col-resize!important}" while dragging
)

# What each feature needs to switch itself on.
EDITOR_FILES = ("yasgui/yasgui.min.js", "yasgui/yasgui.min.css")
API_EXPLORER_FILES = ("swagger-ui/swagger-ui-bundle.js", "swagger-ui/swagger-ui.css")

# kg's own front-end files, next to kg.css.
OWN_FILES = ("editor.js", "editor.css", "api-explorer.js", "api-explorer.css")

MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    "": "text/plain; charset=utf-8",
}


def media_type(name: str) -> str:
    return MEDIA_TYPES.get(Path(name).suffix, MEDIA_TYPES[""])


@dataclass(frozen=True)
class Asset:
    path: Path
    url: str  # with the digest of the content, so it may be cached for good
    digest: str


class Assets:
    """The servable files and their versioned URLs, computed once per file version."""

    def __init__(self, static_dir: Path = STATIC_DIR):
        self.static_dir = static_dir
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[tuple[int, int], Asset]] = {}

    def get(self, name: str) -> Asset | None:
        """`name` is "vendor/..." for a vendored file or one of OWN_FILES; anything else is None."""
        if name.startswith("vendor/"):
            if name.removeprefix("vendor/") not in VENDOR_FILES:
                return None
        elif name not in OWN_FILES:
            return None
        path = self.static_dir / name
        try:
            stat = path.stat()
        except OSError:
            return None
        key = (stat.st_size, stat.st_mtime_ns)
        with self._lock:
            cached = self._cache.get(name)
            if cached and cached[0] == key:
                return cached[1]
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        asset = Asset(path, f"/static/{name}?v={digest}", digest)
        with self._lock:
            self._cache[name] = (key, asset)
        return asset

    def urls(self, names: tuple[str, ...], *, vendor: bool = True) -> dict[str, str] | None:
        """Versioned URLs of `names` (keyed by name), or None when any is missing."""
        found = {name: self.get(("vendor/" if vendor else "") + name) for name in names}
        if any(asset is None for asset in found.values()):
            return None
        return {name: asset.url for name, asset in found.items() if asset is not None}

    def missing_vendor_files(self) -> list[str]:
        return [name for name in VENDOR_FILES if not (self.static_dir / "vendor" / name).is_file()]


ASSETS = Assets()


def editor_urls() -> dict[str, str] | None:
    """The query editor's files (YASGUI and kg's editor script), or None: the page stays a form."""
    vendor = ASSETS.urls(EDITOR_FILES)
    own = ASSETS.urls(("editor.js", "editor.css"), vendor=False)
    return {**vendor, **own} if vendor and own else None


def api_explorer_urls() -> dict[str, str] | None:
    """Swagger UI's files and kg's script starting it, or None."""
    vendor = ASSETS.urls(API_EXPLORER_FILES)
    own = ASSETS.urls(("api-explorer.js", "api-explorer.css"), vendor=False)
    return {**vendor, **own} if vendor and own else None


def startup_note(assets: Assets = ASSETS) -> str | None:
    """A line for the log when vendored files are missing, saying what is lost and how to fix it."""
    missing = assets.missing_vendor_files()
    if not missing:
        return None
    return (
        f"front-end libraries missing from {assets.static_dir / 'vendor'} ({', '.join(missing)}): the query editor and the API "
        "explorer fall back to plain forms; run `python3 dev.py setup` (needs npm) to install them"
    )


def copy_vendor_files(node_modules: Path, target: Path = VENDOR_DIR) -> list[str]:
    """Copy VENDOR_FILES from `node_modules` into `target` (each written to a temporary file and
    renamed); returns the names it could not find."""
    absent = []
    for name, source in VENDOR_FILES.items():
        origin = node_modules / source
        if not origin.is_file():
            absent.append(name)
            continue
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        temporary = destination.with_name(destination.name + ".tmp")
        temporary.write_bytes(origin.read_bytes())
        temporary.replace(destination)
    return absent
