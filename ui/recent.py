"""The recently opened database files (window state, kept in QSettings)."""

from __future__ import annotations

from PySide6.QtCore import QSettings

MAX_RECENT = 8


def recent_databases(settings: QSettings) -> list[str]:
    """Return the recently opened database files, newest first."""
    value = settings.value("recent", [])
    items = [value] if isinstance(value, str) else list(value or [])  # type: ignore[call-overload]
    return [str(v) for v in items if v]


def remember_database(settings: QSettings, path: str) -> None:
    """Put a database first in the recent list."""
    items = [path] + [p for p in recent_databases(settings) if p != path]
    settings.setValue("recent", items[:MAX_RECENT])
