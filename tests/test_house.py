"""The rules of the house (docs/ARCHITECTURE.md), read from the code itself: which layer imports
which, and the TUI asking the store for what it shows rather than reading the file's format."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[1] / "app"


def modules(folder: str) -> list[Path]:
    return sorted((APP / folder).rglob("*.py"))


def imported(path: Path) -> set[str]:
    """Every module ``path`` imports, at its top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def touching(names: set[str], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(name for name in names if name.split(".")[0] in forbidden or name.startswith(forbidden))


@pytest.mark.parametrize("path", modules("domain"), ids=lambda path: path.name)
def test_the_domain_imports_neither_textual_nor_tinydb_nor_the_layers_above(path: Path) -> None:
    assert touching(imported(path), ("textual", "rich", "tinydb", "app.store", "app.tui")) == []


@pytest.mark.parametrize("path", modules("store"), ids=lambda path: path.name)
def test_the_store_imports_no_textual(path: Path) -> None:
    assert touching(imported(path), ("textual", "rich", "app.tui")) == []


FORMAT = ("app.domain.records", "app.domain.clock", "app.store.lazy", "app.store.files", "tinydb")
RAW_READS = {"raw_table", "storage", "private_table", "_data"}


@pytest.mark.parametrize("path", modules("tui"), ids=lambda path: str(path.relative_to(APP)))
def test_the_tui_never_reads_the_files_format(path: Path) -> None:
    """Records as stored, stamps, the storage and the local file's tables are the store's business:
    the screens ask it for what they show (the last change, what came in, which entries are private,
    the day a record was made)."""
    tree = ast.parse(path.read_text(), str(path))
    attributes = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    assert touching(imported(path), FORMAT) == []
    assert sorted(attributes & RAW_READS) == []


def module_name(path: Path) -> str:
    parts = list(path.relative_to(APP.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_at_load(path: Path, known: set[str]) -> set[str]:
    """The app's modules ``path`` imports as it loads (its top level, not TYPE_CHECKING blocks
    and not the imports inside functions, which run later)."""
    found: set[str] = set()
    for node in ast.parse(path.read_text(), str(path)).body:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in known else node.module)
    return found & known


def test_no_module_of_the_app_imports_itself_round_a_cycle() -> None:
    paths = {module_name(path): path for path in APP.rglob("*.py")}
    graph = {name: imports_at_load(path, set(paths)) - {name} for name, path in paths.items()}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    trail: list[str] = []

    def walk(name: str) -> None:
        state[name] = 1
        trail.append(name)
        for other in sorted(graph[name]):
            if state.get(other) == 1:
                cycles.append([*trail[trail.index(other) :], other])
            elif other not in state:
                walk(other)
        trail.pop()
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            walk(name)
    assert cycles == []
