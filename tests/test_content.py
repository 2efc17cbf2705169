"""The product's words load, validate and format as the screens expect."""

from __future__ import annotations

import datetime
import re
import shutil
from pathlib import Path

import pytest

from app.content import Content, ContentError, content_dir, load_content

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
    assert slugs[0] == "acknowledge" and slugs[-1] == "celebrate"


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
    message = content.text("errors.disk_full", path="/tmp/couple.json")
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
        "\n".join(line for line in text.splitlines() if not line.startswith("disk_full")), encoding="utf-8"
    )
    with pytest.raises(ContentError, match=r"ui\.toml.*errors\.disk_full"):
        load_content(copy)


def test_content_dir_prefers_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KINTSUGI_CONTENT", str(tmp_path))
    assert content_dir() == tmp_path
    monkeypatch.delenv("KINTSUGI_CONTENT")
    assert content_dir() == REAL


def test_default_load_is_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KINTSUGI_CONTENT", raising=False)
    assert load_content() is load_content()
