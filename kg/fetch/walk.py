"""The run: walk a legislature's numbers, fetch each number's pages, keep what came back.

For each number, in order: decide whether it needs asking at all (`plan`), fetch its pages (the
first one decides whether the number exists), write the pages that are questions, and journal
the outcome. The walk stops at `--to`, or after `stop_after` numbers in a row without a question.
"""

from __future__ import annotations

import hashlib
import sys
import time
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from random import Random
from typing import TextIO

from kg import __version__
from kg.fetch.addresses import LANGUAGES, Addresses, RenderingName, Target, targets
from kg.fetch.archive import Exchange, Manifest, WarcArchive, atomic_write
from kg.fetch.charset import decode_body
from kg.fetch.client import Client, Politeness, Result
from kg.fetch.markup import html_to_text, is_html
from kg.fetch.pages import Kind, Verdict, classify, question_facts
from kg.fetch.state import NumberState, PageState, State

STATE_DIR = "fetch"  # inside the output folder: manifest.jsonl, state.jsonl, warc/


@dataclass(frozen=True)
class FetchOptions:
    out: Path
    legislature: int
    contact: str  # how the site's operator reaches whoever runs the fetch (e-mail or URL)
    start: int = 1
    end: int | None = None
    langs: tuple[str, ...] = LANGUAGES
    renderings: tuple[RenderingName, ...] = ("web",)
    addresses: Addresses = field(default_factory=Addresses)
    stop_after: int = 50  # numbers in a row without a question end the walk (0: never)
    since: date | None = None  # known questions sent before this are not asked again
    max_age: timedelta = timedelta(days=30)  # answered and closed questions checked again after this
    missing_phrases: tuple[str, ...] = ()
    politeness: Politeness = field(default_factory=Politeness)
    seed: int | None = None  # of the backoff jitter


def user_agent(contact: str) -> str:
    return f"kg-fetch/{__version__} (+{contact})"


@dataclass
class FetchReport:
    fetched: int = 0  # pages written (new or changed)
    unchanged: int = 0  # pages the server said were unchanged (304) or came back the same
    up_to_date: int = 0  # numbers not asked for (known, final or recently checked)
    questions: int = 0
    missing: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (reference or URL, reason)
    requests: int = 0
    numbers: int = 0
    seconds: float = 0.0
    stopped: str = ""
    notes: list[str] = field(default_factory=list)
    charsets: dict[str, list[str]] = field(default_factory=dict)  # a charset label the bytes belie -> URLs

    def charset_notes(self) -> list[str]:
        return [f"{len(urls)} page(s) {note} (first: {urls[0]})" for note, urls in sorted(self.charsets.items())]

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        lines = [
            f"{self.numbers} numbers: {self.questions} questions, {self.missing} missing, "
            f"{len(self.failed)} failed; pages {self.fetched} fetched, {self.unchanged} unchanged; "
            f"{self.up_to_date} numbers up to date (not asked); {self.requests} requests in "
            f"{self.seconds:.1f} s; {self.stopped}"
        ]
        lines += [f"  failed {where}: {why}" for where, why in self.failed]
        return "\n".join(lines)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def plan(
    known: NumberState | None, options: FetchOptions, now: datetime, resumed: str | None, highest_question: int
) -> str:
    """ "fetch" (unknown or worth asking again), "revisit" (ask with the validators we hold) or
    "skip" (what we have is as good as asking): done in the run being resumed; a known question
    sent before --since; an answered or closed question checked within --max-age; a gap in the
    numbers (missing, with questions after it) checked within --max-age."""
    if known is None:
        return "fetch"
    if resumed is not None and known.run == resumed and known.kind in (Kind.QUESTION.value, Kind.MISSING.value):
        return "skip"
    fresh = now - known.checked_at < options.max_age
    if known.kind == Kind.QUESTION.value:
        if options.since is not None and known.sent_on is not None and known.sent_on < options.since:
            return "skip"
        return "skip" if known.final and fresh else "revisit"
    if known.kind == Kind.MISSING.value and known.number < highest_question and fresh:
        return "skip"
    return "fetch"


class _Progress:
    def __init__(self, options: FetchOptions, stream: TextIO | None, every: float = 2.0):
        self.options = options
        self.stream = stream
        self.every = every
        self.started = time.monotonic()
        self.last = 0.0

    def update(self, number: int, report: FetchReport, force: bool = False) -> None:
        if self.stream is None:
            return
        now = time.monotonic()
        if not force and now - self.last < self.every:
            return
        self.last = now
        elapsed = now - self.started
        rate = report.numbers / elapsed if elapsed > 0 else 0.0
        left = ""
        if self.options.end is not None and rate > 0:
            seconds = int(max(0, self.options.end - number) / rate)
            left = f", {seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d} left"
        print(
            f"kg fetch: {self.options.legislature}-{number}: {report.numbers} numbers done "
            f"({report.questions} questions, {report.missing} missing, {len(report.failed)} failed), "
            f"{rate:.2f} numbers/s{left}",
            file=self.stream,
            flush=True,
        )


class _Run:
    def __init__(self, options: FetchOptions, report: FetchReport):
        self.options = options
        self.report = report
        self.folder = options.out / STATE_DIR
        self.started = _now()
        self.archive = WarcArchive(self.folder / "warc", f"kg-fetch {__version__}", self.started)
        for name, cut in self.archive.repaired:
            report.notes.append(f"closed {name} left open by an interrupted run ({cut} bytes of a torn record cut)")
        self.manifest = Manifest(self.folder / "manifest.jsonl")
        self.state = State(self.folder / "state.jsonl")
        rng = Random(options.seed) if options.seed is not None else Random()
        self.client = Client(options.politeness, user_agent(options.contact), "kg-fetch", self._record, rng=rng)

    def _record(self, exchange: Exchange) -> int:
        return self.archive.add(exchange)

    def close(self) -> None:
        self.client.close()
        self.archive.close()
        self.manifest.close()
        self.state.close()

    def _log(self, result: Result, target: Target, verdict: str, page: str | None) -> None:
        for exchange, offset in result.exchanges:
            self.manifest.add(
                {
                    "time": exchange.time.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                    "url": exchange.url,
                    "status": exchange.status,
                    "headers": [list(pair) for pair in exchange.headers],
                    "sha256": hashlib.sha256(exchange.body).hexdigest(),
                    "bytes": len(exchange.body),
                    "warc": self.archive.name,
                    "offset": offset,
                    "question": target.reference,
                    "verdict": verdict,
                    "page": page if exchange is result.exchanges[-1][0] else None,
                }
            )

    def fetch_page(self, target: Target, known: NumberState | None) -> tuple[Verdict, PageState | None, str]:
        """Fetch one page; write it when it is the question. Returns the verdict, the page's
        state and its text (empty when none)."""
        out = self.options.out / target.file_name
        url = self.options.addresses.url(target)
        previous = known.pages.get(target.file_name) if known else None
        conditional: dict[str, str] = {}
        if previous is not None and previous.url == url and out.exists():
            if previous.etag:
                conditional["If-None-Match"] = previous.etag
            if previous.last_modified:
                conditional["If-Modified-Since"] = previous.last_modified
        result = self.client.get(url, conditional)
        fetched = _now().isoformat()
        if result.error:
            self._log(result, target, Kind.FAILED.value, None)
            return Verdict(Kind.FAILED, f"{url}: {result.error}"), None, ""
        if result.status == 304 and previous is not None:
            self._log(result, target, "unchanged", target.file_name)
            self.report.unchanged += 1
            text = out.read_bytes().decode("utf-8", "replace")
            return (
                Verdict(Kind.QUESTION),
                PageState(url, previous.sha256, fetched, previous.etag, previous.last_modified),
                text,
            )
        try:
            body = result.content()
        except zlib.error as error:  # a body the server says is compressed but is not
            self._log(result, target, Kind.FAILED.value, None)
            return Verdict(Kind.FAILED, f"{url}: unreadable content encoding ({error})"), None, ""
        content_type = result.headers.get("content-type")
        decoded = decode_body(body, content_type)
        text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
        if is_html(content_type, body):
            text = html_to_text(text)
        verdict = classify(result.status, text, target, self.options.missing_phrases)
        if decoded.note:
            self.report.charsets.setdefault(decoded.note, []).append(url)
        if verdict.kind != Kind.QUESTION:
            self._log(result, target, verdict.kind.value, None)
            if verdict.kind != Kind.MISSING:
                verdict = Verdict(verdict.kind, f"{url}: {verdict.reason}")
            return verdict, None, ""
        data = text.encode("utf-8")
        sha256 = hashlib.sha256(data).hexdigest()
        if previous is not None and previous.sha256 == sha256 and out.exists():
            self.report.unchanged += 1
        else:
            atomic_write(out, data)
            self.report.fetched += 1
        self._log(result, target, Kind.QUESTION.value, target.file_name)
        return (
            Verdict(Kind.QUESTION),
            PageState(url, sha256, fetched, result.headers.get("etag"), result.headers.get("last-modified")),
            text,
        )

    def fetch_number(self, number: int, known: NumberState | None, run_id: str) -> NumberState:
        options = self.options
        state = NumberState(options.legislature, number, Kind.QUESTION.value, _now().isoformat(), run_id)
        final = True
        sent = None
        for index, target in enumerate(targets(options.legislature, number, options.langs, options.renderings)):
            verdict, page, text = self.fetch_page(target, known)
            if index == 0 and verdict.kind != Kind.QUESTION:
                state.kind, state.reason = verdict.kind.value, verdict.reason
                if verdict.kind == Kind.FAILED and known is not None:  # keep the validators for next time
                    state.pages, state.sent = dict(known.pages), known.sent
                return state
            if page is None:  # a later page failed: keep the one we had, ask again next run
                self.report.failed.append((target.file_name, verdict.reason or verdict.kind.value))
                old = known.pages.get(target.file_name) if known else None
                if old is not None:
                    state.pages[target.file_name] = old
                final = False
                continue
            state.pages[target.file_name] = page
            facts = question_facts(text, target.file_name)
            final = final and facts.final
            sent = sent or facts.sent
        state.final = final
        state.sent = sent.isoformat() if sent else None
        return state

    def walk(self, progress: _Progress) -> None:
        options, report, state = self.options, self.report, self.state
        resumed = state.unfinished_run()
        run_id = resumed.id if resumed else uuid.uuid4().hex[:12]
        if resumed:
            report.notes.append(f"resuming the run started {resumed.started}")
        else:
            state.start_run(run_id, self.started.isoformat())
        highest = max(
            (
                n
                for (leg, n), s in state.numbers.items()
                if leg == options.legislature and s.kind == Kind.QUESTION.value
            ),
            default=0,
        )
        streak = 0
        number = options.start
        report.stopped = "reached the end of the range"
        while options.end is None or number <= options.end:
            if options.stop_after and streak >= options.stop_after:
                report.stopped = (
                    f"stopped after {streak} numbers in a row without a question "
                    f"({options.legislature}-{number - streak} to {options.legislature}-{number - 1})"
                )
                break
            known = state.numbers.get((options.legislature, number))
            decision = plan(known, options, self.started, resumed.id if resumed else None, highest)
            if decision == "skip":
                assert known is not None
                outcome = known
                report.up_to_date += 1
            else:
                outcome = self.fetch_number(number, known, run_id)
                state.record(outcome)
                if outcome.kind in (Kind.FAILED.value, Kind.NOT_QUESTION.value):
                    report.failed.append((f"{options.legislature}-{number}", outcome.reason))
            report.numbers += 1
            if outcome.kind == Kind.QUESTION.value:
                report.questions += 1
                streak = 0
                highest = max(highest, number)
            else:
                report.missing += outcome.kind == Kind.MISSING.value
                streak += 1
            report.requests = self.client.requests
            progress.update(number, report)
            number += 1
        state.finish_run(run_id, _now().isoformat())


def _lock(descriptor: int, out: Path) -> None:
    """Hold the output folder for this run (released when the file closes, or the process dies)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks, one fetch at a time is on the user
        return
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise RuntimeError(f"another kg fetch is writing to {out}") from None


def fetch(options: FetchOptions, *, progress: TextIO | None = sys.stderr, progress_every: float = 2.0) -> FetchReport:
    """Walk `options.legislature`; see the module docstring. Raises OSError when the output
    folder cannot be written, and RuntimeError when another fetch holds it."""
    report = FetchReport()
    begun = time.monotonic()
    folder = options.out / STATE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "lock", "a+b") as lock:
        _lock(lock.fileno(), options.out)
        run = _Run(options, report)
        ticker = _Progress(options, progress, progress_every)
        try:
            run.walk(ticker)
        finally:
            report.requests = run.client.requests
            run.close()
        report.seconds = time.monotonic() - begun
        ticker.update(options.start + report.numbers - 1, report, force=True)
    return report


__all__ = ["FetchOptions", "FetchReport", "fetch", "plan", "user_agent"]
