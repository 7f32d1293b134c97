"""The structure holds itself: no import cycle inside kg, the web framework only in the web layer,
and each layer imports only the layers below it (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import kg

PACKAGE = Path(kg.__file__).resolve().parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, *, top_level_only: bool) -> set[str]:
    """Modules `path` imports: at module level only (what runs on import), or anywhere."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.If) and top_level_only:
            continue  # `if TYPE_CHECKING:` blocks run for the type checker only
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in PACKAGE.rglob("*.py") if "data" not in path.relative_to(PACKAGE).parts}


def _graph(*, top_level_only: bool) -> dict[str, set[str]]:
    modules = _modules()
    return {
        name: {m for m in _imports(path, top_level_only=top_level_only) if m in modules and m != name}
        for name, path in modules.items()
    }


def test_no_import_cycle_inside_kg() -> None:
    graph = _graph(top_level_only=True)
    done: set[str] = set()
    stack: list[str] = []

    def visit(node: str) -> None:
        if node in stack:
            raise AssertionError("import cycle: " + " -> ".join(stack[stack.index(node) :] + [node]))
        if node in done:
            return
        stack.append(node)
        for target in sorted(graph[node]):
            if target.startswith(node + "."):
                continue  # a package importing its own modules is not a cycle
            visit(target)
        stack.pop()
        done.add(node)

    for name in sorted(graph):
        visit(name)


def test_the_web_framework_is_imported_only_in_the_web_layer() -> None:
    for name, path in _modules().items():
        if name.startswith("kg.web"):
            continue
        framework = {m for m in _imports(path, top_level_only=False) if m.split(".")[0] in ("fastapi", "starlette")}
        assert not framework, f"{name} imports {sorted(framework)}"


# layer -> the kg modules it must never import (anywhere in its code)
FORBIDDEN = {
    "kg.parse": ("kg.extract", "kg.rdf", "kg.build", "kg.stores", "kg.web", "kg.uris", "kg.reference", "kg.fetch"),
    "kg.fetch": ("kg.extract", "kg.rdf", "kg.build", "kg.stores", "kg.web", "kg.reference"),
    "kg.extract": ("kg.rdf", "kg.build", "kg.stores", "kg.web", "kg.uris", "kg.fetch"),
    "kg.reference": ("kg.extract", "kg.rdf", "kg.build", "kg.stores", "kg.web", "kg.fetch"),
    "kg.rdf": ("kg.build.pipeline", "kg.build.pieces", "kg.build.lines", "kg.stores", "kg.web", "kg.fetch"),
    "kg.stores": ("kg.build", "kg.web", "kg.parse", "kg.extract", "kg.reference", "kg.fetch"),
    "kg.web": ("kg.build", "kg.parse", "kg.extract", "kg.fetch"),
    "kg.queries": ("kg.build", "kg.web", "kg.stores", "kg.parse", "kg.extract", "kg.reference", "kg.fetch"),
}


def test_each_layer_imports_only_the_layers_below() -> None:
    wrong = []
    for name, path in _modules().items():
        for layer, forbidden in FORBIDDEN.items():
            if name == layer or name.startswith(layer + "."):
                for imported in _imports(path, top_level_only=False):
                    if any(imported == f or imported.startswith(f + ".") for f in forbidden):
                        wrong.append(f"{name} imports {imported}")
    assert not wrong, "\n".join(sorted(set(wrong)))
