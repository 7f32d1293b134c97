"""`kg validate`: the seeds conform; broken graphs give one readable line per violation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_build import run_command

from kg.validate import validate_file

BASE = "http://localhost:8000/"
Q = f"<{BASE}id/question/5-8913>"


def test_seeds_graph_conforms(seeds_out: Path) -> None:
    result = validate_file(seeds_out / "graph.ttl")
    assert result.conforms, "\n".join(map(str, result.violations))


def test_cli_exit_zero_on_conforming_dump(seeds_out: Path) -> None:
    result = run_command("validate", str(seeds_out / "graph.nt.gz"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def broken_copy(seeds_out: Path, tmp_path: Path, extra: str, drop: str | None = None) -> Path:
    """graph.ttl of the seeds with Turtle appended and, optionally, lines containing `drop` removed."""
    shutil.copy(seeds_out / "build.json", tmp_path / "build.json")
    lines = (seeds_out / "graph.ttl").read_text().splitlines(keepends=True)
    if drop is not None:  # a subject's first predicate shares its line: keep the subject
        subject = drop.split(" ")[0] if drop.startswith("<") else ""
        lines = [line if drop not in line else line.split(drop)[0] + subject + "\n" for line in lines]
        lines = [line for line in lines if line.strip()]
    target = tmp_path / "graph.ttl"
    target.write_text("".join(lines) + extra)
    return target


def test_violations_are_listed_one_per_line(seeds_out: Path, tmp_path: Path) -> None:
    graph = broken_copy(
        seeds_out,
        tmp_path,
        extra=f'{Q} kg:number 1 ; dct:dateSubmitted "30 april 2013" .\n'
        f'<{BASE}id/question/5-8916/answer> dct:date "2013-06-04"^^xsd:date , "2013-06-05"^^xsd:date .\n',
        drop="\tdct:creator <",
    )  # the line of the question's author in its block (and of the other seed's)
    result = run_command("validate", str(graph))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert f"Violation: {Q} kg:number: a question has exactly one positive number" in lines
    assert any(line.startswith(f"Violation: {Q} dct:creator: a question has exactly one author") for line in lines)
    assert any(line.startswith(f"Violation: {Q} dct:dateSubmitted:") for line in lines)
    assert any("5-8916/answer> dct:date: an answer has exactly one date" in line for line in lines)
    assert "does not conform" in result.stderr


def test_sibling_without_number_violates(seeds_out: Path, tmp_path: Path) -> None:
    graph = broken_copy(seeds_out, tmp_path, extra="", drop="\tkg:number 8901 ;")
    result = validate_file(graph)
    assert not result.conforms
    assert [(v.focus, v.path) for v in result.violations] == [(f"{BASE}id/question/5-8901", "kg:number")]


@pytest.mark.parametrize("content", [None, "this is @@ not turtle <"])
def test_unreadable_input_exits_two(tmp_path: Path, content: str | None) -> None:
    path = tmp_path / "graph.ttl"
    if content is not None:
        path.write_text(content)
    result = run_command("validate", str(path))
    assert result.returncode == 2
    assert str(path) in result.stderr
