"""A hybrid logical clock whose stamps are plain strings that sort correctly.

A stamp reads ``WWWWWWWWWWWWW-CCCC-REPLICA``: wall-clock milliseconds (13 digits),
a counter (4 hex digits) for events within one millisecond or while the wall
clock lags behind a stamp already seen, and the replica id that made it.
Comparing two stamps as strings compares them as (wall, counter, replica), so
every stamp ever made is unique and totally ordered, and a clock never hands
out a stamp lower than one it has made or observed, even when the machine's
clock is set back.

A stamp holds at most 13 digits of milliseconds, which runs out in the year
2286. A clock that says it is later than that (or a counter that would carry
past it) gets a ``ClockError`` rather than a stamp that would not sort.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import time
from collections.abc import Callable, Iterable

STAMP_RE = re.compile(r"^(\d{13})-([0-9a-f]{4})-([0-9a-z]{1,32})$")
REPLICA_RE = re.compile(r"^[0-9a-z]{1,32}$")
_MAX_COUNTER = 0xFFFF
MAX_WALL_MS = 10**13 - 1  # 2286-11-20: the last millisecond 13 digits can hold


class ClockError(ValueError):
    """A stamp or replica id that does not have the expected form, or a time no stamp can hold."""


class ClockTooFarAhead(ClockError):
    """The machine's clock (or a stamp it observed) is past what a stamp can hold."""

    def __init__(self, wall_ms: int) -> None:
        super().__init__(f"no stamp can hold the time {wall_ms} ms")
        self.wall_ms = wall_ms


def new_replica_id() -> str:
    """A fresh random replica id for a machine that has none yet."""
    return secrets.token_hex(6)


def parse_stamp(stamp: str) -> tuple[int, int, str]:
    match = STAMP_RE.match(stamp)
    if match is None:
        raise ClockError(f"not a clock stamp: {stamp[:40]!r}")
    return int(match[1]), int(match[2], 16), match[3]


def is_stamp(value: object) -> bool:
    return isinstance(value, str) and STAMP_RE.match(value) is not None


def all_stamps(values: Iterable[object]) -> bool:
    """True if every value is a clock stamp.

    A merge checks tens of thousands, and a record's fields mostly share a few
    stamps: each distinct one is matched once, in C.
    """
    try:
        return all(map(STAMP_RE.match, set(values)))
    except TypeError:  # a value that is not text
        return False


def format_stamp(wall_ms: int, counter: int, replica: str) -> str:
    return f"{wall_ms:013d}-{counter:04x}-{replica}"


def stamp_wall_ms(stamp: str) -> int:
    return parse_stamp(stamp)[0]


def stamp_day(stamp: str) -> dt.date | None:
    """The local day a clock stamp was made on (None for a stamp that is not one)."""
    try:
        return dt.datetime.fromtimestamp(stamp_wall_ms(stamp) / 1000).date()
    except (ClockError, OverflowError, OSError, ValueError):
        return None


def twin_stamp(stamp: str) -> str | None:
    """The stamp beside ``stamp`` where history keeps a second value written under the same stamp.

    Its replica id gains a ``z``: replica ids Kintsugi makes are hexadecimal,
    so no machine ever stamps with it. None once the id has 32 characters.
    """
    return stamp + "z" if len(replica_of(stamp)) < 32 else None


def replica_of(stamp: str) -> str:
    """The replica id a stamp ends with (the machine that made it)."""
    return stamp.rpartition("-")[2]


class HybridClock:
    """Makes stamps for one replica; never goes backwards."""

    def __init__(self, replica: str, now_ms: Callable[[], int] | None = None) -> None:
        if not REPLICA_RE.match(replica):
            raise ClockError(f"not a replica id: {replica[:40]!r}")
        self.replica = replica
        self._now_ms = now_ms or (lambda: time.time_ns() // 1_000_000)
        self._wall = 0
        self._counter = 0

    @property
    def last(self) -> str:
        return format_stamp(self._wall, self._counter, self.replica)

    def tick(self) -> str:
        """A new stamp, greater than every stamp made or observed so far.

        Raises ``ClockTooFarAhead`` (and changes nothing) when that stamp would
        need a 14th digit.
        """
        now = self._now_ms()
        if now > self._wall:
            wall, counter = now, 0
        elif self._counter < _MAX_COUNTER:
            wall, counter = self._wall, self._counter + 1
        else:  # 65,536 events in one millisecond: borrow the next one.
            wall, counter = self._wall + 1, 0
        if wall > MAX_WALL_MS:
            raise ClockTooFarAhead(wall)
        self._wall, self._counter = wall, counter
        return self.last

    def observe(self, stamp: str) -> None:
        """Take note of a stamp read from elsewhere (a file, a partner's copy)."""
        wall, counter, _ = parse_stamp(stamp)
        if (wall, counter) > (self._wall, self._counter):
            self._wall, self._counter = wall, counter
