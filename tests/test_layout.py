"""The shape of the code: no import cycle among docprep's modules, and a pure core."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.paths import REPO

PACKAGES = ("flows", "tasks")


def module_name(path: Path) -> str:
    """The dotted name of the module in `path`."""
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    """Every module of docprep, by dotted name."""
    return {
        module_name(path): path for package in PACKAGES for path in (REPO / package).rglob("*.py")
    }


def imported(path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules that the module in `path` imports, type-checking imports included."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found & set(modules)


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle in `graph`, as the modules along it, or None."""
    state: dict[str, str] = {}
    trail: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        trail.append(node)
        for successor in sorted(graph[node]):
            if state.get(successor) == "open":
                return [*trail[trail.index(successor) :], successor]
            if successor not in state and (found := visit(successor)):
                return found
        state[node] = "done"
        trail.pop()
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycle_among_the_modules() -> None:
    modules = project_modules()
    graph = {name: imported(path, modules) - {name} for name, path in modules.items()}
    # A package imports its own modules for its public surface; they may not import it back.
    assert cycle(graph) is None


def test_the_cycle_finder_finds_one() -> None:
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) is None


def test_the_steps_know_nothing_of_prefect() -> None:
    for path in (REPO / "tasks").rglob("*.py"):
        names = {
            alias.name.split(".")[0]
            for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in (
                node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")]
            )
        }
        assert "prefect" not in names, path
