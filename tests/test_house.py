"""The rules of the house (docs/ARCHITECTURE.md), read from the code itself: which layer imports
which, the TUI asking the store for what it shows rather than reading the file's format, words
(sentences, dates) made in one place, app/words.py, from content/, and no class too long to read
in one sitting."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[1] / "app"


def modules(folder: str) -> list[Path]:
    return sorted((APP / folder).rglob("*.py"))


def imported(path: Path) -> set[str]:
    """Every module ``path`` imports, at its top or inside a function."""
    return imported_by(ast.parse(path.read_text(), str(path)).body)


def imported_by(statements: list[ast.stmt]) -> set[str]:
    found: set[str] = set()
    for node in (inner for statement in statements for inner in ast.walk(statement)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def touching(names: set[str], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(name for name in names if name.split(".")[0] in forbidden or name.startswith(forbidden))


PRESENTATION = ("app.tui", "app.cli", "app.export", "app.content", "app.words")


@pytest.mark.parametrize("path", modules("domain"), ids=lambda path: str(path.relative_to(APP)))
def test_the_domain_imports_neither_textual_nor_tinydb_nor_the_layers_above(path: Path) -> None:
    assert touching(imported(path), ("textual", "rich", "tinydb", "app.store", *PRESENTATION)) == []


@pytest.mark.parametrize("path", modules("store"), ids=lambda path: str(path.relative_to(APP)))
def test_the_store_imports_no_textual_and_says_nothing_in_words(path: Path) -> None:
    """The store raises reasons and details and returns facts; the words for them are the
    presentation's (app/words.py, content/). One call goes up: a StoreError's ``str()``."""
    allowed = {"app.words", "app.words.error_words"} if path == APP / "store" / "errors.py" else set()
    assert touching(imported(path) - allowed, ("textual", "rich", *PRESENTATION)) == []


def test_the_words_module_imports_neither_textual_nor_the_store_at_run_time() -> None:
    tree = ast.parse((APP / "words.py").read_text())
    at_run_time = [
        node
        for node in tree.body
        if not (isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test))
    ]
    names = imported_by(at_run_time)
    assert touching(names, ("textual", "rich", "tinydb", "app.store", "app.tui")) == []


DATE_FORMAT = re.compile(r"%[aAbBdHMSYy]")


@pytest.mark.parametrize(
    "path", [*modules("tui"), APP / "cli.py", APP / "export.py"], ids=lambda path: str(path.relative_to(APP))
)
def test_days_are_written_only_by_the_words_module(path: Path) -> None:
    """No ``strftime`` and no ``f"{day:%B}"`` where the couple reads: app/words.py writes every
    day from content/words.toml [dates], with the app's own today."""
    tree = ast.parse(path.read_text(), str(path))
    written = [
        ast.unparse(node)
        for node in ast.walk(tree)
        if (isinstance(node, ast.Attribute) and node.attr == "strftime")
        or (
            isinstance(node, ast.FormattedValue)
            and node.format_spec is not None
            and DATE_FORMAT.search(ast.unparse(node.format_spec))
        )
    ]
    assert written == []


FORMAT = ("app.domain.records", "app.domain.clock", "app.store.lazy", "app.store.files", "tinydb")
RAW_READS = {"raw_table", "storage", "private_table", "_data"}


def bases(node: ast.ClassDef) -> set[str]:
    return {ast.unparse(base).partition("[")[0] for base in node.bases}


def modal_screens() -> set[str]:
    """The names of the screens' modal screen classes, and of those made from them, in turn."""
    classes = [
        node
        for path in modules("tui/screens")
        for node in ast.parse(path.read_text(), str(path)).body
        if isinstance(node, ast.ClassDef)
    ]
    modal = {"ModalScreen"}
    while grown := {node.name for node in classes if bases(node) & modal} - modal:
        modal |= grown
    return modal


def dialogs(path: Path) -> list[ast.ClassDef]:
    """The dialogs ``path`` defines: its modal screens, but not one that shows the store like a
    section does (``FollowsTheStore``: the calm screen)."""
    modal = modal_screens()
    return [
        node
        for node in ast.parse(path.read_text(), str(path)).body
        if isinstance(node, ast.ClassDef) and bases(node) & modal and "FollowsTheStore" not in bases(node)
    ]


@pytest.mark.parametrize("path", modules("tui/screens"), ids=lambda path: path.name)
def test_no_dialog_calls_the_store(path: Path) -> None:
    """A dialog is given what it shows and dismisses with what was typed or chosen; whatever
    opened it makes the store call (and opens it again, saying why, if the store refuses)."""
    calls = [
        f"{dialog.name}: line {node.lineno}"
        for dialog in dialogs(path)
        for node in ast.walk(dialog)
        if isinstance(node, ast.Attribute) and node.attr == "store"
    ]
    assert calls == []


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


def practice_names() -> list[str]:
    """The nine practices' names, the slugs of their content files (content/steps/NN-<name>.md)."""
    return [path.stem.split("-", 1)[1] for path in sorted((APP.parent / "content" / "steps").glob("*.md"))]


def test_each_practice_has_one_name_in_every_layer() -> None:
    """A step's practice is named by its content file's slug (content/steps/NN-<name>.md), and that
    name is its module in each layer that has code for it, its styles and its TUI tests."""
    root = APP.parent
    names = practice_names()
    assert len(names) == 9
    for name in names:
        assert (APP / "domain" / "practices" / f"{name}.py").is_file(), name
        assert (APP / "tui" / "practices" / f"{name}.py").is_file(), name
        assert (root / "tests" / "tui" / f"test_practice_{name}.py").is_file(), name
    layers = [APP / "domain" / "practices", APP / "store" / "practices", root / "styles" / "practices"]
    shared = {"__init__", "feelings_practice", "sections", "listening"}  # what several practices share
    for folder in layers:
        stems = {path.stem for path in folder.iterdir() if path.suffix in {".py", ".tcss"}}
        assert stems - shared <= set(names), folder


GROUP_WORDS = {"awareness", "together", "journey"}
"""The old names of several steps or sections at once (steps 1-3, steps 8-9 and the dialogs, the
dashboard's reads), grab-bags a newcomer had to open to learn what they held."""


def words_of(name: str) -> set[str]:
    """The words of a file's or a class's name, however it is written (snake_case, kebab-case,
    CamelCase)."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    return {word for word in re.split(r"[^a-z0-9]+", spaced.lower()) if word}


def test_the_app_and_its_styles_are_named_by_what_they_are() -> None:
    """No module, package, stylesheet or class of app/ or styles/ is named for a group of steps
    ("awareness", "together", "journey"): each is named by what it is (the feelings form of steps
    1-3, the grounding dialog), as a practice is by its one name."""
    wrong: list[str] = []
    for folder in (APP, APP.parent / "styles"):
        for path in sorted(folder.rglob("*")):
            relative = str(path.relative_to(APP.parent))
            if "__pycache__" in path.parts or not (path.is_dir() or path.suffix in {".py", ".tcss"}):
                continue
            if words_of(path.stem) & GROUP_WORDS:
                wrong.append(relative)
            if path.suffix == ".py":
                tree = ast.parse(path.read_text(), str(path))
                wrong.extend(
                    f"{relative}: {node.name}"
                    for node in ast.walk(tree)
                    if isinstance(node, ast.ClassDef) and words_of(node.name) & GROUP_WORDS
                )
    assert wrong == []


TESTS = APP.parent / "tests"
OLD_WORDS = GROUP_WORDS | {"snapshots"}
"""Names of a group rather than of the code tried: several steps at once (steps 1-3, 8-9, the
sections, as "support" once stood for steps 4-7), or a kind of test (a snapshot is one more test of
what it draws, in that test module; pytest-textual-snapshot keeps it in ``__snapshots__``)."""


def holds_an_old_word(name: str) -> bool:
    """Whether a file or folder name holds one of ``OLD_WORDS``, or "support" but as step 4's practice
    (``practice_support``)."""
    if name == "__snapshots__":
        return False
    words = re.split(r"[^a-z0-9]+", Path(name).stem.lower())
    support = [i for i, word in enumerate(words) if word == "support"]
    return bool(OLD_WORDS & set(words)) or any(i == 0 or words[i - 1] != "practice" for i in support)


def test_tests_are_named_by_the_code_they_test() -> None:
    """A test module, a support module and a snapshot are named by what they try (docs/ARCHITECTURE.md,
    "Tests"): a practice's by its one name (``test_practice_<name>``), never by the old words for
    several steps at once; ``tests/support/`` is the tests' own package."""
    names = set(practice_names())
    wrong: list[str] = []
    for path in sorted(TESTS.rglob("*")):
        relative = path.relative_to(TESTS)
        if "__pycache__" in relative.parts:
            continue
        parts = list(relative.parts[1:] if relative.parts[0] == "support" else relative.parts)
        modules = parts if path.is_dir() or path.suffix == ".py" else parts[:-1]
        practices = [re.fullmatch(r"test_practice_([a-z]+?)(?:_store)?", Path(name).stem) for name in modules]
        if any(holds_an_old_word(part) for part in parts) or any(
            found and found.group(1) not in names for found in practices
        ):
            wrong.append(str(relative))
    assert wrong == []


LONGEST_CLASS = 300
LONG_CLASSES: dict[str, str] = {}
"""The classes over ``LONGEST_CLASS`` lines, each with why it is still one class. One taken apart
comes off this list; no other joins it."""


def class_lengths() -> dict[str, int]:
    """Every class in app/, by its module and name, and its lines (decorators aside)."""
    found: dict[str, int] = {}
    for path in APP.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ClassDef):
                assert node.end_lineno is not None
                found[f"{module_name(path)}.{node.name}"] = node.end_lineno - node.lineno + 1
    return found


def test_no_class_is_over_three_hundred_lines() -> None:
    """A class a newcomer reads in one sitting: a longer one is split along its seams (mixins or
    widgets, a module each), or is on ``LONG_CLASSES`` with the reason."""
    lengths = class_lengths()
    long = {name for name, lines in lengths.items() if lines > LONGEST_CLASS}
    assert long - set(LONG_CLASSES) == set()
    assert {name for name in LONG_CLASSES if lengths.get(name, 0) <= LONGEST_CLASS} == set()
