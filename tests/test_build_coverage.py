"""The coverage report per legislature (`kg build`'s summary and build.json): questions, answered,
offices resolved to a holder, askers reconciled; counted on a corpus whose answers, offices and
askers are known, and compared with counts the test makes from that corpus itself."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from answer_corpus import ADDRESSEES, CASES, document, write_corpus
from conftest import ROOT

from kg.build.pipeline import build

UNKNOWN_ASKER = "Jan Onbekendevanderbeek"
UNKNOWN_OFFICE = "au ministre de la Magie et des Licornes"


def corpus(folder: Path) -> Path:
    """The answer-time corpus (legislature 5, known asker and offices), plus one question by an
    asker the reference data does not know, to an office it cannot resolve."""
    write_corpus(folder)
    text = document(CASES[0]).replace("5-9001", "5-9099")
    text = text.replace("Martine Taelman", UNKNOWN_ASKER).replace(ADDRESSEES["finance"][0], UNKNOWN_OFFICE)
    (folder / "web-fr-5-9099.txt").write_text(text, encoding="utf-8")
    return folder


def expected() -> dict[str, object]:
    questions = len(CASES) + 1
    return {
        "legislature": 5,
        "start": "2010-06-13",
        "end": "2014-05-24",
        "questions": questions,
        "answered": sum(case.answered is not None for case in CASES) + (CASES[0].answered is not None),
        "offices_addressed": questions,  # one office per addressee line in this corpus
        "offices_with_holder": len(CASES),  # every office but the unknown one
        "askers": 2,
        "askers_reconciled": 1,
    }


def test_build_json_holds_the_coverage_per_legislature(tmp_path: Path) -> None:
    docs = corpus(tmp_path / "docs")
    report = build([docs], tmp_path / "out")
    assert not report.failed
    info = json.loads((tmp_path / "out" / "build.json").read_text(encoding="utf-8"))
    assert info["coverage"] == [expected()]
    assert [item.to_json() for item in report.coverage] == info["coverage"]


def test_an_incremental_build_keeps_the_coverage_of_unchanged_documents(tmp_path: Path) -> None:
    docs = corpus(tmp_path / "docs")
    build([docs], tmp_path / "out")
    (docs / "web-fr-5-9099.txt").unlink()
    report = build([docs], tmp_path / "out")
    assert report.reused == len(CASES)
    only_known = {**expected(), "questions": len(CASES), "offices_addressed": len(CASES), "askers": 1}
    only_known["answered"] = sum(case.answered is not None for case in CASES)
    assert [item.to_json() for item in report.coverage] == [only_known]


def test_kg_build_prints_the_coverage_line(tmp_path: Path) -> None:
    docs = corpus(tmp_path / "docs")
    result = subprocess.run(
        [sys.executable, "-m", "kg", "build", str(docs), "--out", str(tmp_path / "out"), "--quiet"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    want = expected()
    line = next(line for line in result.stdout.splitlines() if line.startswith("  legislature 5 "))
    assert line.startswith("  legislature 5 (2010-2014): ")
    assert f"{want['questions']} questions, {want['answered']} answered" in line
    assert f"{want['offices_with_holder']} of {want['offices_addressed']} offices addressed resolved" in line
    assert "1 of 2 askers reconciled (50%)" in line
