"""The change history (留痕): every change to plans, activities, units, progress and evidence, with who and when."""

from __future__ import annotations

import datetime as dt
import getpass

from sqlite_utils import Database

from models import clock
from models.records import Change
from models.textnorm import MAX_TEXT


def current_user() -> str:
    """Return the operating-system user name recorded in the history."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some service contexts; the history still records
        return "未知用户"


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def log(
    db: Database,
    entity: str,
    entity_id: int | None,
    action: str,
    *,
    field_name: str = "",
    old: object = None,
    new: object = None,
    plan_id: int | None = None,
    activity_id: int | None = None,
) -> None:
    """Record one change (inside the caller's transaction)."""
    db.execute(
        "INSERT INTO changes (at, user, entity, entity_id, plan_id, activity_id, action, field, old, new)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            clock.timestamp(),
            current_user(),
            entity,
            entity_id,
            plan_id,
            activity_id,
            action,
            field_name,
            _text(old)[:MAX_TEXT],
            _text(new)[:MAX_TEXT],
        ],
    )


def list_changes(
    db: Database, *, plan_id: int | None = None, activity_id: int | None = None, limit: int = 1000
) -> list[Change]:
    """Return recorded changes, newest first, for a plan, an activity or everything."""
    where, args = "1=1", []
    if activity_id is not None:
        where, args = "activity_id = ?", [activity_id]
    elif plan_id is not None:
        where, args = "plan_id = ?", [plan_id]
    rows = db.execute(
        f"SELECT id, at, user, entity, entity_id, plan_id, activity_id, action, field, old, new"
        f" FROM changes WHERE {where} ORDER BY id DESC LIMIT ?",
        [*args, limit],
    ).fetchall()
    return [Change(*row) for row in rows]
