"""Search keeps to its layers: the build writes the index, the web layer only reads it."""

from __future__ import annotations

import ast
from pathlib import Path

import kg

PACKAGE = Path(kg.__file__).parent


def imported(path: Path) -> set[str]:
    """Every kg module a file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name == "kg" or name.startswith("kg.")}


def test_the_web_layer_reads_the_index_and_never_writes_it() -> None:
    for path in (PACKAGE / "web").glob("search*.py"):
        modules = imported(path)
        assert "kg.search.reader" in modules or path.name != "search.py"
        assert not modules & {"kg.search.writer", "kg.search.notes", "kg.search.entries", "kg.build"}, path


def test_the_reader_does_not_need_the_writer_and_search_never_looks_up_to_the_web() -> None:
    reader = set().union(
        *(imported(PACKAGE / "search" / f"{name}.py") for name in ("reader", "query", "compile", "snippets", "schema"))
    )
    assert not reader & {"kg.search.writer", "kg.search.notes", "kg.build", "kg.parse", "kg.extract"}
    for path in (PACKAGE / "search").glob("*.py"):
        assert not {m for m in imported(path) if m.startswith(("kg.web", "kg.build", "kg.stores", "kg.commands"))}, path
