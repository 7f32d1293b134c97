"""The statistics' sums kept between builds (`kg.build.tally`): an incremental build counts again
only the questions of the documents that changed, and its outputs and its tally are a full
build's, byte for byte; a tally it cannot trust is never counted on."""

from __future__ import annotations

import random
import shutil
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

import kg.build.recount
from kg.build.pipeline import CACHE, TALLY, build
from kg.build.tally import Cell
from kg.paths import SEEDS_DIR
from kg.rdf.answer_times import Outcome, Timing
from kg.rdf.cube import measures
from kg.synth import write_corpus
from kg.uris import UriMinter

OUTPUTS = ("graph.ttl", "graph.nt.gz", "ontology.ttl", "build.json")


def same_outputs(a: Path, b: Path) -> None:
    for name in OUTPUTS:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert tally_body(a) == tally_body(b)  # the same sums (the head names the build, which differs)


def tally_path(out: Path) -> Path:
    [cache] = (p for p in (out / CACHE).iterdir() if p.is_dir())
    return cache / TALLY


def tally_body(out: Path) -> bytes:
    return tally_path(out).read_bytes().partition(b"\n")[2]


def edit(path: Path) -> None:
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(text + " Deze zin is later toegevoegd.\n", encoding="utf-8")


class Counted:
    """How often the build counted every question (`count_everything`) and counted only the
    changed ones (`recount`) to a tally."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.everything = self.recounted = 0
        real_everything, real_recount = kg.build.recount.count_everything, kg.build.recount.recount

        def everything(*args, **kwargs):  # type: ignore[no-untyped-def]
            self.everything += 1
            return real_everything(*args, **kwargs)

        def recount(*args, **kwargs):  # type: ignore[no-untyped-def]
            found = real_recount(*args, **kwargs)
            self.recounted += found is not None
            return found

        monkeypatch.setattr(kg.build.recount, "count_everything", everything)
        monkeypatch.setattr(kg.build.recount, "recount", recount)


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    write_corpus(40, folder, seed=11)
    shutil.copytree(SEEDS_DIR, folder / "seeds")
    return folder


def test_rounds_of_edits_removals_and_additions_count_only_the_changed_questions(
    docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    build([docs], out)
    counted = Counted(monkeypatch)
    more = tmp_path / "more"
    write_corpus(6, more, seed=12)
    added = sorted(more.iterdir())
    files = sorted(p for p in docs.rglob("*.txt") if p.parent.name != "seeds")
    # each round: documents edited, removed, added (copied in)
    rounds: list[tuple[list[Path], list[Path], list[Path]]] = [
        (files[:4], [], []),
        ([], files[4:8], []),
        ([], [], added[:3]),
        ([files[9]], [files[10]], [added[3]]),
        ([], [docs / "seeds" / "5-8916-nl.txt"], []),  # the sibling of 5-8913: now known by number only
    ]
    for number, (edited, removed, copied) in enumerate(rounds):
        for path in edited:
            edit(path)
        for path in removed:
            path.unlink()
        for path in copied:
            shutil.copy(path, docs / f"added-{path.name}")
        report = build([docs], out)
        assert report.reused > 0 and report.pieces[0] < report.pieces[1]
        assert (counted.recounted, counted.everything) == (1, 0)
        full = tmp_path / f"full-{number}"
        build([docs], full, full=True)
        same_outputs(out, full)
        shutil.rmtree(full)
        counted.recounted = counted.everything = 0


def test_a_moved_reference_date_counts_every_question_again(
    docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Open questions' statuses and every data set depend on the reference date: when it moves,
    every question is counted again, as it was and as it is, and the result is still a full build's."""
    out = tmp_path / "out"
    first = build([docs], out, as_of=date(2021, 6, 30))
    assert first.reference_date == date(2021, 6, 30)
    counted = Counted(monkeypatch)
    edit(sorted(docs.glob("*.txt"))[0])
    report = build([docs], out, as_of=date(2022, 1, 31))
    assert report.reference_date == date(2022, 1, 31)
    assert counted.recounted == 0 and counted.everything == 2
    build([docs], tmp_path / "full", full=True, as_of=date(2022, 1, 31))
    same_outputs(out, tmp_path / "full")


@pytest.mark.parametrize("damage", ["cut short", "a count changed", "another build's", "other code's"])
def test_a_tally_that_cannot_be_trusted_is_not_counted_on(
    docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    """A damaged tally, another build's or one other code made is not read: the build merges
    everything again and counts every question, never adding to wrong sums."""
    out = tmp_path / "out"
    build([docs], out)
    path = tally_path(out)
    head, _, body = path.read_bytes().partition(b"\n")
    if damage == "cut short":
        body = body[:-30]
    elif damage == "a count changed":  # the same length: only the checksum tells
        at = body.index(b'"cells":[[') + 40
        digit = body[at:].index(b",1,") + at + 1
        body = body[:digit] + b"2" + body[digit + 1 :]
    elif damage == "another build's":
        head = head.replace(b'"build":"', b'"build":"0')
    else:  # made by another version of kg or of the statistics' code
        head = head.replace(b'"code":"', b'"code":"0')
    path.write_bytes(head + b"\n" + body)
    counted = Counted(monkeypatch)
    edit(sorted(docs.glob("*.txt"))[0])
    report = build([docs], out)
    assert counted.recounted == 0 and counted.everything == 1
    assert report.pieces[0] == report.pieces[1]  # merged everything
    build([docs], tmp_path / "full", full=True)
    same_outputs(out, tmp_path / "full")


def test_a_missing_tally_merges_everything(docs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([docs], out)
    tally_path(out).unlink()
    edit(sorted(docs.glob("*.txt"))[0])
    report = build([docs], out)
    assert report.pieces[0] == report.pieces[1]
    build([docs], tmp_path / "full", full=True)
    same_outputs(out, tmp_path / "full")


def _outcome(rng: random.Random) -> Outcome:
    asked = date(2020, 1, 1) + timedelta(days=rng.randrange(600))
    timing = Timing("q", 7, asked)
    status = rng.choice(
        ["answered-on-time", "answered-late", "answered-deadline-unknown", "open-past-deadline", "open-within-deadline"]
    )
    answered = status.startswith("answered")
    days = rng.randrange(0, 300) if answered else None
    deadline = None if status.endswith("unknown") else asked + timedelta(days=30)
    return Outcome(timing, status, deadline, None, days, None if days is None else days * 5 // 7)


@pytest.mark.parametrize("seed", range(8))
def test_a_cells_counts_give_the_measures_of_its_questions(seed: int) -> None:
    """Medians and percentiles from counts per value are those of the values themselves, for odd
    and even numbers of answers, and after questions are taken away again."""
    rng = random.Random(seed)
    found = [_outcome(rng) for _ in range(rng.randrange(1, 60))]
    cell = Cell()
    for one in found:
        cell.add(one, 1)
    assert cell.measures() == measures(found)
    gone = rng.sample(range(len(found)), len(found) // 2)
    for index in gone:
        cell.add(found[index], -1)
    kept = [one for index, one in enumerate(found) if index not in gone]
    assert cell.measures() == measures(kept)
    assert Cell.from_json(cell.to_json()) == cell


def test_a_dutch_version_added_and_removed_pairs_the_french_descriptors_and_unpairs_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_descriptor_pairs: None
) -> None:
    """The pairs across documents are counts per question number, kept in the tally: a Dutch
    version added pairs the French descriptors of its question everywhere, and removed, leaves
    them unpaired again, as a full build of the same documents does."""
    docs = tmp_path / "docs"
    shutil.copytree(SEEDS_DIR, docs)
    shutil.copy(Path(__file__).parent / "documents" / "web-fr-5-8914.txt", docs)
    out = tmp_path / "out"
    first = build([docs], out)
    assert set(first.unpaired) == {"ministère", "communauté virtuelle", "sensibilisation du public"}
    counted = Counted(monkeypatch)
    dutch = (SEEDS_DIR / "5-8913-nl.txt").read_text(encoding="utf-8").replace("5-8913", "5-8914")
    dutch = dutch.replace("\nbetrekking tussen overheid en burger\nsociale media\n", "\n")
    (docs / "5-8914-nl.txt").write_text(dutch, encoding="utf-8")
    paired = build([docs], out)
    assert not paired.unpaired and (counted.recounted, counted.everything) == (1, 0)
    build([docs], tmp_path / "full", full=True)
    same_outputs(out, tmp_path / "full")
    (docs / "5-8914-nl.txt").unlink()
    unpaired = build([docs], out)
    assert unpaired.unpaired == first.unpaired and (counted.recounted, counted.everything) == (2, 1)
    shutil.rmtree(tmp_path / "full")
    build([docs], tmp_path / "full", full=True)
    same_outputs(out, tmp_path / "full")


FRENCH = ("ministère", "Ministère", "internet", "Internet", "média social", "médias sociaux", "inconnu")
DUTCH = ("ministerie", "internet", "sociale media", "Ministerie")


def _facts(rng: random.Random) -> list[Any]:
    """A document's facts as far as the descriptors go: what it leaves to the build, its versions."""
    numbers = [f"5-{n}" for n in rng.sample(range(1, 7), 2)]
    deferred = sorted({(rng.choice(numbers), rng.choice(FRENCH)) for _ in range(rng.randrange(0, 4))})
    versions = []
    for number in numbers:
        size = rng.randrange(1, 3)
        if rng.random() < 0.7:
            versions.append([number, "fr", rng.sample(FRENCH, size)])
        if rng.random() < 0.7:
            versions.append([number, "nl", rng.sample(DUTCH, size)])
    return [None, None, None, None, [list(entry) for entry in deferred], versions]


def _full(documents: dict[str, list[Any]], minter: UriMinter, scheme: str) -> tuple[set[str], Counter[str]]:
    from kg.rdf.concepts import corpus_pairs, deferred_descriptor_lines
    from kg.reference.descriptors import load_descriptors

    pairs = corpus_pairs(
        (number, language, tuple(labels)) for facts in documents.values() for number, language, labels in facts[5]
    )
    deferred = ((number, label) for facts in documents.values() for number, label in facts[4])
    lines, unpaired = deferred_descriptor_lines(deferred, pairs, minter, scheme, load_descriptors())
    return set(lines), unpaired


@pytest.mark.parametrize("seed", range(30))
def test_descriptor_lines_counted_again_are_those_of_every_document(seed: int) -> None:
    """Documents edited, removed and added at random, labels that differ only in case (one
    concept), pairs that come and go: the lines `recount_deferred` removes and adds are the
    difference of `deferred_descriptor_lines` over every document before and after."""
    from kg.build.pairing import deferred_counts, recount_deferred, recount_pairs
    from kg.rdf.concepts import pair_candidates
    from kg.rdf.terms import iri
    from kg.reference.descriptors import load_descriptors

    rng = random.Random(seed)
    minter = UriMinter("http://localhost:8000/")
    scheme = iri(minter.mint_uri("scheme", "descriptors"))
    before = {f"doc-{n}": _facts(rng) for n in range(8)}
    after = dict(before)
    for name in rng.sample(sorted(before), 3):
        del after[name]
    for name in rng.sample(sorted(after), 2):
        after[name] = _facts(rng)
    for n in range(rng.randrange(0, 3)):
        after[f"new-{n}"] = _facts(rng)
    changed = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    candidates = pair_candidates(
        (number, language, tuple(labels)) for facts in before.values() for number, language, labels in facts[5]
    )
    deferred = deferred_counts(before.values())
    was = {name: before[name] for name in changed if name in before}
    now = {name: after[name] for name in changed if name in after}
    unchanged = [facts for name, facts in after.items() if name not in changed]
    paired = recount_pairs(candidates, was, now, unchanged)
    removed, added, unpaired = recount_deferred(
        deferred,
        was,
        now,
        candidates,
        paired,
        minter,
        scheme,
        load_descriptors(),
    )
    lines_before, _ = _full(before, minter, scheme)
    lines_after, unpaired_after = _full(after, minter, scheme)
    assert (removed, added) == (lines_before - lines_after, lines_after - lines_before)
    assert unpaired == unpaired_after
    assert deferred == deferred_counts(after.values())
    assert candidates == pair_candidates(
        (number, language, tuple(labels)) for facts in after.values() for number, language, labels in facts[5]
    )
