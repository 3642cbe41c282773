"""The package's house rules, read from its source: layers, cycles, private names, sizes.

Each layer is a folder (or a base module) and may import only from layers below it:

    base (_errors, _usage, _resources) < _records < _text < _extraction < _io
        < _batch < _dataset < testing < _eval < cli < ray

A module reaches another layer only through that layer's package and its public
names; nothing imports a private (underscore) name from another layer.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "newsschema"
ORDER = [
    *("base", "_records", "_text", "_extraction", "_io", "_batch", "_dataset"),
    *("testing", "_eval", "cli", "ray"),
]
APART = {"local_llm", "__init__"}  # the entry module and the standalone local server tool
MAX_LINES = 800


def _layer(module: str) -> str:
    """'newsschema._text._merge' -> '_text'; base modules -> 'base'."""
    parts = module.split(".")
    if len(parts) < 2:
        return "top"
    if parts[1] in ("_errors", "_usage", "_resources"):
        return "base"
    return parts[1]


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        name = ".".join(rel.parts)
        found[name.removesuffix(".__init__")] = path
    return found


def _imports(name: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(module imported, names taken, line) for every import, function-level ones too."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = []
    # Imports only a type checker reads (`if TYPE_CHECKING:`) run no code: not counted.
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING"
        for inner in ast.walk(node)
    }
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.startswith("newsschema"):
                out.append((target, [a.name for a in node.names], node.lineno))
        elif isinstance(node, ast.Import):
            out += [
                (a.name, [], node.lineno) for a in node.names if a.name.startswith("newsschema")
            ]
    return out


MODULES = _modules()


def _edges() -> list[tuple[str, str, list[str], int]]:
    edges = []
    for name, path in MODULES.items():
        for target, taken, line in _imports(name, path):
            names = taken
            # `from newsschema._text import x`: x may be a submodule or a name.
            resolved = target
            if target in MODULES and len(names) == 1 and f"{target}.{names[0]}" in MODULES:
                resolved, names = f"{target}.{names[0]}", []
            edges.append((name, resolved, names, line))
    return edges


def test_imports_point_down_the_layers() -> None:
    upward = []
    for source, target, _names, line in _edges():
        a, b = _layer(source), _layer(target)
        if "top" in (a, b) or source.rsplit(".", 1)[-1] in APART or a == b:
            continue
        if a not in ORDER or b not in ORDER:
            upward.append(f"{source}:{line} -> {target} (layer not in the order)")
        elif ORDER.index(b) > ORDER.index(a):
            upward.append(f"{source}:{line} -> {target} ({a} imports {b}, above it)")
    assert upward == []


def test_no_private_name_is_imported_across_layers() -> None:
    crossing = []
    for source, target, names, line in _edges():
        if _layer(source) == _layer(target) or _layer(source) == "top":
            continue
        private_module = any(p.startswith("_") for p in target.split(".")[2:])
        private_names = [n for n in names if n.startswith("_")]
        if private_module or private_names:
            crossing.append(f"{source}:{line} -> {target} {names}")
    assert crossing == []


def test_there_is_no_import_cycle_between_modules() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for source, target, _names, _line in _edges():
        if target in MODULES and target not in (source, "newsschema"):
            graph[source].add(target)
    # A package's __init__ re-exporting its own modules is not a cycle of code.
    for name in MODULES:
        graph[name] = {t for t in graph[name] if not (name + ".").startswith(t + ".")}
    seen: dict[str, int] = {}
    cycles = []

    def visit(node: str, stack: list[str]) -> None:
        seen[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if seen.get(nxt) == 1:
                cycles.append(" -> ".join([*stack[stack.index(nxt) :], nxt]))
            elif nxt not in seen:
                visit(nxt, stack)
        stack.pop()
        seen[node] = 2

    for name in sorted(MODULES):
        if name not in seen:
            visit(name, [])
    assert cycles == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_over_800_lines(name: str) -> None:
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name}: {lines} lines"


def test_only_the_builtin_module_and_few_others_name_a_builtin_type() -> None:
    naming = sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "warrant" in path.read_text(encoding="utf-8").lower()
    )
    assert "_records/_builtin.py" in naming
    assert len(naming) <= 3, naming
