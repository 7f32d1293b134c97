"""`/dumps/`: the build's files for download, with the size and SHA-256 to check them, and HTTP
caching (ETag, Last-Modified, 304) so mirrors fetch them only when they change.

Only the files listed in DUMPS are ever served: a request names a dump, never a path.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

from kg.web.conneg import negotiate
from kg.web.context import KgContext
from kg.web.errors import NotAcceptable, NotFound
from kg.web.kept import read_kept, write_kept
from kg.web.pages import page_context


@dataclass(frozen=True)
class DumpKind:
    name: str
    media_type: str
    title: str
    compressed: bool  # already gzip: served as a download, never compressed again


DUMPS: tuple[DumpKind, ...] = (
    DumpKind("graph.nt.gz", "application/gzip", "The knowledge graph, sorted N-Triples, gzip-compressed", True),
    DumpKind("graph.ttl", "text/turtle", "The knowledge graph, Turtle", False),
    DumpKind("ontology.ttl", "text/turtle", "The kg vocabulary and its SHACL shapes, Turtle", False),
)
BY_NAME = {kind.name: kind for kind in DUMPS}


@dataclass(frozen=True)
class Dump:
    kind: DumpKind
    path: Path
    size: int
    sha256: str
    modified: datetime  # whole seconds, UTC: what Last-Modified can say

    @property
    def name(self) -> str:
        return self.kind.name

    @property
    def etag(self) -> str:
        # Text dumps may go out gzip-encoded, so their validator is weak (same content, any coding).
        return f'"{self.sha256}"' if self.kind.compressed else f'W/"{self.sha256}"'

    def url(self, base: str) -> str:
        return f"{base}dumps/{self.name}"


class DumpIndex:
    """The dumps in a data directory; checksums are computed once per file version, and kept in
    the data folder for the next start (`kg.web.kept`)."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[tuple[int, int], Dump]] = {}

    def get(self, name: str) -> Dump | None:
        kind = BY_NAME.get(name)
        if kind is None:
            return None
        path = self.data_dir / kind.name
        try:
            stat = path.stat()
        except OSError:
            return None
        key = (stat.st_size, stat.st_mtime_ns)
        with self._lock:
            cached = self._cache.get(name)
            if cached and cached[0] == key:
                return cached[1]
        # Kept for the next start: the same file (size, time and inode: a build writes a new
        # one, a copy is another) is not read again (seven gigabytes at 100,000 questions).
        version = f"{kind.name}|{stat.st_size}|{stat.st_mtime_ns}|{stat.st_ino}"
        digest = read_kept(self.data_dir, "dump-" + kind.name, version)
        if not isinstance(digest, str):
            with path.open("rb") as handle:
                digest = hashlib.file_digest(handle, "sha256").hexdigest()
            write_kept(self.data_dir, "dump-" + kind.name, version, digest)
        modified = datetime.fromtimestamp(int(stat.st_mtime), tz=UTC)
        dump = Dump(kind, path, stat.st_size, digest, modified)
        with self._lock:
            self._cache[name] = (key, dump)
        return dump

    def all(self) -> list[Dump]:
        return [dump for kind in DUMPS if (dump := self.get(kind.name)) is not None]


def index_of(ctx: KgContext) -> DumpIndex:
    return ctx.derived("dumps", lambda c: DumpIndex(c.data_dir))


router = APIRouter()


def _ctx(request: Request) -> KgContext:
    return request.app.state.kg


def listing_json(ctx: KgContext, dumps: list[Dump]) -> dict[str, object]:
    return {
        "dataset": ctx.dataset_uri,
        "license": ctx.settings.license,
        "dumps": [
            {
                "name": d.name,
                "url": d.url(ctx.minter.base),
                "media_type": d.kind.media_type,
                "title": d.kind.title,
                "size": d.size,
                "sha256": d.sha256,
                "modified": d.modified.isoformat(),
            }
            for d in dumps
        ],
    }


@router.api_route("/dumps", methods=["GET", "HEAD"], include_in_schema=False)
@router.api_route("/dumps/", methods=["GET", "HEAD"], include_in_schema=False)
async def listing(request: Request) -> Response:
    ctx = _ctx(request)
    dumps = index_of(ctx).all()
    wanted = request.query_params.get("format")
    offered = ["text/html", "application/json"]
    if wanted:
        media = {"html": "text/html", "json": "application/json"}.get(wanted.strip().lower())
    else:
        media = negotiate(request.headers.get("accept"), offered)
    headers = {
        "Vary": "Accept, Accept-Language",
        "Link": '</dumps/?format=json>; rel="alternate"; type="application/json"',
    }
    if media == "application/json":
        return JSONResponse(listing_json(ctx, dumps), headers=headers)
    if media == "text/html":
        values = page_context(request)
        page = ctx.templates.get_template("dumps.html").render(dumps=dumps, license=ctx.settings.license, **values)
        headers["Vary"] = "Accept, Accept-Language"
        return HTMLResponse(page, headers={**headers, "Content-Language": str(values["lang"])})
    raise NotAcceptable("the dump listing is available as:", details=offered)


@router.api_route("/dumps/{name}", methods=["GET", "HEAD"], include_in_schema=False)
async def download(name: str, request: Request) -> Response:
    ctx = _ctx(request)
    dump = index_of(ctx).get(name)
    if dump is None:
        raise NotFound(f"no dump named {name!r}; the dumps are: " + ", ".join(BY_NAME))
    headers = {
        "ETag": dump.etag,
        "Last-Modified": format_datetime(dump.modified, usegmt=True),
        "Cache-Control": ctx.settings.cache_control,
    }
    if not_modified(request, dump):
        return Response(status_code=304, headers=headers)
    if dump.kind.compressed:
        headers["Content-Disposition"] = f'attachment; filename="{dump.name}"'
    media_type = dump.kind.media_type + ("" if dump.kind.compressed else "; charset=utf-8")
    return FileResponse(dump.path, media_type=media_type, headers=headers)


def not_modified(request: Request, dump: Dump) -> bool:
    """RFC 9110 conditional GET: If-None-Match (weak comparison) wins over If-Modified-Since."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or f'"{dump.sha256}"' in tags
    if_modified_since = request.headers.get("if-modified-since")
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError, IndexError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return dump.modified <= since
    return False
