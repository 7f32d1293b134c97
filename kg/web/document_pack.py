"""Resource documents written ahead (`kg serve --prepare-documents`): every resource's Turtle and
N-Triples document and its HTML page, made while the server answers (before it listens with
`--prepare-first`) and served from disk.

A crawler asks for each document once, so the cache of rendered documents never helps it, and
making a document costs milliseconds of Python. Written ahead, a document costs what a cached
one does: a read and a decompression. The pack holds the first page of the document of every
resource that is not a part of another (questions, people, offices, agencies, sources...: the
typed resources under `{base}id/` that no other one's IRI is a prefix of), made by the same code
as on request, in worker processes on every core. Pages are written in the languages the operator
chose (`--prepare-languages`; by default the one a client naming none gets, as crawlers do), as
the suffix-less `/doc/...` answers them without a query string. Parts, other pages, other formats
and other languages are made on request as before.

The pack lives in `DATA/kept/` beside the kept counts, under the same key (the loaded files'
SHA-256, the base, kg's version) and the graph file's time (which documents state): it is used
only while the store holds exactly what it was made from. An update through the token, another
build, or a remote store: documents are made on request, and the next start with
`--prepare-documents` writes a new pack. A start that finds a pack for its store reads only its
index. Files are written under temporary names and renamed, the index last.
"""

from __future__ import annotations

import fcntl
import logging
import os
import signal
import threading
import time
import zlib
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from isal import isal_zlib
from pyoxigraph import NamedNode, Variable

from kg.machine import memory_available
from kg.stores.embedded import process_alive
from kg.web import rdf_formats
from kg.web.context import KgContext, StopFlag
from kg.web.kept import KEPT_FOLDER, kept_key, read_kept, write_kept
from kg.web.rdf_formats import Format
from kg.web.settings import Settings
from kg.web.workers import die_with_parent

log = logging.getLogger(__name__)

INDEX = "documents"  # the index, kept as `kept/documents.json` (`kg.web.kept`)
PACK = "documents.pack"
LOCK = ".documents.lock"  # held by the process writing the pack
PACKED = ("ttl", "nt")  # the RDF formats written ahead: what crawlers of linked data ask for
BATCH = 50  # documents a worker makes per task (a stop waits for the tasks under way)
GZIP = 31  # zlib's wbits for the gzip format: bodies are kept as a gzip-encoded answer sends them
LEVEL = 1  # fast to write; a tenth of a millisecond to decode for a client that does not take gzip
FORMAT = "gzip-1"  # how the pack is written: a pack written otherwise is written again
HTML = "html"
ROOT_DEPTH = 4  # segments after `id/` of the deepest resource written ahead (`dataset/answer-times/party/days`)
READ_AHEAD_CHUNK = 16 * 1024 * 1024
READ_AHEAD_SHARE = 0.5  # of the memory available: a larger pack is read as documents are asked
SAMPLE = 50  # instances of a class looked at to tell whether it has resources to write ahead
_ISAL_ERROR: type[Exception] = isal_zlib.error  # type: ignore[assignment]  # the stubs call the class an instance
_SAMPLE = f"SELECT ?s ?class WHERE {{ ?s a ?class }} LIMIT {SAMPLE}"
_INSTANCES = "SELECT ?s ?class WHERE { ?s a ?class }"


@dataclass(frozen=True)
class Variant:
    """One answer written ahead for each resource: a format and, for an HTML page, the reader's
    language ("" for RDF, which has none)."""

    extension: str
    language: str = ""

    def __str__(self) -> str:
        return f"{self.extension}-{self.language}" if self.language else self.extension


def variants(settings: Settings) -> tuple[Variant, ...]:
    """What is written ahead of each resource, in the pack's order."""
    return tuple(Variant(name) for name in PACKED) + tuple(Variant(HTML, code) for code in settings.prepared_languages)


def variant_of(fmt: Format, language: str) -> Variant:
    """The variant an answer in `fmt` to a reader of `language` is."""
    return Variant(fmt.extension, language if fmt.rdf is None else "")


@dataclass(frozen=True)
class DocumentPack:
    """An open pack: stem -> offset and size of each variant's compressed body."""

    key: str
    index: dict[str, list[int]]
    fd: int  # the pack file, read with pread (any thread)
    variants: tuple[Variant, ...]

    def gzipped(self, stem: str, variant: Variant) -> bytes | None:
        """The gzip-encoded body of `stem`'s `variant`, or None when not packed."""
        entry = self.index.get(stem)
        if entry is None or variant not in self.variants:
            return None
        at = 2 * self.variants.index(variant)
        return os.pread(self.fd, entry[at + 1], entry[at])

    def __del__(self) -> None:  # a pack of an older store version, dropped
        try:
            os.close(self.fd)
        except OSError:
            pass

    def __len__(self) -> int:
        return len(self.index)


def pack_key(ctx: KgContext) -> str | None:
    """What a pack is valid for; None when no pack may be used (see the module's docstring)."""
    from kg.web.resources import last_modified

    key = kept_key(ctx)
    modified = last_modified(ctx)
    if key is None or modified is None:
        return None
    written = ",".join(str(variant) for variant in variants(ctx.settings))
    return f"{key}|{modified.isoformat()}|{FORMAT}|{written}"


def open_pack(ctx: KgContext) -> DocumentPack | None:
    """The pack for exactly what the store holds, or None."""
    key = pack_key(ctx)
    if key is None:
        return None
    index = read_kept(ctx.data_dir, INDEX, key)
    if not isinstance(index, dict):
        return None
    try:
        return DocumentPack(key, index, os.open(ctx.data_dir / KEPT_FOLDER / PACK, os.O_RDONLY), variants(ctx.settings))
    except OSError:
        return None


def packed_body(ctx: KgContext, stem: str, fmt: Format, *, gzipped: bool, language: str = "") -> bytes | None:
    """The document of `stem` (first page, format `fmt`; a page in `language`) from the pack,
    when there is one: gzip-encoded as it is kept when `gzipped` (the client takes gzip), else
    decoded."""
    pack = ctx.derived("document-pack", open_pack)
    if pack is None:
        return None
    try:
        body = pack.gzipped(stem, variant_of(fmt, language))
        return body if body is None or gzipped else isal_zlib.decompress(body, wbits=GZIP)  # twice zlib's speed
    except (OSError, zlib.error, _ISAL_ERROR) as error:  # a pack damaged under the server: made on request
        log.warning("%s: cannot be read from the written documents (%s)", stem, error)
        return None


def warm(ctx: KgContext) -> None:
    """Open the pack written for this store, if any, before the server listens: its index (a
    megabyte at 10,000 questions, ten at 100,000) is read now rather than by a crawler's first
    request."""
    try:
        pack = ctx.derived("document-pack", open_pack)
    except Exception:  # a store that does not answer yet: documents are made on request
        log.exception("could not open the documents written ahead")
        return
    if pack is not None:
        log.info("resource documents: %d written ahead, served from %s", len(pack), ctx.data_dir / KEPT_FOLDER / PACK)


def read_ahead(ctx: KgContext, available: int | None = None) -> int:
    """Read the pack once, so the kernel holds it in memory: a crawler's first request for each
    document then waits for no disk (read cold, at 100,000 questions, a document cost twice the
    CPU, and the process answered nothing else meanwhile). About 6 s for the 4.5 GB of 100,000
    questions with pages. Skipped when the pack is over half the memory `available` (default:
    the system's MemAvailable), where it would push the store out instead. The bytes read."""
    pack = ctx.derived("document-pack", open_pack)
    if pack is None:
        return 0
    size = os.fstat(pack.fd).st_size
    available = memory_available() if available is None else available
    if available is not None and size > available * READ_AHEAD_SHARE:
        log.info("documents written ahead: %.1f GB, over half the memory available, read as asked", size / 1e9)
        return 0
    started = time.monotonic()
    chunk = memoryview(bytearray(READ_AHEAD_CHUNK))
    done = 0
    while done < size and not ctx.stopping.is_set():
        read = os.preadv(pack.fd, [chunk], done)
        if read <= 0:
            break
        done += read
    log.info("documents written ahead: %.1f GB read into memory in %.1f s", done / 1e9, time.monotonic() - started)
    return done


def is_packed(ctx: KgContext, stem: str) -> bool:
    """Whether `{base}id/{stem}` has a document written ahead (then it is surely described)."""
    pack = ctx.derived("document-pack", open_pack)
    return pack is not None and stem in pack.index


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether an Accept-Encoding header takes gzip (RFC 9110, 12.5.3; `*` included)."""
    for item in (accept_encoding or "").split(","):
        coding, _, parameters = item.partition(";")
        if coding.strip().lower() in ("gzip", "x-gzip", "*"):
            quality = parameters.strip().lower()
            if not quality.startswith("q="):
                return True
            try:
                return float(quality[2:]) > 0
            except ValueError:
                return False
    return False


def prepare(ctx: KgContext, processes: int | None = None) -> DocumentPack | None:
    """Write the pack for what the store holds, unless there is one; the open pack, or None
    when none may be written (then documents are made on request, as without a pack). One
    process of the server writes it: the others wait for it (a lock in DATA/kept/), then read it."""
    folder = ctx.data_dir / KEPT_FOLDER
    try:
        folder.mkdir(exist_ok=True)
        lock = open(folder / LOCK, "a+b")  # noqa: SIM115  (closed below, which releases it)
    except OSError as error:  # a folder kg may not write: a pack written elsewhere is still read
        log.warning("could not write the documents ahead in %s: %s", folder, error)
        return None
    try:
        with lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when closed, or when this process ends
            return _prepare(ctx, processes)
    except Exception:  # a failure must not stop the server: its documents are made on request
        if ctx.stopping.is_set():  # the workers were stopped with the server (a signal to the group)
            log.info("stopped before the documents were all written ahead; none kept")
        else:
            log.exception("could not write the documents ahead; they are made on request")
        return None


def prepare_meanwhile(ctx: KgContext) -> threading.Thread | None:
    """Write the pack in the background while the server answers, documents being made on
    request meanwhile, and serve from it once written: a server started after a build listens at
    once, not after the writing (an hour at 100,000 questions with pages). None when the pack
    is there already."""
    if ctx.derived("document-pack", open_pack) is not None:
        return None

    def write() -> None:
        if prepare(ctx) is not None and not ctx.stopping.is_set():
            pack = ctx.refresh("document-pack", open_pack)
            if pack is not None:
                log.info("resource documents: %d written ahead, served from them from now on", len(pack))

    log.info("writing the documents ahead while serving; made on request until then")
    thread = threading.Thread(target=write, daemon=True, name="kg-documents-ahead")
    thread.start()
    return thread


def _prepare(ctx: KgContext, processes: int | None) -> DocumentPack | None:
    key = pack_key(ctx)
    if key is None:
        log.warning("documents are not written ahead: the store does not hold exactly a build's files")
        return None
    found = open_pack(ctx)
    if found is not None:
        log.info("written documents: %d, read from %s", len(found), ctx.data_dir / KEPT_FOLDER / PACK)
        return found
    if ctx.stopping.is_set():  # stopped while another process wrote them: nothing started
        return None
    started = time.monotonic()
    folder = ctx.data_dir / KEPT_FOLDER
    remove_stale(folder)
    log.info("listing the resources whose documents are written ahead ...")
    stems = resources(ctx)
    workers = max(1, min(processes or os.cpu_count() or 1, len(stems) // BATCH + 1))
    log.info("writing %d documents ahead with %d processes ...", len(stems), workers)
    temporary = folder / f".{PACK}.{os.getpid()}.tmp"
    try:
        folder.mkdir(exist_ok=True)
        index = _write_pack(ctx.settings, stems, temporary, workers, started, ctx.stopping)
        if index is None:
            log.info("stopped before the documents were all written ahead; none kept")
            return None
        os.replace(temporary, folder / PACK)
    except OSError as error:
        log.warning("could not write the documents ahead in %s: %s", folder, error)
        return None
    finally:
        temporary.unlink(missing_ok=True)
    write_kept(ctx.data_dir, INDEX, key, index)  # the index last: a pack without one is not used
    log.info("wrote %d documents ahead in %.1f s", len(index), time.monotonic() - started)
    return open_pack(ctx)


def resources(ctx: KgContext) -> list[str]:
    """The stems (`{base}id/{stem}`) of the typed resources that are no other one's part. Read
    per class: those of a class whose first SAMPLE instances include one of at most ROOT_DEPTH
    segments (the classes of parts, a million paragraphs and spans, are not read whole); any
    resource left out is made on request."""
    from kg.web.pages import class_counts  # what the home page counts, kept from start to start

    prefix = ctx.minter.base + "id/"

    def stems(rows: Iterable[Any]) -> Iterator[str]:
        for row in rows:
            iri = getattr(row[0], "value", "")
            if iri.startswith(prefix) and iri.count("/", len(prefix)) < ROOT_DEPTH:
                yield iri[len(prefix) :]

    typed: set[str] = set()
    for iri in sorted(class_counts(ctx)):
        bound = {Variable("class"): NamedNode(iri)}
        if any(stems(ctx.store.query(_SAMPLE, substitutions=bound))):
            typed.update(stems(ctx.store.query(_INSTANCES, substitutions=bound)))

    def is_part(stem: str) -> bool:
        at = stem.rfind("/")
        while at > 0:
            if stem[:at] in typed:
                return True
            at = stem.rfind("/", 0, at)
        return False

    return sorted(stem for stem in typed if not is_part(stem))


def remove_stale(folder: Path) -> list[Path]:
    """Remove the packs that servers killed while writing them left (`.documents.pack.PID.tmp`,
    gigabytes at scale); a live process's is its work in progress and stays."""
    removed = []
    for path in sorted(folder.glob(f".{PACK}.*.tmp")):
        pid = path.name[len(PACK) + 2 : -len(".tmp")]
        if pid.isdigit() and not process_alive(int(pid)):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _write_pack(
    settings: Settings, stems: list[str], path: Path, workers: int, started: float, stopping: StopFlag
) -> dict[str, list[int]] | None:
    """Worker processes make the documents, a batch of stems a task; this one writes them. None
    when `stopping` was set meanwhile (the batches under way are finished, the others dropped)."""
    written = variants(settings)
    batches = [(stems[i : i + BATCH], written) for i in range(0, len(stems), BATCH)]
    index: dict[str, list[int]] = {}
    offset = 0
    context = get_context("spawn")  # fresh processes: nothing of the server's open store inherited
    with open(path, "wb") as out, ProcessPoolExecutor(workers, context, _start_worker, (settings,)) as pool:
        # In the order submitted, not as completed: the same build gives the same pack, byte for byte.
        for done, future in enumerate([pool.submit(_make, *batch) for batch in batches], 1):
            if stopping.is_set():
                pool.shutdown(wait=True, cancel_futures=True)
                return None
            for stem, bodies in future.result():
                entry = []
                for body in bodies:
                    out.write(body)
                    entry += [offset, len(body)]
                    offset += len(body)
                index[stem] = entry
            if done % max(1, len(batches) // 10) == 0 or done == len(batches):
                log.info(
                    "written ahead: %d of %d documents (%.0f s)", len(index), len(stems), time.monotonic() - started
                )
    return index


# -- in a worker process -----------------------------------------------------------------------

_worker: KgContext | None = None


def _start_worker(settings: Settings) -> None:
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the whole group: the server decides
    die_with_parent()  # not left writing for nobody when the server is killed
    _worker = KgContext.create(settings)


def _make(stems: list[str], written: tuple[Variant, ...]) -> list[tuple[str, list[bytes]]]:
    """The variants of each stem's first page, compressed; a stem with no document is left out
    (it is answered 404 on request as before)."""
    from kg.web.resources import describe_resource, page_html, rdf_document

    ctx = _worker
    assert ctx is not None
    pages = any(variant.extension == HTML for variant in written)  # which need the triples parsed
    made = []
    for stem in stems:
        description = describe_resource(ctx, stem, 1, parse=pages)
        if description is None or not description.found:
            continue
        bodies = [
            page_html(ctx, description, stem, variant.language)
            if variant.extension == HTML
            else rdf_document(ctx, description, rdf_formats.BY_NAME[variant.extension])
            for variant in written
        ]
        made.append((stem, [_gzip(body) for body in bodies]))
    return made


def _gzip(body: bytes) -> bytes:
    """`body` gzip-encoded, with no file name or time in its header: the same bytes every time."""
    encoder = zlib.compressobj(LEVEL, zlib.DEFLATED, GZIP)
    return encoder.compress(body) + encoder.flush()
