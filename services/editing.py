"""Editing an activity: the status rule, normalisation, the diff and the write with its history — once.

The window's table, its detail panel, imports and returned reports all go through here. The window
asks `prepare_edit` what would change (and shows a refused value's message), then pushes an undo
command whose redo/undo call `write`.
"""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from models import clock, rules, store
from models.records import Activity


def prepare_edit(
    db: Database,
    activity: Activity,
    values: dict[str, object],
    *,
    plan_year: int | None,
    today: dt.date | None = None,
    status_rule: bool = True,
) -> dict[str, object]:
    """Return the normalised values that differ from `activity` (empty when nothing changes).

    With `status_rule` a new status brings the values it implies (已完成 → 100 % and today's date unless
    set) for the fields the caller did not give. Raises ValidationError with a Chinese message.
    """
    if status_rule and "status" in values:
        implied = rules.status_change_values(activity, str(values["status"]), today or clock.today())
        values = {**implied, **values}
    statuses = store.get_statuses(db)
    changed: dict[str, object] = {}
    for key, raw in values.items():
        new = rules.normalise_activity_value(key, raw, statuses, plan_year)
        if new != getattr(activity, key):
            changed[key] = new
    return changed


def write(db: Database, activity_id: int, changes: dict[str, object]) -> dict[str, object]:
    """Store prepared changes in one transaction with their history; return the old values (for undo)."""
    return store.write_activity_values(db, activity_id, changes)


def set_activity_fields(db: Database, activity_id: int, values: dict[str, object]) -> dict[str, object]:
    """Change fields of an activity from raw values (validated, normalised, diffed, written once, all or
    none); return the old values of the fields that changed. No status rule: the values are as given."""
    activity = store.get_activity(db, activity_id)
    changes = prepare_edit(
        db, activity, values, plan_year=store.plan_year_of(db, activity_id), status_rule=False
    )
    return write(db, activity_id, changes) if changes else {}


def set_activity_field(db: Database, activity_id: int, name: str, value: object) -> tuple[object, object]:
    """Change one field from a raw value; return (old, new) as stored."""
    olds = set_activity_fields(db, activity_id, {name: value})
    new = getattr(store.get_activity(db, activity_id), name)
    return olds.get(name, new), new
