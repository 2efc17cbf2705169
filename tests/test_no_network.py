"""No network, anywhere: the whole flow runs with outgoing connections and name lookups forbidden."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from app.cli import main


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise NetworkUsed(f"Kintsugi tried to use the network: {args!r}")

    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse)
    for name in ("getaddrinfo", "gethostbyname", "create_connection"):
        monkeypatch.setattr(socket, name, refuse)


async def test_whole_flow_without_network(no_network, db_path: Path, capsys, make_app) -> None:
    with pytest.raises(NetworkUsed):  # the guard is on
        socket.socket().connect(("127.0.0.1", 9))
    assert main(["init", "--me", "Alex", "--partner", "Sam"]) == 0
    assert main(["celebrate", "We made it through the week", "--step", "1"]) == 0
    assert main(["agree", "Phones away at dinner"]) == 0
    assert main(["checkin", "4", "--mood", "hopeful"]) == 0
    assert main(["check"]) == 0
    capsys.readouterr()
    from app.store.couple import CoupleStore

    app = make_app(CoupleStore(db_path))
    async with app.run_test(size=(120, 40)) as pilot:
        for key in ("3", "p", "d", "w", "question_mark", "escape", "d"):
            await pilot.press(key)
            await pilot.pause()
    assert "We made it through the week" not in db_path.read_text()  # sealed, and no network needed for it
    assert [c.title for c in CoupleStore(db_path).celebrations()] == ["We made it through the week"]
