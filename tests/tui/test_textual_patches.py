"""Every patch of Textual (app/tui/textual_patches.py) against the Textual installed: the version it
is written for, and the shape of what it relies on; and no private name of Textual's used anywhere
else in app/tui.

A failure here means Textual changed under a patch: read the patch again (what goes wrong without
it, what it relies on) before changing the pin, the patch or this test. What the patches do for the
couple is tested in test_stylesheet.py, test_focus.py and test_returning.py.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import pkgutil
import re
import tomllib
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from textual.app import App
from textual.binding import ActiveBinding, Binding, BindingsMap
from textual.cache import LRUCache
from textual.css.stylesheet import Stylesheet
from textual.events import ScreenResume
from textual.message_pump import MessagePump
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

import app.tui
from app.tui import textual_patches
from app.tui.textual_patches import (
    PATCHES,
    FocusRestylesItself,
    QuietFocus,
    rewrite_bindings,
)
from app.tui.widgets.scroll import ScrollArea

ROOT = Path(__file__).resolve().parents[2]
CHECKED_HERE = {
    "ThemeKeyedStylesheet",
    "QuietFocus",
    "KeepsItsStyles",
    "FooterOnceAFrame",
    "FocusRestylesItself",
    "rewrite_bindings",
    "SizedAtOnce",
    "add_default_styles",
    "holding_updates",
    "DrawsAtOnce",
    "build_out_of_sight",
    "EndsOnceBuilt",
    "rules_hashed_in_c",
}


def parameters(function: Any) -> list[str]:
    return list(inspect.signature(function).parameters)


def source(thing: Any) -> str:
    return inspect.getsource(getattr(thing, "fget", thing))


def pinned_textual() -> str:
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    [pin] = [dependency for dependency in dependencies if dependency.startswith("textual==")]
    return pin.removeprefix("textual==")


def test_every_patch_is_written_for_the_textual_installed_and_pinned() -> None:
    installed = version("textual")
    assert installed == pinned_textual(), "the Textual installed is not the one pyproject.toml pins"
    other = {name: written for name, written in PATCHES.items() if written != installed}
    assert not other, (
        f"Textual {installed} is installed, and these patches are written for another version: {other}. "
        "Read each again in app/tui/textual_patches.py, check what it relies on, then move its version."
    )


def test_every_patch_is_checked_here() -> None:
    assert set(PATCHES) == CHECKED_HERE, "a patch without its check here, or a check without its patch"


def test_the_stylesheet_patch_relies_on_textuals_parse_cache() -> None:
    sheet = Stylesheet(variables={"ink": "red"})
    assert isinstance(sheet._parse_cache, LRUCache)
    assert sheet._variables == {"ink": "red"}
    assert sheet._require_parse is False
    assert sheet._invalid_css == set()
    assert parameters(Stylesheet.set_variables) == ["self", "variables"]
    assert parameters(Stylesheet.reparse) == ["self"] == parameters(Stylesheet.parse)
    sheet.add_source("Static { color: $ink; }", read_from=("", "ours"))
    assert sheet._require_parse is True
    sheet.parse()
    first = sheet.rules
    sheet.parse()
    assert sheet.rules[0] is first[0], "Stylesheet.parse no longer reads through _parse_cache"
    refresh = source(App.refresh_css)
    assert refresh.index("set_variables(") < refresh.index("reparse()")
    assert App().stylesheet.source == {}, "App.__init__ reads styles now: the App cannot swap its stylesheet"
    # What the patch is for: Textual drops every parse when the variables are set again, unchanged.
    sheet.set_variables(dict(sheet._variables))
    assert len(sheet._parse_cache) == 0, (
        "Textual keeps its parses when the variables do not change: ThemeKeyedStylesheet may go "
        "(docs/UPSTREAM.md)"
    )


def reactive_options(declared: Reactive[Any]) -> dict[object, object]:
    return {option[0]: option[1] for option in declared.__rich_repr__()}  # type: ignore[index]


def test_quiet_focus_relies_on_screen_focused_being_a_reactive_that_repaints() -> None:
    textuals, ours = Screen.__dict__["focused"], QuietFocus.__dict__["focused"]
    assert isinstance(textuals, Reactive)
    theirs_options, our_options = reactive_options(textuals), reactive_options(ours)
    differ = {
        name
        for name in theirs_options.keys() | our_options.keys()
        if theirs_options.get(name) != our_options.get(name)
    }
    assert differ == {"repaint"}, (
        f"Screen.focused is declared differently now ({theirs_options}): QuietFocus redeclares it "
        "with only repaint changed, or Textual no longer repaints on focus and QuietFocus may go"
    )
    assert "refresh_bindings" in source(Screen._watch_focused)


def test_keeps_its_styles_relies_on_the_css_update_counts() -> None:
    assert App()._css_update_count == 0
    assert Screen()._css_update_count == -1  # a new screen counts as out of date (what it is for)
    for method in (App._init_mode, App.switch_mode):
        compared = source(method)
        assert "screen._css_update_count != self._css_update_count" in compared
        assert "refresh_css()" in compared
    [refresh_styles] = [field for field in dataclasses.fields(ScreenResume) if field.name == "refresh_styles"]
    assert refresh_styles.default is True
    assert "event.refresh_styles" in source(Screen._on_screen_resume)


def test_the_footer_patch_relies_on_bindings_ready_and_the_bindings_signal() -> None:
    assert isinstance(Footer.__dict__["_bindings_ready"], Reactive)
    assert parameters(Footer.bindings_changed) == ["self", "screen"]
    assert "bindings_updated_signal.subscribe(self, self.bindings_changed)" in source(Footer.on_mount)
    compose = source(Footer.compose)
    assert "if not self._bindings_ready" in compose
    # FooterOnceAFrame._keys compares everything of a binding that compose draws.
    drawn = ("active_bindings", "binding.key", "binding.description", "binding.action", "group", "enabled",
             "tooltip", "get_key_display(binding)", "COMMAND_PALETTE_BINDING")  # fmt: skip
    assert all(name in compose for name in drawn)
    assert ActiveBinding._fields == ("node", "binding", "enabled", "tooltip")
    assert "refresh_bindings" in source(Screen._watch_stack_updates)  # a screen coming back (ScreenResume)
    assert "self.app.screen is self" in source(Screen.is_active.fget)  # on top: not beneath a dialog


def test_a_scroll_areas_focus_relies_on_where_textual_restyles_a_focus_change() -> None:
    assert parameters(Widget.watch_has_focus) == ["self", "_has_focus"]
    assert "self.update_node_styles()" in source(Widget.watch_has_focus)
    assert "walk_children(with_self=True)" in source(App.update_styles)  # why: everything it holds
    assert parameters(Stylesheet.update_nodes) == ["self", "nodes", "animate"]
    assert ScrollArea.watch_has_focus is FocusRestylesItself.watch_has_focus


def test_rewrite_bindings_relies_on_each_nodes_own_bindings_map() -> None:
    class Keys(Widget):
        BINDINGS = [Binding("x", "cross", id="cross"), Binding("y", "why")]

    one, two = Keys(), Keys()
    assert isinstance(one._bindings, BindingsMap)
    assert one._bindings.key_to_bindings is not two._bindings.key_to_bindings
    rewrite_bindings(one, lambda binding: dataclasses.replace(binding, description=binding.id or "-"))
    assert [binding.description for binding in one._bindings.key_to_bindings["x"]] == ["cross"]
    assert [binding.description for binding in one._bindings.key_to_bindings["y"]] == ["-"]
    assert [binding.description for binding in two._bindings.key_to_bindings["x"]] == [""]
    assert Binding.__dataclass_params__.frozen  # type: ignore[attr-defined]
    assert {"id", "description", "show"} <= {field.name for field in dataclasses.fields(Binding)}
    assert "node._bindings" in source(Screen._binding_chain)  # what the footer and the palette read


# -- nowhere else -----------------------------------------------------------------------------


NAMED_TUPLES = {"_replace", "_asdict", "_fields", "_make"}  # a NamedTuple's public API


def private_uses(tree: ast.Module) -> list[tuple[str, str, int]]:
    """(class qualname, private name, line) for each ``self._x``/``super()._x`` in a class, and
    ("", name, line) for ``other._x`` on anything else."""
    found: list[tuple[str, str, int]] = []

    def visit(node: ast.AST, classes: list[str]) -> None:
        if isinstance(node, ast.ClassDef):
            classes = [*classes, node.name]
        elif isinstance(node, ast.Attribute) and re.fullmatch(r"_[A-Za-z]\w*", node.attr):
            value = node.value
            own = isinstance(value, ast.Name) and value.id in {"self", "cls"}
            own |= (
                isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "super"
            )
            if own and classes:
                found.append((".".join(classes), node.attr, node.lineno))
            elif not own and node.attr not in NAMED_TUPLES:
                found.append(("", node.attr, node.lineno))
        for child in ast.iter_child_nodes(node):
            visit(child, classes)

    visit(tree, [])
    return found


@cache
def class_sources(filename: str) -> dict[str, str]:
    """Every class in a module's file, by its qualified name, and its source: one parse a file
    (``inspect.getsource`` parses the whole file again for each class it is asked for)."""
    text = Path(filename).read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    found: dict[str, str] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                qualname = f"{prefix}{child.name}"
                start = min([child.lineno, *(d.lineno for d in child.decorator_list)])
                found[qualname] = "".join(lines[start - 1 : child.end_lineno])
                visit(child, f"{qualname}.")
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, f"{prefix}{child.name}.<locals>.")
            else:
                visit(child, prefix)

    visit(ast.parse(text, filename), "")
    return found


@cache
def names_used_on_self(cls: type) -> frozenset[str]:
    """Each ``x`` in ``self.x`` or ``cls.x`` in the class's own source."""
    source = class_sources(inspect.getsourcefile(cls) or "")[cls.__qualname__]
    return frozenset(re.findall(r"\b(?:self|cls)\.(\w+)", source))


def textual_uses(cls: type, name: str) -> bool:
    return name in vars(cls) or name in names_used_on_self(cls)


def everything_under(cls: type) -> set[type]:
    found = {cls}
    for subclass in cls.__subclasses__():
        found |= everything_under(subclass)
    return found


def test_no_private_name_of_textuals_is_used_outside_the_patches_module() -> None:
    for module in pkgutil.walk_packages(app.tui.__path__, "app.tui."):
        importlib.import_module(module.name)
    problems = []
    for path in sorted((ROOT / "app" / "tui").rglob("*.py")):
        if path == Path(textual_patches.__file__):
            continue
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        module = importlib.import_module(name)
        for qualname, attr, line in private_uses(ast.parse(path.read_text())):
            where = f"{path.relative_to(ROOT)}:{line} {attr}"
            if not qualname:
                problems.append(f"{where} (another object's private name)")
                continue
            cls: Any = module
            for part in qualname.split("."):
                cls = getattr(cls, part)
            bases = {base for used in everything_under(cls) for base in used.__mro__}
            textuals = [base for base in bases if base.__module__.split(".")[0] == "textual"]
            users = sorted(base.__qualname__ for base in textuals if textual_uses(base, attr))
            if users:
                problems.append(f"{where} (Textual's {', '.join(users)} uses it)")
    assert not problems, (
        "Textual's private names used outside app/tui/textual_patches.py; move each patch there, with "
        "the version it is written for, the reason, the upstream issue and its check here:\n"
        + "\n".join(problems)
    )


def test_sized_at_once_relies_on_where_textual_sets_breakpoint_classes() -> None:
    resize = source(Screen._on_resize)
    assert "HORIZONTAL_BREAKPOINTS" in resize and "VERTICAL_BREAKPOINTS" in resize
    assert "self.app.HORIZONTAL_BREAKPOINTS" in resize  # the App's, when the screen has none
    assert Screen.HORIZONTAL_BREAKPOINTS is None and Screen.VERTICAL_BREAKPOINTS is None


def test_add_default_styles_relies_on_a_nodes_default_css_and_add_source() -> None:
    from textual.dom import DOMNode

    assert parameters(DOMNode._get_default_css) == ["self"]
    assert "self._node_bases" in source(DOMNode._get_default_css)  # the class's, nothing of the node's
    wanted = {"css", "read_from", "is_default_css", "tie_breaker", "scope"}
    assert wanted <= set(parameters(Stylesheet.add_source))


def test_holding_updates_relies_on_the_apps_batch_count() -> None:
    assert "self._batch_count += 1" in source(App._begin_batch)
    assert "_batch_count" in source(App._end_batch)
    assert "_begin_batch" in source(App.delay_update)


def test_draws_at_once_relies_on_a_mode_switch_holding_frames_by_delay_update() -> None:
    assert "self.delay_update()" in source(App.switch_mode)
    assert parameters(App.delay_update) == ["self", "delay"]
    assert parameters(textual_patches.DrawsAtOnce.delay_update) == parameters(App.delay_update)


def test_build_out_of_sight_relies_on_how_textual_builds_an_installed_screen() -> None:
    get_screen = source(App._get_screen)
    assert "if not _screen.is_running:" in get_screen  # a running screen is pushed as it is
    assert "self._register(self, _screen)" in get_screen
    assert parameters(App._register)[:3] == ["self", "parent", "widgets"]
    assert "widget._start_messages()" in source(App._register)
    assert "is_screen_installed(screen)" in source(App._replace_screen)  # an installed screen is kept
    pre_process = source(MessagePump._pre_process)  # compose, mount, then the event set
    assert pre_process.index("events.Compose()") < pre_process.index("events.Mount()")
    assert pre_process.index("events.Mount()") < pre_process.index("self._mounted_event.set()")


def test_ends_once_built_relies_on_where_textual_ends_an_app() -> None:
    assert parameters(App._shutdown) == ["self"]
    assert "app._shutdown()" in source(App.run_test) and "app._shutdown()" in source(App.run_async)
    assert "await self._close_all()" in source(App._shutdown)
    close_all = source(App._close_all)  # every stack, the installed screens, then the rest one by one
    assert "self._screen_stacks.values()" in close_all and "self._installed_screens.clear()" in close_all
    assert "list(self._registry)" in close_all
    app = App()
    assert isinstance(app._installed_screens, dict) and isinstance(app._screen_stacks, dict)
    assert app._task is None and "_mounted_event" in vars(MessagePump)
    assert "self._task = create_task(" in source(MessagePump._start_messages)


def test_rules_hashed_in_c_hash_them_as_textual_does_by_identity() -> None:
    from textual.css.model import RuleSet

    assert "return id(self)" in source(textual_patches.TEXTUALS_RULESET_HASH)
    assert RuleSet.__hash__ is object.__hash__
    assert RuleSet.__dataclass_params__.eq  # type: ignore[attr-defined]  # compared by fields: hash by identity
    one, same = RuleSet(), RuleSet()
    assert one == same and hash(one) != hash(same) and {one, same} == {one, same}
    assert len({one, same}) == 2 and one in {one} and same not in {one}
    assert "limit_rules.__contains__" in source(Stylesheet.apply)  # where it is called, once a rule
