"""The document generator: deterministic, varied, and every document parses back to exactly the
values the generator put in."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT

from kg.parse import parse_document, parse_text
from kg.parse.offices import parse_offices
from kg.parse.records import QuestionNumber
from kg.synth import (
    DI_RUPO,
    DOUBLE_OFFICE,
    GOVERNMENTS,
    SynthDocument,
    addressee,
    generate,
    generate_documents,
    office_record,
    write_corpus,
)


@pytest.fixture(scope="module")
def corpus() -> list[SynthDocument]:
    return list(generate_documents(1500, seed=11))


def test_same_seed_same_bytes_other_seed_other_documents() -> None:
    first = list(generate(200, seed=5))
    assert first == list(generate(200, seed=5))
    assert first != list(generate(200, seed=6))
    assert len(first) == 200 and len({name for name, _ in first}) == 200


def test_every_document_parses_back_to_the_generated_records(corpus: list[SynthDocument]) -> None:
    for document in corpus:
        parsed = parse_text(document.text.encode("utf-8"), document.name)
        assert parsed.source == document.records[0].source, document.name
        assert parsed.questions == document.records, document.name


def test_other_seeds_round_trip_too() -> None:
    for seed in (1, 2, 3):
        for document in generate_documents(150, seed=seed):
            assert parse_text(document.text, document.name).questions == document.records, (seed, document.name)


def test_corpus_covers_renderings_languages_and_outcomes(corpus: list[SynthDocument]) -> None:
    seen: Counter[str] = Counter()
    for document in corpus:
        seen[document.rendering] += 1
        seen["repaired"] += document.records[0].source.encoding_repaired
        for record in document.records:
            seen[record.language] += 1
            seen["answered" if record.answer else "unanswered"] += 1
            seen["two offices"] += len(record.offices) == 2
            seen["no party"] += record.party is None
            seen["answer parts"] += bool(record.answer and record.answer.text.parts)
            seen.update(f"event {event.kind}" for event in record.chronology)
            seen.update(f"link {link.kind}" for link in record.links)
            seen["deadline"] += any(event.deadline for event in record.chronology)
    for key in (
        "web",
        "print",
        "print-bilingual",
        "nl",
        "fr",
        "answered",
        "unanswered",
        "two offices",
        "no party",
        "answer parts",
        "repaired",
        "event sent",
        "event reminder",
        "event answer",
        "event closed",
        "event end-of-legislature",
        "link sibling",
        "link resubmitted-as",
        "link resubmission-of",
        "deadline",
    ):
        assert seen[key] > 0, key
    assert seen["web"] > seen["print"] > 0


def test_versions_of_one_question_agree(corpus: list[SynthDocument]) -> None:
    by_number: dict[QuestionNumber, list] = {}
    for document in corpus:
        for record in document.records:
            by_number.setdefault(record.number, []).append(record)
    for records in by_number.values():
        facts = {
            (
                r.author,
                r.party,
                r.date,
                r.original_language,
                tuple((e.kind, e.date) for e in r.chronology),
                tuple((link.kind, link.target) for link in r.links),
            )
            for r in records
        }
        assert len(facts) == 1


def test_siblings_and_resubmissions_point_at_each_other(corpus: list[SynthDocument]) -> None:
    records = {record.number: record for document in corpus for record in document.records}
    resubmissions = 0
    for record in records.values():
        for link in record.links:
            other = records.get(link.target)
            if other is None:
                continue  # the corpus ended before the other question
            if link.kind == "sibling":
                assert any(back.kind == "sibling" and back.target == record.number for back in other.links)
                assert (other.author, other.date) == (record.author, record.date)
                if other.language == record.language:
                    assert other.title == record.title
            elif link.kind == "resubmitted-as":
                resubmissions += 1
                assert other.number.legislature == record.number.legislature + 1
                assert any(back.kind == "resubmission-of" and back.target == record.number for back in other.links)
                assert record.answer is None
                assert record.chronology[-1].kind == "end-of-legislature"
    assert resubmissions > 0


def test_facts_are_stated_in_the_answers(corpus: list[SynthDocument]) -> None:
    answers = {
        (r.number, r.language): "\n".join(p.text for p in r.answer.text.paragraphs)
        for d in corpus
        for r in d.records
        if r.answer
    }
    counted = non_users = 0
    for document in corpus:
        for fact in document.facts:
            text = answers[(fact.number, fact.language)]
            assert fact.name[1:] in text
            if not fact.uses_social_media:
                non_users += 1
                assert "geen gebruik van sociale media" in text or "n'utilise pas les médias sociaux" in text
            for platform, account in fact.accounts:
                assert (f"@{account}" if platform == "twitter" else account) in text
            for platform, account, count, _ in fact.followers:
                counted += 1
                assert account in text
                assert str(count)[-3:] in text
    assert counted > 0 and non_users > 0


def test_every_office_title_parses_to_its_structure() -> None:
    for government in GOVERNMENTS:
        for spec in government.offices:
            for language in ("nl", "fr"):
                _, text = addressee([spec], language)
                assert parse_offices(text, language) == (office_record(spec, language),), text
    line, text = addressee(DOUBLE_OFFICE, "nl")
    assert line == (
        "aan de staatssecretaris voor Leefmilieu, Energie en Mobiliteit, toegevoegd aan de minister van "
        "Binnenlandse Zaken en Gelijke Kansen, en staatssecretaris voor Staatshervorming, toegevoegd aan de "
        "eerste minister"
    )  # as seed 5-8913 prints it
    assert addressee([DI_RUPO[0]], "fr")[0] == "au Premier ministre"


def test_write_corpus_writes_utf8_files_that_parse(tmp_path: Path) -> None:
    paths = write_corpus(30, tmp_path / "out", seed=2)
    assert len(paths) == 30 and all(path.parent == tmp_path / "out" for path in paths)
    expected = list(generate_documents(30, seed=2))
    for path, document in zip(paths, expected):
        assert path.name == document.name
        assert path.read_bytes() == document.text.encode("utf-8")
        assert parse_document(path, document.name).questions == document.records


def run_synth(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", "synth", *args], capture_output=True, text=True, timeout=120, cwd=ROOT
    )


def digest(folder: Path) -> str:
    hasher = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        hasher.update(path.name.encode() + b"\0" + path.read_bytes())
    return hasher.hexdigest()


def test_cli_is_deterministic(tmp_path: Path) -> None:
    first = run_synth("--count", "40", "--out", str(tmp_path / "a"), "--seed", "9")
    second = run_synth("--count", "40", "--out", str(tmp_path / "b"), "--seed", "9")
    assert first.returncode == second.returncode == 0, first.stderr
    assert "wrote 40 documents" in first.stderr
    assert len(list((tmp_path / "a").iterdir())) == 40
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    assert run_synth("--count", "40", "--out", str(tmp_path / "c"), "--seed", "8", "--quiet").stderr == ""
    assert digest(tmp_path / "c") != digest(tmp_path / "a")


def test_cli_rejects_a_negative_count(tmp_path: Path) -> None:
    result = run_synth("--count", "-3", "--out", str(tmp_path))
    assert result.returncode == 2 and "must be zero or more" in result.stderr


def test_cli_reports_an_unwritable_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run_synth("--count", "2", "--out", str(blocker / "sub"))
    assert result.returncode == 1 and "cannot write" in result.stderr


# ---- the print versions follow the layout of the real ones (tests/documents/sample-*.txt)


def _shape(text: str) -> list[str]:
    """A document's lines as kinds, runs of one kind as one, up to its links (where the real
    samples stop): what the layout is, whatever the values."""
    import re

    from kg.parse.links import parse_link
    from kg.parse.phrases import BILINGUAL_DATED, BILINGUAL_NUMBER, BILINGUAL_SESSION, PATTERNS, RULE_RE

    kinds = []
    for line in text.split("\n"):
        line = line.strip()
        if kinds and kinds[-1] == "link" and parse_link(line) is None:
            break
        if not line:
            continue
        kind = (
            "rule " + str(len(line.split()))
            if RULE_RE.match(line)
            else "head"
            if line in ("BELGISCHE SENAAT", "SÉNAT DE BELGIQUE BELGISCHE SENAAT")
            else "session"
            if BILINGUAL_SESSION.match(line) or PATTERNS["nl"].session.match(line)
            else "date"
            if BILINGUAL_DATED.match(line) or PATTERNS["nl"].dated.match(line)
            else "number"
            if BILINGUAL_NUMBER.match(line) or PATTERNS["nl"].print_number.match(line)
            else "author " + line.split()[0]
            if re.match(r"(de|van) [A-Z]", line) and "(" in line
            else "addressee " + ("nl" if line.startswith("aan ") else "fr")
            if re.match(r"(aan|à|au|aux) ", line)
            else "event"
            if re.match(r"\d{1,2}/\d{1,2}/\d{4}\S", line)
            else "link"
            if parse_link(line) is not None and " : schriftelijke vraag " in line
            else "text"
        )
        if not kinds or kinds[-1] != kind:
            kinds.append(kind)
    return kinds


@pytest.mark.parametrize(
    ("rendering", "sample"),
    [("print", "sample-print-nl-5-8902.txt"), ("print-bilingual", "sample-bilingual-5-8916.txt")],
)
def test_print_versions_are_laid_out_as_the_real_ones(corpus: list[SynthDocument], rendering: str, sample: str) -> None:
    real = _shape((ROOT / "tests" / "documents" / sample).read_text(encoding="utf-8"))
    generated = [
        document
        for document in corpus
        if document.rendering == rendering
        and (rendering != "print" or document.records[0].language == "nl")
        and document.records[0].descriptors
        and document.records[0].links
        and document.records[0].party is not None
    ]
    assert generated
    for document in generated[:50]:
        assert _shape(document.text) == real, document.name
    assert real[:3] == ["head", "rule 1", "session"] and "event" in real


def test_the_seeds_profile_gives_questions_the_seeds_size(tmp_path: Path) -> None:
    """Benchmarks on realistic documents: the "seeds" profile gives about as many triples a
    question as the seed documents (about 850 under each question's URIs: the ELI expressions,
    manifestations and participations and the Web Annotation selectors of the evidence included),
    the default "mixed" one about a third of that."""
    from kg.build.pipeline import build
    from kg.synth import write_corpus

    per_question = {}
    for profile in ("mixed", "seeds"):
        write_corpus(120, tmp_path / profile, seed=3, profile=profile)
        report = build([tmp_path / profile], tmp_path / f"out-{profile}")
        assert not report.failed
        per_question[profile] = report.triples / report.questions
    assert 750 <= per_question["seeds"] <= 950, per_question
    assert per_question["mixed"] < 350, per_question


def test_an_unknown_profile_is_refused() -> None:
    from kg.synth import generate

    with pytest.raises(ValueError, match="no profile 'huge'"):
        next(generate(1, 0, "huge"))
