"""The build's search notes: written a batch at once, read back by number the way the pattern reads them."""

from __future__ import annotations

import random
from pathlib import Path

from kg.build.pipeline import build
from kg.parse import parse_document
from kg.paths import SEEDS_DIR
from kg.reference.governments import load_governments
from kg.search.notes import _ENTRY_START, Notes, append_notes, collect, document_key, entries_line, notes_dir
from kg.synth import write_corpus


def _by_pattern(line: bytes) -> list[str]:
    return [match.decode("ascii") for match in _ENTRY_START.findall(line)]


def test_numbers_of_real_notes_are_the_patterns(tmp_path: Path) -> None:
    write_corpus(40, tmp_path / "docs", seed=5)
    governments = load_governments()
    lines = {}
    for path in [*sorted((tmp_path / "docs").iterdir()), *sorted(SEEDS_DIR.glob("*.txt"))]:
        key = document_key(str(path), path.read_bytes())
        lines[key] = entries_line(key, parse_document(path).questions, governments)
    notes = Notes(lines)
    assert all(notes.numbers(key) == _by_pattern(line) for key, line in lines.items())
    assert sum(len(notes.numbers(key)) for key in lines) >= 40  # every document gives a question or two


def test_numbers_of_mangled_notes_are_the_patterns() -> None:
    """Openings inside texts, nested lists, languages other than nl and fr, openings that overlap."""
    rng = random.Random(3)
    parts = [b"[[", b"],[", b'"5-1","nl"', b'"12-345","fr"', b'"x"', b",", b"[", b"]", b'"5-1","de"', b"],[[", b"[[["]
    for _ in range(5000):
        line = b"".join(rng.choice(parts) for _ in range(rng.randrange(0, 14)))
        assert Notes({"k": line}).numbers("k") == _by_pattern(line), line
    assert Notes({}).numbers("missing") == []


def test_a_batch_of_notes_is_appended_whole_and_collected(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([SEEDS_DIR], out)
    cache = next(path for path in (out / ".cache").iterdir() if path.is_dir())
    governments = load_governments()
    paths = sorted(SEEDS_DIR.glob("*.txt"))
    keys = {str(path): document_key(str(path), path.read_bytes()) for path in paths}
    lines = [entries_line(keys[str(path)], parse_document(path).questions, governments) for path in paths]
    folder = notes_dir(cache)
    for old in folder.glob("*"):
        old.unlink()
    append_notes(cache, lines[:1])
    append_notes(cache, lines[1:])
    append_notes(cache, [])  # nothing to write: no file either
    logs = list(folder.glob("log-*.jsonl"))
    assert len(logs) == 1 and logs[0].read_bytes() == b"".join(lines)
    collected = collect(cache, keys)
    assert collected.lines == dict(zip(keys.values(), lines, strict=True))
    assert not list(folder.glob("log-*.jsonl"))  # compacted
