"""`kg build` names every printed office it could not resolve to a holder, with how many
questions name it: in its summary, on standard output and in build.json, also when the
documents come from the last build's cache."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

from kg.build.pipeline import build
from kg.paths import SEEDS_DIR

SEED = SEEDS_DIR / "5-8916-nl.txt"
KNOWN = (
    "aan de staatssecretaris voor Asiel en Migratie, Maatschappelijke Integratie en Armoedebestrijding, "
    "toegevoegd aan de minister van Justitie"
)


def documents(folder: Path, addressees: dict[str, str]) -> Path:
    """Copies of a seed question, each with another addressee line (and its own number, so
    each is a question of its own)."""
    folder.mkdir()
    text = SEED.read_text(encoding="utf-8")
    assert KNOWN in text
    for number, (name, addressee) in enumerate(sorted(addressees.items()), start=1):
        copy = text.replace(KNOWN, addressee).replace("5-8916", f"5-{9100 + number}")
        (folder / name).write_text(copy, encoding="utf-8")
    return folder


def test_unresolved_offices_are_listed_with_their_counts(tmp_path: Path) -> None:
    docs = documents(
        tmp_path / "docs",
        {
            "a.txt": "aan de minister van Ruimtevaart",
            "b.txt": "aan de minister van Ruimtevaart",
            "c.txt": "aan de staatssecretaris voor Staatshervorming, toegevoegd aan de eerste minister",  # two held it
            "d.txt": KNOWN,
        },
    )
    report = build([docs], tmp_path / "out")
    assert report.ok and report.questions == 4
    assert dict(report.unresolved) == {
        "minister van Ruimtevaart": 2,
        "staatssecretaris voor Staatshervorming, toegevoegd aan de eerste minister": 1,
    }
    assert report.summary().splitlines()[1:] == [
        "  legislature 5 (2010-2014): 4 questions, 4 answered (100%), 1 of 4 offices addressed resolved to a"
        " holder (25%), 1 of 1 askers reconciled (100%)",
        "  unresolved office (2): minister van Ruimtevaart",
        "  unresolved office (1): staatssecretaris voor Staatshervorming, toegevoegd aan de eerste minister",
    ]
    info = json.loads((tmp_path / "out" / "build.json").read_text(encoding="utf-8"))
    assert info["unresolved_offices"] == [
        {"wording": "minister van Ruimtevaart", "questions": 2},
        {"wording": "staatssecretaris voor Staatshervorming, toegevoegd aan de eerste minister", "questions": 1},
    ]


def test_the_list_survives_a_build_that_converts_nothing_again(tmp_path: Path) -> None:
    docs = documents(tmp_path / "docs", {"a.txt": "aan de minister van Ruimtevaart", "b.txt": KNOWN})
    first = build([docs], tmp_path / "out")
    again = build([docs], tmp_path / "out")
    assert again.reused == 2
    assert dict(again.unresolved) == dict(first.unresolved) == {"minister van Ruimtevaart": 1}
    (docs / "a.txt").unlink()  # the only unresolved question goes: so does the line
    assert dict(build([docs], tmp_path / "out").unresolved) == {}
    info = json.loads((tmp_path / "out" / "build.json").read_text(encoding="utf-8"))
    assert info["unresolved_offices"] == []


def test_seeds_resolve_every_office(tmp_path: Path) -> None:
    report = build([SEEDS_DIR], tmp_path / "out")
    assert report.ok and not report.unresolved


def test_cli_prints_the_unresolved_offices(tmp_path: Path) -> None:
    docs = documents(tmp_path / "docs", {"a.txt": "aan de minister van Ruimtevaart"})
    code = (
        "import argparse, sys, kg.commands.build as m; p = argparse.ArgumentParser(); "
        "m.add_arguments(p); sys.exit(m.run(p.parse_args(sys.argv[1:])))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(docs), "--out", str(tmp_path / "out"), "--quiet"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("converted 1, failed 0")
    assert lines[1].startswith("  legislature 5 (2010-2014): 1 questions, ")
    assert "0 of 1 offices addressed resolved to a holder (0%)" in lines[1]
    assert lines[2] == "  unresolved office (1): minister van Ruimtevaart"
