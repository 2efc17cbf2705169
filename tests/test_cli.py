"""The ``kintsugi`` command, run in-process with ``main([...])`` and a few times for real."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app import cli
from app.cli import main, printable
from app.store.couple import CoupleStore

# -- helpers ---------------------------------------------------------------------------------


def tables(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def live_fields(path: Path, kind: str) -> list[dict[str, Any]]:
    return [raw["fields"] for raw in tables(path).get(kind, {}).values() if not raw["fields"]["deleted"]]


def partner_ids(path: Path) -> dict[str, str]:
    return {fields["name"]: raw_id for raw_id, fields in _with_ids(path, "partner")}


def _with_ids(path: Path, kind: str) -> list[tuple[str, dict[str, Any]]]:
    return [(record_id, raw["fields"]) for record_id, raw in tables(path).get(kind, {}).items()]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_refused(code: int, err: str) -> None:
    """Exit 2, exactly one line on stderr starting ``kintsugi: ``, no traceback."""
    assert code == 2
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("kintsugi: ")
    assert "Traceback" not in err


@pytest.fixture
def couple(capsys: pytest.CaptureFixture[str], db_path: Path) -> Path:
    """A couple's file for Alex (at this machine) and Sam, made by ``kintsugi init``."""
    code, _, _ = run(
        capsys, "init", "--me", "Alex", "--partner", "Sam", "--plain"
    )  # these tests read the JSON
    assert code == 0
    return db_path


@pytest.fixture
def stranger_machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, this process is a machine that has never opened the couple's file."""
    monkeypatch.setenv("KINTSUGI_LOCAL", str(tmp_path / "stranger" / "local.json"))


# -- printable -------------------------------------------------------------------------------


def test_printable_escapes_control_characters_and_keeps_the_rest() -> None:
    assert printable("plain words, [red] and café 💛") == "plain words, [red] and café 💛"
    assert printable("\x1b[31mred\x1b[0m") == "\\x1b[31mred\\x1b[0m"
    assert printable("a\nb\tc\x00\x7f\x9b") == "a\\x0ab\\x09c\\x00\\x7f\\x9b"
    assert printable("right\u202eto left \ud800") == "right\\u202eto left \\ud800"


# -- version and help --------------------------------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--version")
    assert code == 0
    assert out.startswith("kintsugi 0.1.0")
    assert err == ""


def test_help_works_on_a_subcommand_and_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "celebrate", "--help")
    assert code == 0
    assert "--step" in out and "--db" in out


# -- init ------------------------------------------------------------------------------------


def test_init_creates_the_file_with_both_partners(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    code, out, err = run(capsys, "init", "--me", "Alex", "--partner", "Sam", "--plain")
    assert code == 0 and err == ""
    assert str(db_path) in out and "ready" in out
    assert len(out.splitlines()) == 1
    assert sorted(fields["name"] for fields in live_fields(db_path, "partner")) == ["Alex", "Sam"]
    assert db_path.stat().st_mode & 0o777 == 0o600
    assert CoupleStore(db_path).me.name == "Alex"


def test_init_seals_the_file_by_default_and_shows_the_recovery_code_once(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    code, out, err = run(capsys, "init", "--me", "Alex", "--partner", "Sam")
    assert code == 0 and err == ""
    words = out.split("these words open it again:")[1].split("Write them")[0].split()
    assert len(words) == 12
    assert '"Alex"' not in db_path.read_text() and " ".join(words) not in db_path.read_text()
    assert [p.name for p in CoupleStore(db_path).partners] == ["Alex", "Sam"]
    assert " ".join(words) not in run(capsys, "recovery")[1]  # shown once, kept nowhere


def test_init_twice_is_refused_and_changes_nothing(capsys: pytest.CaptureFixture[str], couple: Path) -> None:
    before = couple.read_bytes()
    code, _, err = run(capsys, "init", "--me", "Kim", "--partner", "Lee")
    assert_refused(code, err)
    assert "already" in err
    assert couple.read_bytes() == before


def test_init_with_as_chooses_who_this_machine_is(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    assert run(capsys, "init", "--me", "Alex", "--partner", "Sam", "--as", "sam")[0] == 0
    assert CoupleStore(db_path).me.name == "Sam"


def test_init_with_blank_or_equal_names_is_refused(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    for argv in (["--me", "  ", "--partner", "Sam"], ["--me", "Alex", "--partner", "alex"]):
        code, _, err = run(capsys, "init", *argv)
        assert_refused(code, err)
    assert not db_path.exists()


def test_options_work_before_and_after_the_subcommand(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first, second = tmp_path / "first" / "couple.json", tmp_path / "second" / "couple.json"
    assert run(capsys, "--db", str(first), "init", "--me", "Alex", "--partner", "Sam", "--plain")[0] == 0
    assert run(capsys, "init", "--me", "Alex", "--partner", "Sam", "--db", str(second), "--plain")[0] == 0
    assert run(capsys, "--db", str(first), "celebrate", "Before")[0] == 0
    assert run(capsys, "celebrate", "After", "--db", str(second))[0] == 0
    assert [f["title"] for f in live_fields(first, "celebration")] == ["Before"]
    assert [f["title"] for f in live_fields(second, "celebration")] == ["After"]


# -- celebrate -------------------------------------------------------------------------------


def test_celebrate_writes_a_celebration(capsys: pytest.CaptureFixture[str], couple: Path) -> None:
    code, out, err = run(
        capsys,
        "celebrate",
        "We talked it through",
        "--note",
        "Tea went cold.",
        "--step",
        "3",
        "--day",
        "2024-05-17",
        "--size",
        "milestone",
    )
    assert code == 0 and err == ""
    assert "We talked it through" in out
    [fields] = live_fields(couple, "celebration")
    assert fields["title"] == "We talked it through"
    assert fields["note"] == "Tea went cold."
    assert fields["step"] == 3
    assert fields["day"] == "2024-05-17"
    assert fields["size"] == "milestone"
    assert fields["edited_by"] == partner_ids(couple)["Alex"]


def test_celebrate_as_the_partner(capsys: pytest.CaptureFixture[str], couple: Path) -> None:
    assert run(capsys, "--as", "SAM", "celebrate", "Sam's turn")[0] == 0
    [(record_id, _)] = _with_ids(couple, "celebration")
    assert tables(couple)["celebration"][record_id]["author"] == partner_ids(couple)["Sam"]


@pytest.mark.parametrize(
    "argv",
    [
        ["celebrate", ""],
        ["celebrate", "   "],
        ["celebrate", "x", "--step", "12"],
        ["celebrate", "x", "--step", "two"],
        ["celebrate", "x", "--day", "2024-13-01"],
        ["celebrate", "x", "--size", "huge"],
        ["celebrate", "x", "--bogus"],
        ["celebrate", "x", "--as", "Bob"],
        ["celebrate", "x" * 301],
        ["celebrate"],
        ["agree", "  "],
        ["agree", "x", "--list", " "],
        ["agree", "x", "--as", "Bob"],
        ["checkin", "9"],
        ["checkin", "0"],
        ["checkin", "four"],
        ["checkin", "4", "--as", "Bob"],
        ["frobnicate"],
    ],
)
def test_bad_input_is_one_line_and_leaves_the_file_alone(
    capsys: pytest.CaptureFixture[str], couple: Path, argv: list[str]
) -> None:
    before = couple.read_bytes()
    code, out, err = run(capsys, *argv)
    assert_refused(code, err)
    assert out == ""
    assert couple.read_bytes() == before


def test_argparse_errors_keep_usage_out(capsys: pytest.CaptureFixture[str], couple: Path) -> None:
    code, _, err = run(capsys, "checkin", "9")
    assert_refused(code, err)
    assert "usage" not in err
    assert "1 to 5" in err


def test_unknown_partner_names_the_real_ones(capsys: pytest.CaptureFixture[str], couple: Path) -> None:
    code, _, err = run(capsys, "--as", "Bob", "checkin", "3")
    assert_refused(code, err)
    assert "Bob" in err and "Alex" in err and "Sam" in err


# -- agree -----------------------------------------------------------------------------------


def test_agree_proposes_an_unsigned_agreement_and_prints_its_short_id(
    capsys: pytest.CaptureFixture[str], couple: Path
) -> None:
    code, out, err = run(capsys, "agree", "Phones stay in the hall at dinner.", "--list", "Evenings")
    assert code == 0 and err == ""
    [(agreement_id, fields)] = _with_ids(couple, "agreement")
    assert agreement_id[:8] in out
    assert fields["text"] == "Phones stay in the hall at dinner."
    assert not any(name.startswith("signature.") for name in fields)  # proposed: nobody has signed yet
    [agreement_list] = live_fields(couple, "agreement_list")
    assert agreement_list["name"] == "Evenings"
    assert fields["list_id"] in tables(couple)["agreement_list"]


def test_agree_without_a_list_uses_the_default_one(capsys: pytest.CaptureFixture[str], couple: Path) -> None:
    assert run(capsys, "agree", "No big decisions after ten at night.")[0] == 0
    assert [f["name"] for f in live_fields(couple, "agreement_list")] == ["Our agreements"]


# -- checkin ---------------------------------------------------------------------------------


def test_checkin_writes_todays_checkin(capsys: pytest.CaptureFixture[str], couple: Path) -> None:
    code, out, err = run(capsys, "checkin", "4", "--mood", "hopeful", "--note", "A gentle evening.")
    assert code == 0 and err == ""
    assert "4 of 5" in out
    [fields] = live_fields(couple, "checkin")
    assert fields["connection"] == 4
    assert fields["mood"] == "hopeful"
    assert fields["note"] == "A gentle evening."
    assert fields["partner"] == partner_ids(couple)["Alex"]


def test_checking_in_again_the_same_day_changes_the_checkin(
    capsys: pytest.CaptureFixture[str], couple: Path
) -> None:
    assert run(capsys, "checkin", "2")[0] == 0
    code, out, _ = run(capsys, "checkin", "5")
    assert code == 0 and "Updated" in out
    assert [f["connection"] for f in live_fields(couple, "checkin")] == [5]


# -- who is writing --------------------------------------------------------------------------


def test_a_machine_without_identity_must_say_who_it_is(
    capsys: pytest.CaptureFixture[str], couple: Path, stranger_machine: None
) -> None:
    before = couple.read_bytes()
    code, _, err = run(capsys, "checkin", "3")
    assert_refused(code, err)
    assert "--as NAME" in err
    assert couple.read_bytes() == before

    code, _, err = run(capsys, "checkin", "3", "--as", "sam")
    assert code == 0 and "remember" in err  # a word on the side: stdout is the command's own
    assert run(capsys, "celebrate", "No --as needed now")[0] == 0
    sam = partner_ids(couple)["Sam"]
    assert [f["edited_by"] for f in live_fields(couple, "celebration")] == [sam]


@pytest.mark.parametrize("command", [["agreements", "--json"], ["export", "--format", "json"], ["sync"]])
def test_as_on_a_command_that_only_reads_remembers_too(
    capsys: pytest.CaptureFixture[str],
    couple: Path,
    stranger_machine: None,
    tmp_path: Path,
    command: list[str],
) -> None:
    """`--help` says --as tells this machine which of you it is: for every command."""
    if command == ["sync"]:
        copy = tmp_path / "handed" / "couple.json"
        copy.parent.mkdir()
        copy.write_bytes(couple.read_bytes())
        command = ["sync", str(copy)]
    code, out, err = run(capsys, "--as", "Sam", *command)
    assert code == 0 and "This machine will remember that you are Sam." in err
    if "--json" in command or "json" in command:
        json.loads(out)  # stdout is only the command's output
    assert run(capsys, "checkin", "4")[0] == 0  # no --as needed now
    sam = partner_ids(couple)["Sam"]
    assert [f["partner"] for f in live_fields(couple, "checkin")] == [sam]


def test_as_does_not_change_who_a_known_machine_is(capsys: pytest.CaptureFixture[str], couple: Path) -> None:
    assert run(capsys, "--as", "Sam", "checkin", "3")[0] == 0
    assert CoupleStore(couple).me.name == "Alex"


# -- damaged and missing files --------------------------------------------------------------

DAMAGED = {
    "not JSON": '{"partner": {',
    "wrong shape": '{"partner": [1, 2]}',
    "JSON but not ours": '{"something": {"else": {}}}',
    "empty": "",
    "not UTF-8": b"\xff\xfe\x00garbage",
}


@pytest.mark.parametrize("command", [["check"], ["celebrate", "x"], ["agree", "x"], ["checkin", "3"]])
@pytest.mark.parametrize("content", DAMAGED.values(), ids=DAMAGED.keys())
def test_a_damaged_file_is_reported_and_never_written(
    capsys: pytest.CaptureFixture[str], db_path: Path, command: list[str], content: str | bytes
) -> None:
    db_path.parent.mkdir(parents=True)
    if isinstance(content, bytes):
        db_path.write_bytes(content)
    else:
        db_path.write_text(content, encoding="utf-8")
    before = db_path.read_bytes()
    code, out, err = run(capsys, *command, "--as", "Alex")
    assert_refused(code, err)
    assert out == ""
    assert db_path.read_bytes() == before


@pytest.mark.parametrize("command", [["check"], ["celebrate", "x"], ["agree", "x"], ["checkin", "3"]])
def test_a_missing_file_says_how_to_start(
    capsys: pytest.CaptureFixture[str], db_path: Path, command: list[str]
) -> None:
    code, _, err = run(capsys, *command)
    assert_refused(code, err)
    assert f"{db_path} does not exist yet" in err
    assert "kintsugi init --me NAME --partner NAME" in err
    assert not db_path.exists()


def test_a_folder_as_db_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "--db", str(tmp_path), "check")
    assert_refused(code, err)
    assert "folder" in err


# -- check -----------------------------------------------------------------------------------


def test_check_on_a_good_file(capsys: pytest.CaptureFixture[str], couple: Path) -> None:
    run(capsys, "celebrate", "One")
    code, out, err = run(capsys, "check")
    assert code == 0 and err == ""
    assert out.strip() == f"{couple}: OK, 3 records, partners Alex and Sam"


def test_check_lists_a_damaged_record(capsys: pytest.CaptureFixture[str], couple: Path) -> None:
    run(capsys, "celebrate", "One")
    data = tables(couple)
    [record_id] = data["celebration"]
    data["celebration"][record_id]["stamps"]["day"] = "not a stamp"
    couple.write_text(json.dumps(data), encoding="utf-8")
    before = couple.read_bytes()

    code, out, err = run(capsys, "check")
    assert code == 2 and err == ""
    header, problem = out.splitlines()
    assert header.startswith(f"{couple}: 1 problem")
    assert f"celebration {record_id[:8]}" in problem and "stamps" in problem
    assert couple.read_bytes() == before


def test_text_from_the_file_is_printed_escaped(capsys: pytest.CaptureFixture[str], couple: Path) -> None:
    code, out, _ = run(capsys, "celebrate", "evil \x1b]0;pwned\x07 title")
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out
    assert "\\x1b]0;pwned\\x07" in out


# -- the TUI and Ctrl+C ----------------------------------------------------------------------


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[tuple[CoupleStore, str | None]]:
    calls: list[tuple[CoupleStore, str | None]] = []
    monkeypatch.setattr(cli, "launch_tui", lambda store, acting=None: calls.append((store, acting)))
    return calls


def test_no_command_opens_the_tui_on_a_new_file(
    capsys: pytest.CaptureFixture[str], db_path: Path, launched: list[tuple[CoupleStore, str | None]]
) -> None:
    code, out, err = run(capsys)
    assert (code, out, err) == (0, "", "")
    [(store, acting)] = launched
    assert store.path == db_path and acting is None
    assert not db_path.exists()


def test_no_command_passes_the_acting_partner(
    capsys: pytest.CaptureFixture[str], couple: Path, launched: list[tuple[CoupleStore, str | None]]
) -> None:
    assert run(capsys, "--as", "sam")[0] == 0
    [(store, acting)] = launched
    assert acting == partner_ids(couple)["Sam"]
    assert store.path == couple


def test_no_command_reports_a_damaged_file_instead_of_opening_the_tui(
    capsys: pytest.CaptureFixture[str], db_path: Path, launched: list[tuple[CoupleStore, str | None]]
) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_text("[not json", encoding="utf-8")
    code, _, err = run(capsys)
    assert_refused(code, err)
    assert "not valid JSON" in err
    assert launched == []


def test_ctrl_c_exits_130_quietly(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(store: CoupleStore, acting: str | None = None) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "launch_tui", interrupted)
    assert run(capsys) == (130, "", "")


def test_an_unexpected_error_is_one_line_too(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(store: CoupleStore, acting: str | None = None) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "launch_tui", broken)
    code, _, err = run(capsys)
    assert code == 1
    assert len(err.splitlines()) == 1 and err.startswith("kintsugi: ") and "boom" in err


# -- for real, in a subprocess ---------------------------------------------------------------


def kintsugi(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *argv],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        cwd=Path(__file__).resolve().parent.parent,
        timeout=60,
        check=False,
    )


def test_the_real_command_end_to_end(db_path: Path) -> None:
    assert kintsugi("--version").stdout.startswith("kintsugi 0.1.0")
    made = kintsugi("init", "--me", "Alex", "--partner", "Sam")
    assert made.returncode == 0, made.stderr
    assert kintsugi("celebrate", "First walk in months", "--step", "3").returncode == 0
    before = db_path.read_bytes()

    for argv in (["checkin", "9"], ["celebrate", "x", "--step", "12"], ["--as", "Bob", "checkin", "3"]):
        refused = kintsugi(*argv)
        assert refused.returncode == 2
        assert refused.stdout == ""
        assert len(refused.stderr.splitlines()) == 1 and refused.stderr.startswith("kintsugi: ")
        assert "Traceback" not in refused.stderr
    assert db_path.read_bytes() == before

    checked = kintsugi("check")
    assert checked.returncode == 0 and "OK, 3 records" in checked.stdout


def test_the_real_command_on_a_damaged_file(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_text("{oops", encoding="utf-8")
    for argv in ([], ["check"]):
        result = kintsugi(*argv)
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("kintsugi: ")
        assert "Traceback" not in result.stderr


def test_importing_the_cli_does_not_import_textual() -> None:
    code = "import app.cli, sys; print('textual' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        check=True,
    )
    assert result.stdout.strip() == "False"


def test_the_parser_reads_its_words_only_when_its_help_is_shown(
    monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    read: list[str] = []
    real = cli.said
    monkeypatch.setattr(cli, "said", lambda key, **fmt: read.append(key) or real(key, **fmt))
    args = cli.build_parser().parse_args(["--db", "couple.json"])  # what opening the TUI parses
    assert args.command is None and not read  # cli.toml not read for it
    assert cli.main(["celebrate", "--help"]) == 0
    shown = capsys.readouterr().out
    assert real("cli.arguments.title") in shown and "cli.arguments" not in shown
    assert "cli.arguments.title" in read


def test_the_collector_is_off_while_the_app_loads_and_on_for_a_command() -> None:
    """Off while ``python -m app`` (and ``kintsugi``) load their modules; back on for a command."""
    code = (
        "import gc, sys; import app.__main__ as start; loading = gc.isenabled(); "
        "start.main(['check', '--db', sys.argv[1]]); print(loading, gc.isenabled())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "/nonexistent/couple.json"],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        cwd=Path(__file__).resolve().parent.parent,
        timeout=60,
        check=False,
    )
    assert done.stdout.split() == ["False", "True"], done.stderr
