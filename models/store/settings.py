"""Office settings stored in the database (they travel with the file): raw key/value rows."""

from __future__ import annotations

import json

from sqlite_utils import Database

from models.records import STATUSES


def get_setting(db: Database, key: str, default: str = "") -> str:
    """Return an office setting's stored text, or `default`."""
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return str(row[0]) if row else default


def set_setting(db: Database, key: str, value: str) -> None:
    """Store an office setting."""
    with db.atomic():
        db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )


def all_settings(db: Database) -> dict[str, str]:
    """Return every stored setting."""
    return {str(k): str(v) for k, v in db.execute("SELECT key, value FROM settings").fetchall()}


def get_statuses(db: Database) -> list[str]:
    """Return the configured status list (default 未开始/进行中/已完成/已取消)."""
    raw = get_setting(db, "statuses")
    try:
        values = [str(v) for v in json.loads(raw)] if raw else []
    except (ValueError, TypeError):
        values = []
    # The four base statuses drive the lights and summaries, so they are always allowed.
    return list(dict.fromkeys([*STATUSES, *values]))
