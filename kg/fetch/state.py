"""What the fetcher knows between runs, so that a run resumes where a crash stopped it and a
re-run asks only for what may have changed.

A journal, `state.jsonl`: one JSON line per number checked, appended and synced as soon as the
number's pages are on disk, and a line when a run starts and when it ends. Reading folds the
lines (the last word on a number wins) and ignores a torn last line, so a crash at any point
leaves a state that is whole. A finished run rewrites the journal as one line per number,
through a temporary file renamed over it.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kg.fetch.archive import atomic_write


@dataclass
class PageState:
    url: str
    sha256: str  # of the page as written
    fetched: str  # ISO time of the last answer from the server (200 or 304)
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class NumberState:
    legislature: int
    number: int
    kind: str  # kg.fetch.pages.Kind value
    checked: str  # ISO time of the last check
    run: str  # the run that checked it
    reason: str = ""
    sent: str | None = None  # ISO date the question was sent, when known
    final: bool = False  # answered, closed or lapsed, and every page fetched
    pages: dict[str, PageState] = field(default_factory=dict)  # file name -> page

    @property
    def checked_at(self) -> datetime:
        return datetime.fromisoformat(self.checked)

    @property
    def sent_on(self) -> date | None:
        return date.fromisoformat(self.sent) if self.sent else None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> NumberState:
        pages = {name: PageState(**page) for name, page in data.get("pages", {}).items()}
        return cls(**{**{k: v for k, v in data.items() if k not in ("type", "pages")}, "pages": pages})

    def to_json(self) -> dict[str, Any]:
        return {"type": "number", **asdict(self)}


@dataclass
class RunState:
    id: str
    started: str
    finished: str | None = None


class State:
    """The journal of one output folder."""

    def __init__(self, path: Path):
        self.path = path
        self.numbers: dict[tuple[int, int], NumberState] = {}
        self.runs: list[RunState] = []
        if path.exists():
            self._load()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = open(path, "ab")

    def _load(self) -> None:
        data = self.path.read_bytes()
        end = data.rfind(b"\n") + 1
        if end != len(data):  # a torn last line: cut it, so the next append starts a line
            with open(self.path, "r+b") as handle:
                handle.truncate(end)
        for line in data[:end].split(b"\n"):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                kind = entry.get("type")
                if kind == "number":
                    number = NumberState.from_json(entry)
                    self.numbers[(number.legislature, number.number)] = number
                elif kind == "run":
                    self.runs.append(RunState(entry["id"], entry["started"], entry.get("finished")))
                elif kind == "run-finished":
                    for run in self.runs:
                        if run.id == entry["id"]:
                            run.finished = entry["finished"]
            except (ValueError, KeyError, TypeError):
                continue  # a line this version cannot read is not a reason to lose the others

    def unfinished_run(self) -> RunState | None:
        """The last run, when it did not end (a crash, a kill, an interrupt)."""
        return self.runs[-1] if self.runs and self.runs[-1].finished is None else None

    def _append(self, entry: dict[str, Any]) -> None:
        self._handle.write(json.dumps(entry, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def start_run(self, run_id: str, started: str) -> None:
        self.runs.append(RunState(run_id, started))
        self._append({"type": "run", "id": run_id, "started": started})

    def record(self, number: NumberState) -> None:
        self.numbers[(number.legislature, number.number)] = number
        self._append(number.to_json())

    def finish_run(self, run_id: str, finished: str) -> None:
        """Mark the run finished and rewrite the journal compactly (atomically)."""
        for run in self.runs:
            if run.id == run_id:
                run.finished = finished
        self._handle.close()
        lines = [
            json.dumps({"type": "run", "id": run.id, "started": run.started}, sort_keys=True) for run in self.runs[-20:]
        ]
        lines += [
            json.dumps({"type": "run-finished", "id": run.id, "finished": run.finished}, sort_keys=True)
            for run in self.runs[-20:]
            if run.finished
        ]
        lines += [
            json.dumps(self.numbers[key].to_json(), ensure_ascii=False, sort_keys=True) for key in sorted(self.numbers)
        ]
        atomic_write(self.path, ("\n".join(lines) + "\n").encode("utf-8"))
        self._handle = open(self.path, "ab")

    def close(self) -> None:
        self._handle.close()
