"""The product's words load, validate and format as the screens expect."""

from __future__ import annotations

import ast
import datetime
import json
import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from string import Formatter

import pytest

from app import content as content_module
from app.content import (
    REQUIRED_UI_KEYS,
    REQUIRED_WORDS_KEYS,
    Content,
    ContentError,
    content_dir,
    load_content,
    load_words,
)

REAL = Path(__file__).resolve().parent.parent / "content"


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(REAL)


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(REAL, target)
    return target


def test_nine_steps_in_order_with_unique_slugs(content: Content) -> None:
    assert [step.number for step in content.steps] == list(range(1, 10))
    slugs = [step.slug for step in content.steps]
    assert len(set(slugs)) == 9
    assert slugs[0] == "wounds" and slugs[-1] == "celebrate"


def test_every_step_field_is_filled_and_short(content: Content) -> None:
    for step in content.steps:
        for field in ("slug", "title", "tagline", "practice", "body"):
            assert getattr(step, field).strip(), (step.number, field)
        assert len(step.tagline) < 60, step.slug
        assert 3 <= len(step.keep_in_mind) <= 4, step.slug
        assert 4 <= len(step.prompts) <= 5, step.slug
        assert all(len(prompt) < 110 for prompt in step.prompts), step.slug
        assert len(step.body) < 1500, step.slug
        assert f"# {step.title}" not in step.body
        assert "|" not in step.body  # no tables: each Markdown block costs a widget


def test_step_lookup(content: Content) -> None:
    assert content.step(4).title == "Seek professional support"
    with pytest.raises(KeyError):
        content.step(10)


def test_step_four_puts_safety_first(content: Content) -> None:
    step = content.step(4)
    assert "emergency" in step.body and "crisis" in step.body


def test_text_formats_placeholders(content: Content) -> None:
    message = content.text("errors.disk_full", path="/tmp/couple.json", why="No space left on device")
    assert "/tmp/couple.json" in message and "{path}" not in message
    assert content.text("app.title") == "Kintsugi"
    assert content.text("status.practising") == "Practising"


def test_text_raises_key_error_naming_the_key(content: Content) -> None:
    with pytest.raises(KeyError, match=re.escape("errors.no_such_thing")):
        content.text("errors.no_such_thing")
    with pytest.raises(KeyError, match=re.escape("celebrate.cheers")):
        content.text("celebrate.cheers")  # a list, not a string
    with pytest.raises(KeyError, match="path"):
        content.text("errors.disk_full", detail="x")  # {path} not given


def test_lists_for_celebrations_and_check_ins(content: Content) -> None:
    assert len(content.cheers) == 12
    assert set(content.feelings) >= {"pleasant", "tender", "hard"}
    assert len(content.moods) >= 25 and len(set(content.moods)) == len(content.moods)
    assert [content.text(f"checkin.scale.{n}") for n in (1, 5)] == ["Far apart", "Very close"]


def test_ui_is_read_only(content: Content) -> None:
    with pytest.raises(TypeError):
        content.ui["app"] = {}  # type: ignore[index]


def test_help_and_questions(content: Content) -> None:
    assert 0 < len(content.help) < 1500
    assert len(content.questions) == 60
    assert all(len(question) < 100 for question in content.questions)


def test_question_for_is_stable_per_date_and_varies_across_days(content: Content) -> None:
    day = datetime.date(2025, 2, 14)
    assert content.question_for(day) == content.question_for(datetime.date(2025, 2, 14))
    week = {content.question_for(day + datetime.timedelta(days=n)) for n in range(7)}
    assert len(week) == 7


def test_broken_front_matter_names_the_file(copy: Path) -> None:
    path = copy / "steps" / "05-trust.md"
    path.write_text(path.read_text(encoding="utf-8").replace('title = "', "title = ", 1), encoding="utf-8")
    with pytest.raises(ContentError, match=re.escape("05-trust.md")) as caught:
        load_content(copy)
    assert "\n" not in str(caught.value)


def test_missing_front_matter_key_names_the_file(copy: Path) -> None:
    path = copy / "steps" / "02-origins.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        "\n".join(line for line in text.splitlines() if not line.startswith("tagline")), encoding="utf-8"
    )
    with pytest.raises(ContentError, match=r"02-origins\.md.*tagline"):
        load_content(copy)


def test_a_missing_step_is_reported(copy: Path) -> None:
    (copy / "steps" / "09-celebrate.md").unlink()
    with pytest.raises(ContentError, match="steps 1 to 9"):
        load_content(copy)


def test_a_missing_ui_string_is_reported(copy: Path) -> None:
    path = copy / "ui.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        "\n".join(line for line in text.splitlines() if not line.startswith("no_checkins")), encoding="utf-8"
    )
    with pytest.raises(ContentError, match=r"ui\.toml.*dashboard\.no_checkins"):
        load_content(copy)


def test_a_missing_shared_word_is_reported(copy: Path) -> None:
    path = copy / "words.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        "\n".join(line for line in text.splitlines() if not line.startswith("nothing_in")), encoding="utf-8"
    )
    with pytest.raises(ContentError, match=r"words\.toml.*report\.nothing_in"):
        load_content(copy)
    with pytest.raises(ContentError, match=r"words\.toml.*report\.nothing_in"):
        load_words(copy)


def test_a_table_in_both_files_is_reported(copy: Path) -> None:
    path = copy / "ui.toml"
    path.write_text(path.read_text(encoding="utf-8") + '\n[lists]\nor = " or "\n', encoding="utf-8")
    with pytest.raises(ContentError, match=r"ui\.toml.*lists"):
        load_content(copy)


def test_the_shared_words_load_alone_and_with_the_rest(content: Content) -> None:
    words = load_words(REAL)
    assert words.text("report.here") == content.text("report.here")
    assert "steps" not in words.ui and "dashboard" not in words.ui


# -- every string required is read, every sentence of a store error is raised -------------------

APP = REAL.parent / "app"


def _app_sources() -> str:
    sources = (path.read_text(encoding="utf-8") for path in APP.rglob("*.py") if path.name != "content.py")
    return "\n".join(sources)


def test_every_required_string_is_read_somewhere() -> None:
    """A key the loader insists on is one the code reads: by its name, or through its table (an
    f-string ``"status.{...}"``, or ``counted(words, "report.damaged", n)`` for its one and many)."""
    sources = _app_sources()

    def read(key: str) -> bool:
        parts = key.split(".")
        tables = [".".join(parts[:n]) for n in range(1, len(parts) + 1)]
        return any(f'"{table}"' in sources for table in tables[1:]) or any(
            f'"{table}.{{' in sources for table in tables[:-1]
        )

    assert [key for key in (*REQUIRED_UI_KEYS, *REQUIRED_WORDS_KEYS) if not read(key)] == []


def test_every_literal_key_the_code_reads_is_there(content: Content) -> None:
    """``text("sync.ignore")``, ``value(...)``, ``counted(...)``, the CLI's ``said(...)`` with a key
    written out: it is there, in what the app reads or in what the command line reads."""
    cli = load_words(REAL)
    dotted = re.compile(r"^[a-z_]+(\.[a-z_0-9]+)+$")
    missing = []
    for path in APP.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            strings = (arg for arg in node.args if isinstance(arg, ast.Constant))
            keys = [arg.value for arg in strings if isinstance(arg.value, str)]
            if name in {"text", "value", "counted", "said"} and keys and dotted.match(keys[0]):
                try:
                    (cli if keys[0].startswith("cli.") else content).value(keys[0])
                except KeyError:
                    missing.append(f"{path.relative_to(APP.parent)}: {keys[0]}")
    assert missing == []


def _constants(node: ast.expr | None) -> list[str | None]:
    """The values a reason or case argument can take: a string, or either string of an ``if``."""
    if node is None:
        return [None]
    if isinstance(node, ast.Constant):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _constants(node.body) + _constants(node.orelse)
    raise AssertionError(f"a StoreError's reason and case are written as strings, not {ast.unparse(node)}")


def store_errors_raised() -> list[tuple[str, str, str | None, set[str]]]:
    """Every ``StoreError(...)`` in app/: where, its reason, its case, the names of its details."""
    found = []
    for path in sorted(set(APP.rglob("*.py")) - {APP / "store" / "errors.py"}):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "StoreError":
                where = f"{path.relative_to(APP.parent)}:{node.lineno}"
                keywords = {keyword.arg: keyword.value for keyword in node.keywords}
                details = {name for name in keywords if name not in {None, "case"}}
                for reason in _constants(node.args[0]):
                    for case in _constants(keywords.get("case")):
                        found.append((where, str(reason), case, details))
    return found


def test_every_store_error_raised_has_its_sentence_and_its_details(content: Content) -> None:
    raised = store_errors_raised()
    assert len(raised) > 60
    problems = []
    for where, reason, case, details in raised:
        entry = content.value("errors").get(reason)
        sentence = entry.get(case) if isinstance(entry, Mapping) and case else entry
        if not isinstance(sentence, str):
            problems.append(f"{where}: no sentence errors.{reason}{'.' + case if case else ''} in words.toml")
            continue
        fields = (field for _, field, _, _ in Formatter().parse(sentence) if field)
        needed = {field.split(".")[0].split("[")[0] for field in fields}
        if needed - details:
            problems.append(f"{where}: errors.{reason} needs {sorted(needed - details)}")
    assert problems == []


def test_every_sentence_of_a_store_error_is_raised_somewhere(content: Content) -> None:
    raised = {f"{reason}.{case}" if case else reason for _, reason, case, _ in store_errors_raised()}
    written = set()
    for reason, entry in content.value("errors").items():
        written |= {f"{reason}.{case}" for case in entry} if isinstance(entry, Mapping) else {reason}
    assert sorted(written - raised) == []


def test_every_kind_of_record_has_its_noun_in_a_report(content: Content) -> None:
    import app.domain  # noqa: F401  (every kind registered)
    from app.domain.models import KINDS

    nouns = content.value("report.nouns")
    assert sorted(set(KINDS) - set(nouns)) == []
    assert sorted(set(nouns) - set(KINDS) - {"newer"}) == []


def test_content_dir_prefers_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KINTSUGI_CONTENT", str(tmp_path))
    assert content_dir() == tmp_path
    monkeypatch.delenv("KINTSUGI_CONTENT")
    assert content_dir() == REAL


def test_default_load_is_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KINTSUGI_CONTENT", raising=False)
    assert load_content() is load_content()


def _copied_content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(content_dir(), folder)
    return folder


def test_what_the_content_parsed_to_is_kept_and_read_again_while_its_text_is_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, kept = _copied_content(tmp_path), tmp_path / "state"
    kept.mkdir()
    parsed: list[str] = []
    real = content_module.tomllib.loads
    monkeypatch.setattr(content_module.tomllib, "loads", lambda text: parsed.append(text) or real(text))
    first = load_content(folder, kept_in=kept)
    assert parsed and (kept / content_module.KEPT_FILE).is_file()
    parsed.clear()
    again = load_content(folder, kept_in=kept)
    assert again == first and not parsed  # no TOML parsed: what it parsed to was kept
    ui = folder / "ui.toml"
    ui.write_text(ui.read_text(encoding="utf-8").replace('title = "Kintsugi"', 'title = "Kintsugi!"', 1))
    changed = load_content(folder, kept_in=kept)
    assert changed.text("app.title") == "Kintsugi!" and len(parsed) == 1  # ui.toml alone, parsed anew
    parsed.clear()
    assert load_content(folder, kept_in=kept) == changed and not parsed


def test_a_kept_parse_that_cannot_be_read_is_as_none_and_none_is_kept_without_a_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, kept = _copied_content(tmp_path), tmp_path / "state"
    kept.mkdir()
    (kept / content_module.KEPT_FILE).write_text('{"format": 1, "parsed": {"x": [1,')
    expected = load_content(folder)
    assert load_content(folder, kept_in=kept) == expected
    assert json.loads((kept / content_module.KEPT_FILE).read_text())["format"] == 1  # written anew
    assert load_content(folder, kept_in=tmp_path / "not there") == expected  # nothing to write into
    assert not (tmp_path / "not there").exists()
