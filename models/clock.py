"""The one clock: what "today" and "now" are for lights, history, backups and exports.

Everything asks this module instead of `datetime` so that a test, a benchmark or the command line's
`--today` can fix the date for the whole program in one place (`use(FixedClock(...))`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator


class Clock:
    """The system clock (local time, as the clerk's PC shows it)."""

    def now(self) -> dt.datetime:
        """Return the current local date and time."""
        return dt.datetime.now()

    def today(self) -> dt.date:
        """Return today's date."""
        return self.now().date()


class FixedClock(Clock):
    """A clock standing on one day (the time of day still runs, so timestamps stay ordered)."""

    def __init__(self, day: dt.date) -> None:
        self.day = day

    def now(self) -> dt.datetime:
        """Return the fixed day with the current time of day."""
        return dt.datetime.combine(self.day, dt.datetime.now().time())

    def today(self) -> dt.date:
        """Return the fixed day."""
        return self.day


_current: Clock = Clock()


def current() -> Clock:
    """Return the clock in use."""
    return _current


def install(clock: Clock) -> Clock:
    """Use `clock` from now on; return the one it replaces."""
    global _current
    previous, _current = _current, clock
    return previous


@contextlib.contextmanager
def use(clock: Clock) -> Iterator[Clock]:
    """Use `clock` inside a `with` block (tests, `--today`)."""
    previous = install(clock)
    try:
        yield clock
    finally:
        install(previous)


def today() -> dt.date:
    """Return today's date by the clock in use."""
    return _current.today()


def now() -> dt.datetime:
    """Return the current date and time by the clock in use."""
    return _current.now()


def timestamp() -> str:
    """Return now as stored in the database (ISO, seconds)."""
    return _current.now().isoformat(timespec="seconds")
