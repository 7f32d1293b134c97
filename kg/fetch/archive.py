"""What was fetched, kept: WARC files of every request and response, a manifest line per
response, and the pages, each written so that a crash leaves no half of anything.

- WARC (ISO 28500) through warcio, one gzip member per record, so the archive can be handed to
  others and read by any WARC tool. The file being written is named `*.warc.gz.open`; each
  record is flushed to disk before the fetcher goes on. At the next start an `.open` file left by
  a crash is cut back to its last complete record and renamed `*.warc.gz`.
- `manifest.jsonl`: one JSON line per response (URL, status, headers, time, SHA-256 of the body,
  the WARC file and offset, the page written); a torn last line is cut at the next start.
- Pages: written to a temporary name beside the final one and renamed over it.
"""

from __future__ import annotations

import io
import json
import os
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

WARC_SUFFIX = ".warc.gz"
OPEN_SUFFIX = ".open"


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder, synced and renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def complete_length(path: Path) -> int:
    """Bytes of `path` that hold whole gzip members, each a WARC record; what follows is torn."""
    good = position = 0
    inflater = zlib.decompressobj(31)
    head = b""
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            data = chunk
            while data:
                try:
                    out = inflater.decompress(data)
                except zlib.error:
                    return good
                if len(head) < 5:
                    head += out[:5]
                if not inflater.eof:
                    position += len(data)
                    break
                position += len(data) - len(inflater.unused_data)
                if not head.startswith(b"WARC/"):
                    return good
                good = position
                data = inflater.unused_data
                inflater = zlib.decompressobj(31)
                head = b""
    return good


def repair_open_archives(folder: Path) -> list[tuple[str, int]]:
    """Close what a crash left open: cut each `.open` WARC to its whole records and rename it.
    Returns (file name, bytes cut) for each."""
    repaired = []
    for path in sorted(folder.glob(f"*{WARC_SUFFIX}{OPEN_SUFFIX}")):
        keep = complete_length(path)
        cut = path.stat().st_size - keep
        with open(path, "r+b") as handle:
            handle.truncate(keep)
            os.fsync(handle.fileno())
        final = path.with_name(path.name[: -len(OPEN_SUFFIX)])
        if keep:
            os.replace(path, final)
        else:
            path.unlink()
        repaired.append((final.name, cut))
    return repaired


@dataclass(frozen=True)
class Exchange:
    """One request and the response to it, as sent and received."""

    url: str
    method: str
    request_headers: list[tuple[str, str]]
    status: int
    reason: str
    http_version: str
    headers: list[tuple[str, str]]  # as received
    body: bytes  # as received (no content decoding was asked for)
    time: datetime  # when the response arrived (UTC)


class WarcArchive:
    """Appends request and response records to one WARC file for this run."""

    def __init__(self, folder: Path, software: str, started: datetime):
        from warcio.warcwriter import WARCWriter

        folder.mkdir(parents=True, exist_ok=True)
        self.repaired = repair_open_archives(folder)
        stamp = started.strftime("%Y%m%dT%H%M%SZ")
        index = 1 + sum(1 for _ in folder.glob(f"kg-fetch-{stamp}-*{WARC_SUFFIX}*"))
        self.name = f"kg-fetch-{stamp}-{index:03d}{WARC_SUFFIX}"
        self._path = folder / (self.name + OPEN_SUFFIX)
        self._handle = open(self._path, "ab")
        self._writer = WARCWriter(self._handle, gzip=True, warc_version="1.1")
        info = self._writer.create_warcinfo_record(self.name, {"software": software, "format": "WARC File Format 1.1"})
        self._write(info)

    def _write(self, record: Any) -> int:
        offset = self._handle.tell()
        self._writer.write_record(record)
        self._handle.flush()
        os.fsync(self._handle.fileno())
        return offset

    def add(self, exchange: Exchange) -> int:
        """Write the request and response records; return the response record's offset."""
        from warcio.statusandheaders import StatusAndHeaders

        date = exchange.time.strftime("%Y-%m-%dT%H:%M:%SZ")
        target = _request_target(exchange.url)
        request_http = StatusAndHeaders(
            f"{exchange.method} {target} HTTP/1.1", exchange.request_headers, is_http_request=True
        )
        request = self._writer.create_warc_record(
            exchange.url,
            "request",
            payload=io.BytesIO(b""),
            length=0,
            http_headers=request_http,
            warc_headers_dict={"WARC-Date": date},
        )
        # The body is kept after transfer decoding: its framing header would mislead a reader.
        headers = [(k, v) for k, v in exchange.headers if k.lower() != "transfer-encoding"]
        response_http = StatusAndHeaders(
            f"{exchange.status} {exchange.reason}".strip(), headers, protocol=exchange.http_version
        )
        response = self._writer.create_warc_record(
            exchange.url,
            "response",
            payload=io.BytesIO(exchange.body),
            length=len(exchange.body),
            http_headers=response_http,
            warc_headers_dict={"WARC-Date": date},
        )
        request.rec_headers.add_header("WARC-Concurrent-To", response.rec_headers.get_header("WARC-Record-ID"))
        self._write(request)
        return self._write(response)

    def close(self) -> None:
        """Finish the file: rename it without `.open` (an empty run leaves only its warcinfo)."""
        self._handle.close()
        os.replace(self._path, self._path.with_name(self.name))


def _request_target(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


class Manifest:
    """`manifest.jsonl`: one line per response, appended and synced."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            data = path.read_bytes()
            end = data.rfind(b"\n") + 1
            if end != len(data):
                with open(path, "r+b") as handle:
                    handle.truncate(end)
        self._handle = open(path, "ab")

    def add(self, entry: dict[str, Any]) -> None:
        self._handle.write(json.dumps(entry, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def close(self) -> None:
        self._handle.close()


def read_manifest(path: Path) -> list[dict[str, Any]]:
    """Every whole line of a manifest."""
    if not path.exists():
        return []
    entries = []
    for line in path.read_bytes().split(b"\n"):
        if line.strip():
            try:
                entries.append(json.loads(line))
            except ValueError:
                continue
    return entries
