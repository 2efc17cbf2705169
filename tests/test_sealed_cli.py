"""Two machines at the command line: a sealed notebook, joining, letting in, sealing, recovering."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from app.cli import main

SECRET = "Gingerbread-Harbour"


@pytest.fixture
def at(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """Run a command at one of two machines (each its own local file): at("alex", "celebrate", "x")."""

    def run(who: str, *argv: str, stdin: str | None = None) -> tuple[int, str, str]:
        monkeypatch.setenv("KINTSUGI_LOCAL", str(tmp_path / f"{who}-machine" / "local.json"))
        if stdin is not None:
            monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def words_in(text: str) -> str:
    """The line of words a machine is named by, from a command's output."""
    return re.search(r"^    ((?:[a-z]+ ){5}[a-z]+)$", text, re.M)[1]


def test_two_machines_from_init_to_a_signature_that_verifies(at, db_path: Path) -> None:
    code, out, _ = at("alex", "init", "--me", "Alex", "--partner", "Sam")
    assert code == 0 and "It is sealed" in out and "Kintsugi keeps them nowhere" in out
    assert at("alex", "celebrate", f"Our {SECRET}")[0] == 0
    assert SECRET not in db_path.read_text() and '"Alex"' not in db_path.read_text()

    code, _, err = at("sam", "--as", "Sam", "celebrate", "Sam's")
    assert code == 2 and "has not been let in yet" in err and "kintsugi join" in err
    code, out, _ = at("sam", "join")
    assert code == 0 and "asks to be let in" in out
    sams_words = words_in(out)

    code, out, _ = at("alex", "machines")
    assert code == 0 and f"Waiting to be let in: {sams_words}" in out
    code, _, err = at("alex", "admit", "zebra", "zebra", "--for", "Sam")
    assert code == 2 and "no machine waiting" in err
    code, out, _ = at("alex", "admit", *sams_words.split()[:2], "--for", "Sam")
    assert code == 0 and "Let in Sam's machine" in out

    code, _, err = at("sam", "--as", "Sam", "celebrate", "Sam's own")
    assert code == 0, err
    code, out, _ = at("sam", "machines")
    assert f"This machine (Sam's): {sams_words}" in out and "Alex's machine:" in out

    at("alex", "agree", "We rest on Sundays")
    agreement_id = json.loads(at("alex", "agreements", "--json")[1])[0]["id"][:8]
    at("alex", "sign", agreement_id)
    at("alex", "--as", "Sam", "sign", agreement_id)  # together at Alex's keyboard
    (row,) = json.loads(at("sam", "agreements", "--json")[1])
    assert row["signatures"] == {"Alex": "own machine", "Sam": "together at Alex's keyboard"}
    at("sam", "sign", agreement_id)  # Sam confirms from her own machine
    (row,) = json.loads(at("alex", "agreements", "--json")[1])
    assert row["signatures"] == {"Alex": "own machine", "Sam": "own machine"}
    code, out, _ = at("alex", "agreements")
    assert "signed: Alex, Sam" in out


def test_a_plain_notebook_is_sealed_once_both_machines_are_known(at, db_path: Path) -> None:
    at("alex", "init", "--me", "Alex", "--partner", "Sam", "--plain")
    assert "Alex" in db_path.read_text()
    code, _, err = at("alex", "encrypt")
    assert code == 2 and "Sam's Kintsugi could not open a sealed file yet" in err
    at("sam", "--as", "Sam", "celebrate", f"Sam's {SECRET}")  # Sam's machine publishes its keys
    code, _, err = at("alex", "encrypt")
    assert code == 2 and "compared that machine's words" in err
    sams_words = next(
        line.split(": ", 1)[1]
        for line in at("alex", "machines")[1].splitlines()
        if line.startswith("Waiting to be let in")
    )
    assert sams_words == words_in_line(at("sam", "machines")[1])
    at("alex", "admit", *sams_words.split()[:3], "--for", "Sam")
    code, out, _ = at("alex", "encrypt")
    assert code == 0 and "Sealed" in out and "these words open it" in out
    assert SECRET not in db_path.read_text() and '"Alex"' not in db_path.read_text()
    code, out, err = at("sam", "celebrate", "Sam, after sealing")
    assert code == 0, err
    code, _, err = at("alex", "encrypt")
    assert code == 2 and "sealed already" in err


def words_in_line(text: str) -> str:
    return next(line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("This machine"))


def test_recovery_at_a_new_machine(at, db_path: Path) -> None:
    code, out, _ = at("alex", "init", "--me", "Alex", "--partner", "Sam")
    recovery = " ".join(out.split("these words open it again:")[1].split("Write them")[0].split())
    assert len(recovery.split()) == 12
    at("alex", "celebrate", "Kept safe")
    code, _, err = at("new-laptop", "--as", "Alex", "join", "--recovery", stdin="wrong words entirely\n")
    assert code == 2 and "does not open" in err
    code, out, err = at("new-laptop", "--as", "Alex", "join", "--recovery", stdin=recovery + "\n")
    assert code == 0, err
    code, out, _ = at("new-laptop", "export", "--format", "json")
    assert code == 0
    code, out, _ = at("new-laptop", "recovery")
    assert "kintsugi join --recovery" in out


def test_the_json_export_of_a_sealed_notebook_is_sealed(at, db_path: Path, tmp_path: Path) -> None:
    at("alex", "init", "--me", "Alex", "--partner", "Sam")
    at("alex", "celebrate", f"Our {SECRET}")
    code, out, _ = at("alex", "export", "--format", "json", "-o", str(tmp_path / "us.json"))
    assert code == 0 and "sealed like your notebook" in out
    assert SECRET not in (tmp_path / "us.json").read_text()
    code, out, _ = at("alex", "export", "--open", str(tmp_path / "us.json"))
    assert code == 0 and SECRET in out
    code, out, _ = at("alex", "export", "-o", str(tmp_path / "us.md"))
    assert code == 0 and "plain text, meant to be read" in out and SECRET in (tmp_path / "us.md").read_text()
