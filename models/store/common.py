"""Small conversions shared by the store's modules."""

from __future__ import annotations

import datetime as dt


def date_or_none(value: object) -> dt.date | None:
    """Read a stored ISO date ('' or NULL or a damaged value → None)."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def iso_or_none(value: dt.date | None) -> str | None:
    """Store a date as ISO text (None stays NULL)."""
    return value.isoformat() if value else None
