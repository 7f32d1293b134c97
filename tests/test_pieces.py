"""The graph files in pieces: a change applied to the previous files gives the bytes that
writing the changed graph from scratch gives, wherever the change falls (a piece's first
subject gone, lines before the first piece, every line of a piece gone, an empty graph)."""

from __future__ import annotations

import gzip
import os
import random
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

import kg.build.lines
import kg.build.pieces
import kg.native
from kg.build.pieces import Paths, PieceIndex, StalePieces, apply_change, block_bounds, decode, merge_runs, write_all

PREFIXES = {"ex": "http://example.org/"}


def line(subject: int, predicate: int, value: int) -> bytes:
    return b'<http://example.org/s%03d> <http://example.org/p%d> "v%d" .' % (subject, predicate, value)


def counted(tmp: Path, tally: dict[bytes, int]) -> Path:
    """A file of merged lines, each as many times as its count."""
    handle, name = tempfile.mkstemp(dir=tmp, suffix=".nt")
    with os.fdopen(handle, "wb") as out:
        out.write(b"".join((key + b"\n") * tally[key] for key in sorted(tally)))
    return Path(name)


def paths(folder: Path) -> Paths:
    folder.mkdir(exist_ok=True)
    return Paths(folder / "graph.nt.gz", folder / "graph.ttl", folder / "counts")


def files(where: Paths) -> list[bytes]:
    return [where.gz.read_bytes(), where.ttl.read_bytes(), where.counts.read_bytes()]


def random_tally(rng: random.Random, subjects: int) -> dict[bytes, int]:
    return {
        line(rng.randrange(subjects), rng.randrange(3), rng.randrange(4)): rng.choice([1, 1, 1, 2, 5])
        for _ in range(rng.randrange(0, 300))
    }


@pytest.mark.parametrize("seed", range(60))
def test_a_change_applied_gives_what_writing_from_scratch_gives(
    tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kg.build.pieces, "SPAN", 4)  # many small pieces, so changes fall everywhere
    monkeypatch.setattr(kg.build.pieces, "PARALLEL_PIECES", 1)
    processes = 2 if seed % 6 == 0 else 1  # some through the pool of processes
    rng = random.Random(seed)
    subjects = rng.choice([5, 40, 120])
    before = random_tally(rng, subjects)
    index = write_all(counted(tmp_path, before), paths(tmp_path / "before"), PREFIXES)
    # Take lines away (some entirely), add new ones, move counts; sometimes a whole range of
    # subjects, so that pieces lose their first subject or everything.
    delta: dict[bytes, int] = {}
    for key, count in before.items():
        if rng.random() < 0.3:
            delta[key] = -rng.randint(1, count)
    if rng.random() < 0.3:
        low = rng.randrange(subjects)
        for key, count in before.items():
            if low <= int(key[21:24]) < low + 10:
                delta[key] = -count
    for key, count in random_tally(rng, subjects + 5).items():
        if delta.get(key, 0) == 0:
            delta[key] = count
    after = {key: before.get(key, 0) + delta.get(key, 0) for key in before.keys() | delta.keys()}
    after = {key: count for key, count in after.items() if count}

    change = apply_change(index, paths(tmp_path / "before"), paths(tmp_path / "changed"), delta, PREFIXES, processes)
    expected = write_all(counted(tmp_path, after), paths(tmp_path / "scratch"), PREFIXES)
    assert files(paths(tmp_path / "changed")) == files(paths(tmp_path / "scratch"))
    assert change.index.pieces == expected.pieces
    assert change.removed == sorted(before.keys() - after.keys())
    assert change.added == sorted(after.keys() - before.keys())
    assert gzip.decompress(paths(tmp_path / "changed").gz.read_bytes()) == b"".join(k + b"\n" for k in sorted(after))


def test_pieces_are_gzip_members_and_turtle_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kg.build.pieces, "SPAN", 3)
    tally = {line(s, p, 0): 1 + (s % 3 == 0) for s in range(60) for p in range(2)}
    where = paths(tmp_path / "out")
    index = write_all(counted(tmp_path, tally), where, PREFIXES)
    assert len(index.pieces) > 5
    # one gzip file to every reader, multi-member or not
    expected = b"".join(key + b"\n" for key in sorted(tally))
    assert gzip.decompress(where.gz.read_bytes()) == expected
    assert subprocess.run(["gzip", "-dc", str(where.gz)], capture_output=True, check=True).stdout == expected
    # each piece on its own: its lines and counts, and whole subject blocks of the Turtle
    gz, ttl, counts = where.gz.read_bytes(), where.ttl.read_bytes(), where.counts.read_bytes()
    at_gz, at_ttl, at_counts = 0, index.header, 0
    for piece in index.pieces:
        lines, numbers = decode(gz[at_gz : at_gz + piece.gz], counts[at_counts : at_counts + piece.counts])
        assert len(lines) == piece.lines and lines[0].startswith(piece.key)
        assert numbers == [tally[key] for key in lines]
        block = ttl[at_ttl : at_ttl + piece.ttl]
        assert block.startswith(b"\n<http://example.org/s") or block.startswith(b"\nex:s")
        at_gz, at_ttl, at_counts = at_gz + piece.gz, at_ttl + piece.ttl, at_counts + piece.counts
    assert at_ttl == len(ttl) and ttl.endswith(b" .\n") and not ttl.endswith(b"\n\n")


def test_taking_a_line_from_more_documents_than_gave_it_is_stale(tmp_path: Path) -> None:
    tally = {line(1, 1, 1): 1}
    index = write_all(counted(tmp_path, tally), paths(tmp_path / "before"), PREFIXES)
    with pytest.raises(StalePieces):
        apply_change(index, paths(tmp_path / "before"), paths(tmp_path / "after"), {line(1, 1, 1): -2}, PREFIXES)
    with pytest.raises(StalePieces):
        apply_change(index, paths(tmp_path / "before"), paths(tmp_path / "after"), {line(2, 1, 1): -1}, PREFIXES)


def test_an_index_describes_only_the_files_it_was_written_with(tmp_path: Path) -> None:
    where = paths(tmp_path / "out")
    index = write_all(counted(tmp_path, {line(1, 1, 1): 1}), where, PREFIXES)
    index.files = kg.build.pieces.file_stats(where)
    index.save(tmp_path / "pieces.json")
    assert PieceIndex.load(tmp_path / "pieces.json", where) == index
    where.ttl.write_bytes(where.ttl.read_bytes() + b"\n")  # edited by hand
    assert PieceIndex.load(tmp_path / "pieces.json", where) is None


@pytest.mark.parametrize("merger", ["sort", "memory"])
def test_runs_are_merged_with_every_line_of_each(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, merger: str) -> None:
    if merger == "memory":  # without GNU sort: the same, in memory
        monkeypatch.setattr(shutil, "which", lambda name: None)
    runs = [tmp_path / "a.nt", tmp_path / "b.nt"]
    runs[0].write_bytes(line(1, 1, 1) + b"\n" + line(2, 1, 1) + b"\n" + line(2, 1, 1) + b"\n")
    runs[1].write_bytes(line(2, 1, 1) + b"\n" + line(3, 1, 1) + b"\n")
    merge_runs(runs, tmp_path / "merged.nt", tmp_path)
    merged = (tmp_path / "merged.nt").read_bytes()
    assert merged == b"".join(text + b"\n" for text in [line(1, 1, 1), *[line(2, 1, 1)] * 3, line(3, 1, 1)])
    assert kg.build.pieces.count_adjacent(merged) == (
        b"".join(text + b"\n" for text in [line(1, 1, 1), line(2, 1, 1), line(3, 1, 1)]),
        [1, 3, 1],
    )


def test_a_failed_merge_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="merging the triples failed"):
        merge_runs([tmp_path / "missing.nt"], tmp_path / "merged.nt", tmp_path)
    (tmp_path / "cut.nt").write_bytes(b"<a> <b> <c> .\n<a> <b> <d>")
    # The C loops' plan refuses the cut run; without them Oxigraph refuses its last line.
    refused = (
        pytest.raises(RuntimeError, match="merging the triples failed: .*cut.nt")
        if kg.native.loops
        else pytest.raises(SyntaxError)
    )
    with refused:
        kg.build.pieces.write_runs([tmp_path / "cut.nt"], paths(tmp_path / "out"), PREFIXES, tmp_path)
    assert list((tmp_path / "out").iterdir()) == []  # nothing written


def test_the_merged_lines_are_cut_into_blocks_at_subjects(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks far smaller than a subject's lines, or than one line: every block still starts
    at a subject's first line, and the pieces are those of writing it in one block."""
    monkeypatch.setattr(kg.build.pieces, "SPAN", 3)
    tally = {line(s, p, v): 1 + s % 2 for s in range(50) for p in range(3) for v in range(2)}
    tally[b'<http://example.org/s007> <http://example.org/p9> "' + b"x" * 200_000 + b'" .'] = 2  # past a read
    tally.update({line(20, 5, v): 1 for v in range(30_000)})  # a subject of megabytes: probed, not read
    merged = counted(tmp_path, tally)
    data = merged.read_bytes()
    with merged.open("rb") as source:
        for size in (1, 7, 100, 1000, 70_000, 300_000, len(data) // 2, len(data) + 1):
            bounds = block_bounds(source.fileno(), len(data), size)
            assert bounds[0] == 0 and bounds[-1] == len(data) and bounds == sorted(set(bounds)), size
            for cut in bounds[1:-1]:
                before = data[:cut].splitlines()[-1]
                assert before.split(b" ")[0] != data[cut:].split(b" ")[0], size  # another subject
    monkeypatch.setattr(kg.build.pieces, "SEGMENT", 500)
    small = write_all(merged, paths(tmp_path / "small"), PREFIXES, processes=2)
    monkeypatch.setattr(kg.build.pieces, "SEGMENT", 1 << 20)
    whole = write_all(merged, paths(tmp_path / "whole"), PREFIXES)
    assert small.pieces == whole.pieces
    assert files(paths(tmp_path / "small")) == files(paths(tmp_path / "whole"))


def test_a_small_change_rewrites_only_its_pieces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kg.build.pieces, "SPAN", 4)
    before = {line(s, p, 0): 1 for s in range(400) for p in range(3)}
    index = write_all(counted(tmp_path, before), paths(tmp_path / "before"), PREFIXES)
    delta = {line(100, 1, 0): -1, line(300, 1, 7): 1}
    change = apply_change(index, paths(tmp_path / "before"), paths(tmp_path / "changed"), delta, PREFIXES)
    after = {key: 1 for key in before.keys() ^ delta.keys()}
    write_all(counted(tmp_path, after), paths(tmp_path / "scratch"), PREFIXES)
    assert files(paths(tmp_path / "changed")) == files(paths(tmp_path / "scratch"))
    assert change.rendered == 2 and len(change.index.pieces) > 50


@pytest.mark.parametrize("processes", [1, 2])
def test_runs_written_block_by_block_give_the_files_of_their_merge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, processes: int
) -> None:
    """The writers merging their blocks from the runs' slices write the same files as writing
    the merged file, with the C loops and without (which merges into a file first)."""
    monkeypatch.setattr(kg.build.pieces, "SPAN", 3)
    monkeypatch.setattr(kg.build.pieces, "SEGMENT", 700)
    rng = random.Random(processes)
    runs = []
    for number in range(9):
        lines = sorted(
            line(rng.randrange(60), rng.randrange(3), rng.randrange(3)) for _ in range(rng.choice([0, 3, 80]))
        )
        if number == 4:
            lines = sorted(lines + [line(30, 9, v) for v in range(400)])  # a subject longer than a block
        run = tmp_path / f"run-{number}.nt"
        run.write_bytes(b"".join(text + b"\n" for text in lines))
        runs.append(run)
    merge_runs(runs, tmp_path / "merged.nt", tmp_path)
    expected = write_all(tmp_path / "merged.nt", paths(tmp_path / "expected"), PREFIXES, processes)
    copies = [shutil.copy(run, tmp_path / f"copy-{run.name}") for run in runs]  # write_runs frees what it read
    written = kg.build.pieces.write_runs(runs, paths(tmp_path / "c"), PREFIXES, tmp_path, processes)
    assert written.pieces == expected.pieces and len(written.pieces) > 10
    assert files(paths(tmp_path / "c")) == files(paths(tmp_path / "expected"))
    assert not list(tmp_path.glob(".segment-*"))  # what the pool's processes rendered into files: copied, removed
    monkeypatch.setattr(kg.native, "loops", None)
    kg.build.pieces.write_runs(
        [Path(copy) for copy in copies], paths(tmp_path / "python"), PREFIXES, tmp_path, processes
    )
    assert files(paths(tmp_path / "python")) == files(paths(tmp_path / "expected"))


def _holes_punched_here(folder: Path) -> bool:
    probe = folder / "probe"
    probe.write_bytes(b"x" * (1 << 16))
    with probe.open("r+b") as handle:
        os.fsync(handle.fileno())
        kg.native.loops.release([handle.fileno()], [0], [1 << 16])
    freed = probe.stat().st_blocks == 0
    probe.unlink()
    return freed


@pytest.mark.skipif(kg.native.loops is None, reason="the C loops are not built")
def test_the_runs_are_freed_as_their_blocks_are_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each block's slices are released (holes punched) once every block up to it is written,
    never a page another block has still to read: the files are those of the merged file's,
    and the runs hold no more than a page each at the end."""
    if not _holes_punched_here(tmp_path):
        pytest.skip("this file system does not punch holes")
    monkeypatch.setattr(kg.build.pieces, "SPAN", 5)
    monkeypatch.setattr(kg.build.pieces, "SEGMENT", 1 << 16)
    rng = random.Random(7)
    runs = []
    for number in range(6):
        lines = sorted({line(rng.randrange(4000), rng.randrange(5), rng.randrange(9)) for _ in range(4000)})
        run = tmp_path / f"run-{number}.nt"
        run.write_bytes(b"".join(text + b"\n" for text in lines))
        runs.append(run)
    merge_runs(runs, tmp_path / "merged.nt", tmp_path)
    expected = write_all(tmp_path / "merged.nt", paths(tmp_path / "expected"), PREFIXES, 2)
    sizes = [run.stat().st_size for run in runs]
    written = kg.build.pieces.write_runs(runs, paths(tmp_path / "c"), PREFIXES, tmp_path, 2)
    assert written.pieces == expected.pieces and len(written.pieces) > 50
    assert files(paths(tmp_path / "c")) == files(paths(tmp_path / "expected"))
    assert [run.stat().st_size for run in runs] == sizes and min(sizes) > 40 * 4096
    assert all(run.stat().st_blocks * 512 <= 4096 for run in runs)


@pytest.mark.skipif(kg.native.loops is None, reason="the C loops are not built")
def test_runs_alike_are_cut_into_blocks_of_about_the_step(tmp_path: Path) -> None:
    """A build's runs hold lines alike, so their samples would fall together: the blocks must
    still come out near the step, the first one too (not what every run holds before its
    first sample)."""
    step = 1 << 16
    runs = []
    for number in range(40):
        run = tmp_path / f"run-{number:02d}.nt"
        run.write_bytes(b"".join(line(subject, 1, number % 3) + b"\n" for subject in range(1000)))
        runs.append(run)
    plan = kg.native.loops.plan_blocks([str(run) for run in runs], step)
    sizes = [sum(end - start for start, end in zip(row, following)) for row, following in zip(plan, plan[1:])]
    assert sum(sizes) == sum(run.stat().st_size for run in runs)
    assert len(sizes) > 20 and max(sizes) < 2 * step


@pytest.mark.skipif(kg.native.loops is None, reason="the C loops are not built")
def test_rendered_blocks_are_copied_without_sendfile_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the kernel cannot copy a scratch file into the graph files, they are read and
    written here: the same files."""
    monkeypatch.setattr(kg.build.pieces, "SPAN", 3)
    monkeypatch.setattr(kg.build.pieces, "SEGMENT", 700)
    rng = random.Random(11)
    runs = []
    for number in range(5):
        run = tmp_path / f"run-{number}.nt"
        run.write_bytes(
            b"".join(
                text + b"\n"
                for text in sorted(line(rng.randrange(60), rng.randrange(3), rng.randrange(3)) for _ in range(80))
            )
        )
        runs.append(run)
    merge_runs(runs, tmp_path / "merged.nt", tmp_path)
    expected = write_all(tmp_path / "merged.nt", paths(tmp_path / "expected"), PREFIXES, 2)

    def no_sendfile(*args: object) -> int:
        raise OSError(22, "not here")

    monkeypatch.setattr(os, "sendfile", no_sendfile)
    written = kg.build.pieces.write_runs(runs, paths(tmp_path / "c"), PREFIXES, tmp_path, 2)
    assert written.pieces == expected.pieces and len(written.pieces) > 10
    assert files(paths(tmp_path / "c")) == files(paths(tmp_path / "expected"))
    assert not list(tmp_path.glob(".segment-*"))
