"""`kg fetch` against a real HTTP server on 127.0.0.1 in the Senate's layout (tests/senate_site.py):
each fault a real site shows has its test, the request rate is measured from the server's log,
a killed fetch resumes, and the fetched folder builds into the same graph as the pages served."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from senate_site import Fault, Site, site_documents, to_html

from kg.fetch import Addresses, FetchOptions, FetchReport, Politeness, fetch
from kg.fetch.addresses import RenderingName
from kg.fetch.state import State

CONTACT = "ops@example.org"
# Questions 4-351, 355, 356, 357, 358, 360, 361: gaps of 3 (352-354) and 1 (359).
QUESTIONS = (351, 355, 356, 357, 358, 360, 361)
RENDERINGS: tuple[RenderingName, ...] = ("web", "print", "bilingual")
FAST = Politeness(delay=0.0, timeout=5.0, retries=3, backoff=0.05, backoff_cap=1.0)


@pytest.fixture(scope="module")
def documents() -> dict[str, str]:
    found = site_documents(6)
    assert sorted({int(name.split("-")[1]) for name in found}) == list(QUESTIONS)
    return found


@pytest.fixture
def site(documents: dict[str, str]) -> Iterator[Site]:
    with Site(documents) as running:
        yield running


def options(site: Site, out: Path, **changes: object) -> FetchOptions:
    base = FetchOptions(
        out=out,
        legislature=4,
        contact=CONTACT,
        start=350,
        renderings=RENDERINGS,
        addresses=Addresses(site.base),
        stop_after=5,
        politeness=FAST,
        seed=0,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def run(site: Site, out: Path, **changes: object) -> FetchReport:
    return fetch(options(site, out, **changes), progress=None)


def pages(out: Path) -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in out.glob("*.txt")}


def manifest(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "fetch" / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]


def warc_responses(out: Path) -> list[tuple[str, bytes]]:
    from warcio.archiveiterator import ArchiveIterator

    found = []
    for path in sorted((out / "fetch" / "warc").glob("*.warc.gz")):
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type == "response":
                    found.append((record.rec_headers.get_header("WARC-Target-URI"), record.content_stream().read()))
    return found


def kg(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, timeout=timeout, cwd=cwd
    )


def gaps(hits: list) -> list[float]:
    return [b.time - a.time for a, b in zip(hits, hits[1:])]


# -- the whole way: kg fetch, then kg build ----------------------------------------------------


def test_kg_fetch_then_kg_build_gives_the_graph_of_the_pages_served(
    site: Site, documents: dict[str, str], tmp_path: Path
) -> None:
    fetched = tmp_path / "fetched"
    done = kg(
        "fetch",
        "--legislature",
        "4",
        "--from",
        "351",
        "--out",
        str(fetched),
        "--contact",
        CONTACT,
        "--rendering",
        "web,print,bilingual",
        "--base-url",
        site.base,
        "--delay",
        "0",
        "--stop-after",
        "5",
    )
    assert done.returncode == 0, done.stderr
    assert "7 questions, 9 missing, 0 failed; pages 35 fetched" in done.stdout
    assert "kg fetch: 4-" in done.stderr  # progress
    assert pages(fetched) == documents
    served = tmp_path / "served"
    site.write_documents(served)
    for folder in (fetched, served):  # built from inside, so that the documents' paths are alike
        built = kg("build", ".", "--out", str(tmp_path / f"out-{folder.name}"), "--quiet", cwd=folder)
        assert built.returncode == 0, built.stderr
        assert "converted 35, failed 0" in built.stdout
    for name in ("graph.ttl", "graph.nt.gz"):
        assert (tmp_path / "out-fetched" / name).read_bytes() == (tmp_path / "out-served" / name).read_bytes()


def test_every_response_is_kept_in_the_warc_and_the_manifest(site: Site, tmp_path: Path) -> None:
    report = run(site, tmp_path)
    responses = warc_responses(tmp_path)
    assert len(responses) == len(site.hits) == report.requests  # robots.txt included
    entries = manifest(tmp_path)
    assert len(entries) == len(site.hits) - 1  # every page request; robots.txt is in the WARC only
    by_url = dict(responses)
    for entry in entries:
        assert hashlib.sha256(by_url[entry["url"]]).hexdigest() == entry["sha256"]
        assert entry["status"] in (200, 404) and entry["time"].endswith("Z")
        assert any(name.lower() == "etag" for name, _ in entry["headers"]) == (entry["status"] == 200)
    written = {entry["page"] for entry in entries if entry["page"]}
    assert written == set(pages(tmp_path))


# -- gaps and missing numbers -----------------------------------------------------------------


def test_a_gap_shorter_than_stop_after_is_walked_over(site: Site, tmp_path: Path) -> None:
    report = run(site, tmp_path, stop_after=4)
    asked = site.numbers_asked()
    assert "4-361" in asked and max(int(n.split("-")[1]) for n in asked) == 365
    assert report.questions == 7 and "4-362 to 4-365" in report.stopped


def test_a_gap_as_long_as_stop_after_ends_the_walk(site: Site, tmp_path: Path) -> None:
    report = run(site, tmp_path, stop_after=3)
    assert "4-355" not in site.numbers_asked()
    assert report.questions == 1 and "4-352 to 4-354" in report.stopped


def test_the_empty_question_template_counts_as_missing(site: Site, tmp_path: Path) -> None:
    site.templates = {"4-352", "4-353", "4-354", "4-362"}
    report = run(site, tmp_path, stop_after=3)
    assert report.questions == 1 and report.missing == 4 and report.ok  # 350, then 352-354
    assert "4-352 to 4-354" in report.stopped and not list(tmp_path.glob("4-352*"))


def test_a_page_that_is_not_a_question_is_reported_and_never_written(site: Site, tmp_path: Path) -> None:
    wall = to_html("Aanmelden\n\nGebruikersnaam\nWachtwoord\n", "nl").encode()
    site.fault("4-358-nl.txt", Fault("body", data=wall, times=0))
    report = run(site, tmp_path)
    assert (
        not report.ok
        and (
            "4-358",
            f"{site.base}?MIval=/Vragen/SchriftelijkeVraag&LEG=4&NR=358&LANG=nl: "
            "no written-question heading (first line: 'Aanmelden')",
        )
        in report.failed
    )
    assert not list(tmp_path.glob("4-358*")) and report.questions == 6
    assert [e["verdict"] for e in manifest(tmp_path) if e["question"] == "4-358"] == ["not-a-question"]


# -- faults ------------------------------------------------------------------------------------


def test_503_and_429_with_retry_after_are_waited_for(site: Site, documents: dict[str, str], tmp_path: Path) -> None:
    site.fault("4-356-nl.txt", Fault("status", 503, {"Retry-After": "1"}))
    site.fault("4-357-nl.txt", Fault("status", 429, {"Retry-After": "1"}))
    report = run(site, tmp_path)
    for number in ("356", "357"):
        hits = site.hits_for(f"SchriftelijkeVraag&LEG=4&NR={number}&LANG=nl")
        assert [hit.status for hit in hits] == [503 if number == "356" else 429, 200]
        assert gaps(hits)[0] >= 0.98
        assert pages(tmp_path)[f"4-{number}-nl.txt"] == documents[f"4-{number}-nl.txt"]
    assert report.ok


def test_a_retry_after_beyond_the_cap_gives_the_page_up_for_this_run(site: Site, tmp_path: Path) -> None:
    site.fault("4-356-nl.txt", Fault("status", 503, {"Retry-After": "7200"}))
    report = run(site, tmp_path)
    assert len(site.hits_for("NR=356&LANG=nl")) == 1
    assert any("asked to come back in 7200 s" in why for _, why in report.failed)


def test_500s_back_off_with_growing_jittered_waits_then_give_up(site: Site, tmp_path: Path) -> None:
    site.fault("4-355-nl.txt", Fault("status", 500, times=0))
    report = run(site, tmp_path, politeness=replace(FAST, backoff=0.2, retries=3))
    hits = site.hits_for("SchriftelijkeVraag&LEG=4&NR=355&LANG=nl")
    assert [hit.status for hit in hits] == [500] * 4
    waits = gaps(hits)
    for attempt, wait in enumerate(waits, start=1):
        ceiling = 0.2 * 2 ** (attempt - 1)
        assert ceiling / 2 - 0.02 <= wait <= ceiling + 1.0, waits  # slack above for a loaded machine
    assert (
        "4-355",
        f"{site.base}?MIval=/Vragen/SchriftelijkeVraag&LEG=4&NR=355&LANG=nl: HTTP 500 (gave up after 4 attempts)",
    ) in report.failed
    assert not list(tmp_path.glob("4-355*")) and report.questions == 6  # the run went on


def test_a_response_slower_than_the_timeout_is_retried(site: Site, documents: dict[str, str], tmp_path: Path) -> None:
    site.fault("4-356-fr.txt", Fault("slow", seconds=3.0))
    report = run(site, tmp_path, politeness=replace(FAST, timeout=1.0))
    assert len(site.hits_for("SchriftelijkeVraag&LEG=4&NR=356&LANG=fr")) == 2
    assert pages(tmp_path)["4-356-fr.txt"] == documents["4-356-fr.txt"] and report.ok


def test_a_body_cut_off_midway_is_retried(site: Site, documents: dict[str, str], tmp_path: Path) -> None:
    site.fault("4-357-fr.txt", Fault("cut"))
    report = run(site, tmp_path)
    assert [hit.status for hit in site.hits_for("SchriftelijkeVraag&LEG=4&NR=357&LANG=fr")] == [-1, 200]
    assert pages(tmp_path)["4-357-fr.txt"] == documents["4-357-fr.txt"] and report.ok


def test_a_body_always_cut_off_is_never_half_written(site: Site, tmp_path: Path) -> None:
    site.fault("4-358-fr-print.txt", Fault("cut", times=0))
    report = run(site, tmp_path)
    assert not (tmp_path / "4-358-fr-print.txt").exists()
    assert [name for name, _ in report.failed] == ["4-358-fr-print.txt"]
    assert "RemoteProtocolError" in report.failed[0][1] and "gave up after 4 attempts" in report.failed[0][1]
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    # the question stays open for the next run: the page that failed is asked again
    assert not State(tmp_path / "fetch" / "state.jsonl").numbers[(4, 358)].final


def test_a_wrong_charset_header_does_not_garble_the_page(site: Site, documents: dict[str, str], tmp_path: Path) -> None:
    utf8 = to_html(documents["4-360-fr.txt"], "fr").encode("utf-8")
    site.fault("4-360-fr.txt", Fault("body", content_type="text/html; charset=iso-8859-1", data=utf8))
    cp1252 = to_html(documents["4-361-fr.txt"], "fr", charset="windows-1252").encode("cp1252")
    site.fault("4-361-fr.txt", Fault("body", content_type="text/html; charset=utf-8", data=cp1252))
    report = run(site, tmp_path)
    assert pages(tmp_path)["4-360-fr.txt"] == documents["4-360-fr.txt"]
    assert pages(tmp_path)["4-361-fr.txt"] == documents["4-361-fr.txt"]
    assert "é" in documents["4-360-fr.txt"] and "é" in documents["4-361-fr.txt"]
    assert report.charset_notes() == [
        f"1 page(s) labelled cp1252, but the bytes are UTF-8 (first: {site.base}?MIval=/Vragen/SchriftelijkeVraag"
        "&LEG=4&NR=360&LANG=fr)",
        f"1 page(s) labelled utf-8, but the bytes are not; read as cp1252, as the page's meta says (first: {site.base}"
        "?MIval=/Vragen/SchriftelijkeVraag&LEG=4&NR=361&LANG=fr)",
    ]


def test_redirects_are_followed_and_each_hop_recorded(site: Site, documents: dict[str, str], tmp_path: Path) -> None:
    moved = "/www/?MIval=/Vragen/SchriftelijkeVraag&LEG=4&NR=355&LANG=nl&moved=1"
    site.fault("4-355-nl.txt", Fault("redirect", location=moved))
    run(site, tmp_path)
    assert pages(tmp_path)["4-355-nl.txt"] == documents["4-355-nl.txt"]
    hops = [
        (e["status"], e["page"])
        for e in manifest(tmp_path)
        if e["question"] == "4-355" and "LANG=nl" in e["url"] and "SchriftelijkeVraag" in e["url"]
    ]
    assert hops == [(302, None), (200, "4-355-nl.txt")]


# -- politeness --------------------------------------------------------------------------------


def test_robots_txt_forbidding_the_print_versions_is_obeyed(site: Site, tmp_path: Path) -> None:
    site.robots = "User-agent: *\nDisallow: /www/?MIval=/Vragen/SVPrint\n"
    report = run(site, tmp_path)
    assert not site.hits_for("SVPrint") and site.hits_for("SchriftelijkeVraag")
    assert sorted(pages(tmp_path)) == sorted(f"4-{n}-{lang}.txt" for n in QUESTIONS for lang in ("nl", "fr"))
    assert {why.split(": ", 1)[1] for _, why in report.failed} == {"robots.txt forbids it"}
    assert all(
        CONTACT in hit.headers["User-Agent"] and hit.headers["User-Agent"].startswith("kg-fetch/") for hit in site.hits
    )


def test_robots_txt_forbidding_kg_fetch_stops_every_page_request(site: Site, tmp_path: Path) -> None:
    site.robots = "User-agent: kg-fetch\nDisallow: /\n\nUser-agent: *\nAllow: /\n"
    report = run(site, tmp_path, end=400)
    assert [hit.target for hit in site.hits] == ["/robots.txt"]
    assert not report.ok and report.questions == 0 and "stopped after 5 numbers" in report.stopped


def test_the_request_rate_holds(site: Site, tmp_path: Path) -> None:
    assert Politeness().delay == 1.0  # the default: one request a second
    run(site, tmp_path, end=358, renderings=("web",), politeness=replace(FAST, delay=0.25))
    starts = gaps(site.hits)
    assert len(starts) >= 12 and min(starts) >= 0.24, starts


def test_crawl_delay_in_robots_txt_slows_the_fetch(site: Site, tmp_path: Path) -> None:
    site.robots = "User-agent: *\nCrawl-delay: 0.3\n"
    run(site, tmp_path, end=356, renderings=("web",))
    assert min(gaps(site.hits[1:])) >= 0.29


# -- re-runs -----------------------------------------------------------------------------------


def test_a_rerun_asks_with_validators_and_the_server_answers_304(site: Site, tmp_path: Path) -> None:
    run(site, tmp_path)
    times = {path.name: path.stat().st_mtime_ns for path in tmp_path.glob("*.txt")}
    site.hits.clear()
    report = run(site, tmp_path, max_age=timedelta(0))
    page_hits = [hit for hit in site.hits if hit.status in (200, 304) and "NR=" in hit.target]
    assert len(page_hits) == 35 and all(hit.status == 304 for hit in page_hits)
    assert all("If-None-Match" in hit.headers and "If-Modified-Since" in hit.headers for hit in page_hits)
    assert report.unchanged == 35 and report.fetched == 0 and report.questions == 7
    assert {path.name: path.stat().st_mtime_ns for path in tmp_path.glob("*.txt")} == times


def test_a_rerun_asks_only_open_questions_and_new_numbers(
    site: Site, documents: dict[str, str], tmp_path: Path
) -> None:
    later = {name: site.documents.pop(name) for name in list(site.documents) if name.startswith("4-361-")}
    run(site, tmp_path)
    state = State(tmp_path / "fetch" / "state.jsonl")
    open_ones = {f"4-{n}" for (_, n), known in state.numbers.items() if known.kind == "question" and not known.final}
    final_ones = {f"4-{n}" for (_, n), known in state.numbers.items() if known.kind == "question" and known.final}
    state.close()
    assert final_ones  # the test means something only if some are left alone
    site.documents.update(later)
    site.hits.clear()
    report = run(site, tmp_path)
    asked = set(site.numbers_asked())
    assert not asked & final_ones and open_ones <= asked and "4-361" in asked
    assert pages(tmp_path) == documents and report.questions == 7


def test_since_leaves_known_questions_sent_before_it_alone(site: Site, tmp_path: Path) -> None:
    run(site, tmp_path)
    site.hits.clear()
    run(site, tmp_path, since=date(2100, 1, 1), max_age=timedelta(0))
    asked = set(site.numbers_asked())
    assert not asked & {f"4-{n}" for n in QUESTIONS}
    assert asked == {"4-362", "4-363", "4-364", "4-365", "4-366", "4-352", "4-353", "4-354", "4-359", "4-350"}


# -- interrupted runs --------------------------------------------------------------------------


def test_a_fetch_killed_midway_resumes_without_refetching_and_without_a_corrupt_warc(
    site: Site, documents: dict[str, str], tmp_path: Path
) -> None:
    from warcio.archiveiterator import ArchiveIterator

    out = tmp_path / "fetched"
    command = [
        sys.executable,
        "-m",
        "kg.cli",
        "fetch",
        "--legislature",
        "4",
        "--from",
        "350",
        "--out",
        str(out),
        "--contact",
        CONTACT,
        "--rendering",
        "web,print,bilingual",
        "--base-url",
        site.base,
        "--delay",
        "0.05",
        "--stop-after",
        "5",
        "--quiet",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    journal = out / "fetch" / "state.jsonl"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if journal.exists() and journal.read_text(encoding="utf-8").count('"type": "number"') >= 4:
            break
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    open_warcs = list((out / "fetch" / "warc").glob("*.warc.gz.open"))
    assert len(open_warcs) == 1  # killed while writing it
    state = State(journal)
    done = {f"4-{n}" for (_, n), known in state.numbers.items()}
    state.close()
    assert 4 <= len(done) < 16
    before = len(site.hits)

    finished = kg("fetch", *command[4:-1])
    assert finished.returncode == 0, finished.stderr
    assert "resuming the run started" in finished.stderr and "left open by an interrupted run" in finished.stderr
    asked_again = set(site.numbers_asked()[_numbers_before(site, before) :])
    assert not asked_again & done, asked_again & done
    assert pages(out) == documents
    assert not list((out / "fetch" / "warc").glob("*.open"))
    for path in (out / "fetch" / "warc").glob("*.warc.gz"):
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle):
                record.content_stream().read()
        with gzip.open(path) as whole:
            whole.read()
    served = {url for url, _ in warc_responses(out)}
    assert all(entry["url"] in served for entry in manifest(out))


def _numbers_before(site: Site, hits: int) -> int:
    """How many question requests were among the first `hits` requests."""
    return sum(1 for hit in site.hits[:hits] if "NR=" in hit.target)


# -- the command line --------------------------------------------------------------------------


def test_the_cli_refuses_to_fetch_without_a_contact_or_with_a_bad_pattern(tmp_path: Path) -> None:
    env_free = kg("fetch", "--legislature", "5", "--out", str(tmp_path))
    assert env_free.returncode == 2 and "--contact" in env_free.stderr and "Traceback" not in env_free.stderr
    bad = kg("fetch", "--legislature", "5", "--out", str(tmp_path), "--contact", CONTACT, "--pattern", "{base}{nr}")
    assert bad.returncode == 2 and "unknown field {nr}" in bad.stderr
    backwards = kg(
        "fetch", "--legislature", "5", "--out", str(tmp_path), "--contact", CONTACT, "--from", "9", "--to", "3"
    )
    assert backwards.returncode == 2 and "--to 3 is before --from 9" in backwards.stderr
    assert not list(tmp_path.iterdir())


def test_two_fetches_into_one_folder_are_refused(site: Site, tmp_path: Path) -> None:
    import fcntl

    (tmp_path / "fetch").mkdir()
    with open(tmp_path / "fetch" / "lock", "a+b") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        with pytest.raises(RuntimeError, match="another kg fetch"):
            run(site, tmp_path)
    assert not site.hits


def test_robots_txt_the_server_fails_to_give_forbids_everything(site: Site, tmp_path: Path) -> None:
    site.fault("robots.txt", Fault("status", 503, times=0))
    report = run(site, tmp_path, end=360, politeness=replace(FAST, retries=1))
    assert [hit.target for hit in site.hits] == ["/robots.txt"] * 2  # asked, retried, then nothing else
    assert not report.ok and not pages(tmp_path)
    assert "robots.txt could not be read (HTTP 503" in report.failed[0][1]


def test_robots_txt_that_fails_once_is_asked_again(site: Site, tmp_path: Path) -> None:
    site.fault("robots.txt", Fault("status", 503, {"Retry-After": "0"}))
    report = run(site, tmp_path, end=352)
    assert [hit.status for hit in site.hits[:2]] == [503, 200] and report.ok and report.questions == 1


def test_an_interrupted_fetch_exits_130_and_the_next_run_resumes(site: Site, tmp_path: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "kg.cli",
        "fetch",
        "--legislature",
        "4",
        "--from",
        "350",
        "--out",
        str(tmp_path),
        "--contact",
        CONTACT,
        "--base-url",
        site.base,
        "--delay",
        "0.1",
        "--stop-after",
        "5",
        "--quiet",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(site.numbers_asked()) < 4:
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 130 and "interrupted" in (process.stderr.read() if process.stderr else "")
    assert not list(tmp_path.rglob("*.open"))  # the archive was closed on the way out
    state = State(tmp_path / "fetch" / "state.jsonl")
    assert state.unfinished_run() is not None
    settled = {f"4-{n}" for (_, n) in state.numbers}
    state.close()
    before = _numbers_before(site, len(site.hits))
    again = kg(*command[3:])
    assert again.returncode == 0, again.stderr
    assert not set(site.numbers_asked()[before:]) & settled


def test_kg_build_takes_up_a_refreshed_folder_incrementally(
    site: Site, documents: dict[str, str], tmp_path: Path
) -> None:
    from kg.build.pipeline import build

    pages_dir, out = tmp_path / "pages", tmp_path / "out"
    run(site, pages_dir)
    assert not build([pages_dir], out).failed
    changed = "4-357-nl.txt"
    site.documents[changed] = documents[changed] + "\nNieuwe alinea.\n"
    report = run(site, pages_dir, max_age=timedelta(0))
    assert report.fetched == 1 and report.unchanged == 34
    rebuilt = build([pages_dir], out)
    assert not rebuilt.failed and rebuilt.reused == 34


def test_a_question_that_fails_once_keeps_its_validators_for_the_next_run(site: Site, tmp_path: Path) -> None:
    run(site, tmp_path)
    site.fault("4-355-nl.txt", Fault("status", 500, times=0))
    failing = run(site, tmp_path, max_age=timedelta(0), politeness=replace(FAST, retries=0))
    assert [name for name, _ in failing.failed] == ["4-355"]
    site.faults.clear()
    site.hits.clear()
    run(site, tmp_path)
    hits = site.hits_for("SchriftelijkeVraag&LEG=4&NR=355&LANG=nl")
    assert [hit.status for hit in hits] == [304] and "If-None-Match" in hits[0].headers
