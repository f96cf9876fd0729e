"""Activities: the rows of a plan's table with their units, in 序号 order; edits with their history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlite_utils import Database

from models import clock
from models.records import ROLE_COOP, ROLE_LEAD, STATUSES, Activity, Attachment, ProgressEntry
from models.rules import ACTIVITY_FIELDS, DATE_FIELDS, ONE_LINE_LIMIT, UNIT_FIELDS, check_new_activity
from models.store.common import date_or_none, iso_or_none
from models.store.evidence import insert_attachment_row, list_attachments
from models.store.history import log
from models.store.progress import insert_progress_rows, list_progress_entries
from models.store.units import replace_activity_units, write_activity_units
from models.textnorm import MAX_NAME, clean_name, clean_text

_COLUMNS = (
    "id",
    "plan_id",
    "position",
    "name",
    "content",
    "time_text",
    "location",
    "remarks",
    "status",
    "progress",
    "completed_on",
    "completion_notes",
    "planned_start",
    "planned_end",
    "created_at",
    "updated_at",
)


@dataclass
class ActivitySnapshot:
    """Everything needed to put a deleted activity back exactly as it was."""

    activity: Activity
    progress: list[ProgressEntry] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)


def _from_row(row: Sequence[Any]) -> Activity:
    data = dict(zip(_COLUMNS, row, strict=True))
    for name in DATE_FIELDS:
        data[name] = date_or_none(data[name])
    return Activity(**data)


def _units_by_activity(db: Database, where: str, args: list[Any]) -> dict[int, dict[str, list[str]]]:
    result: dict[int, dict[str, list[str]]] = {}
    rows = db.execute(
        "SELECT au.activity_id, au.role, u.name FROM activity_units au JOIN units u ON u.id = au.unit_id"
        f" JOIN activities a ON a.id = au.activity_id WHERE ({where}) AND au.role IN ('lead', 'coop')"
        " ORDER BY au.activity_id, au.role,"
        " au.position",
        args,
    ).fetchall()
    for activity_id, role, name in rows:
        result.setdefault(activity_id, {ROLE_LEAD: [], ROLE_COOP: []})[role].append(name)
    return result


def list_activities(db: Database, plan_id: int) -> list[Activity]:
    """Return a plan's activities in table order, with their units."""
    rows = db.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM activities WHERE plan_id = ? ORDER BY position, id",
        [plan_id],
    ).fetchall()
    units = _units_by_activity(db, "a.plan_id = ?", [plan_id])
    result = []
    for row in rows:
        activity = _from_row(row)
        roles = units.get(activity.id or 0, {})
        activity.lead_units = roles.get(ROLE_LEAD, [])
        activity.coop_units = roles.get(ROLE_COOP, [])
        result.append(activity)
    return result


def get_activity(db: Database, activity_id: int) -> Activity:
    """Return one activity with its units; KeyError if it does not exist."""
    row = db.execute(f"SELECT {', '.join(_COLUMNS)} FROM activities WHERE id = ?", [activity_id]).fetchone()
    if row is None:
        raise KeyError(f"activity {activity_id}")
    activity = _from_row(row)
    roles = _units_by_activity(db, "a.id = ?", [activity_id]).get(activity_id, {})
    activity.lead_units = roles.get(ROLE_LEAD, [])
    activity.coop_units = roles.get(ROLE_COOP, [])
    return activity


def plan_year_of(db: Database, activity_id: int) -> int | None:
    """Return the year of the plan an activity belongs to (None when the plan has no year)."""
    row = db.execute(
        "SELECT p.year FROM activities a JOIN plans p ON p.id = a.plan_id WHERE a.id = ?", [activity_id]
    ).fetchone()
    if row is None:
        raise KeyError(f"activity {activity_id}")
    return int(row[0]) if row[0] is not None else None


def insert_activity_row(db: Database, activity: Activity, *, keep_id: bool = False) -> int:
    """Insert one activity with its units as given; inside the caller's transaction."""
    stamp = clock.timestamp()
    values = {
        "plan_id": activity.plan_id,
        "position": activity.position,
        "name": clean_name(activity.name, MAX_NAME * 2),
        "content": clean_text(activity.content),
        "time_text": clean_name(activity.time_text),
        "location": clean_name(activity.location, ONE_LINE_LIMIT),
        "remarks": clean_text(activity.remarks),
        "status": activity.status or STATUSES[0],
        "progress": int(activity.progress),
        "completed_on": iso_or_none(activity.completed_on),
        "completion_notes": clean_text(activity.completion_notes),
        "planned_start": iso_or_none(activity.planned_start),
        "planned_end": iso_or_none(activity.planned_end),
        "created_at": activity.created_at or stamp,
        "updated_at": stamp,
    }
    if keep_id:
        values = {"id": activity.id, **values}
    cursor = db.execute(
        f"INSERT INTO activities ({', '.join(values)}) VALUES ({', '.join('?' for _ in values)})",
        list(values.values()),
    )
    activity_id = int(activity.id if keep_id and activity.id else cursor.lastrowid or 0)
    write_activity_units(db, activity_id, ROLE_LEAD, activity.lead_units)
    write_activity_units(db, activity_id, ROLE_COOP, activity.coop_units)
    return activity_id


def insert_activity(db: Database, plan_id: int, activity: Activity, position: int | None = None) -> Activity:
    """Insert an activity at a 1-based position (default: the end), renumbering those after it."""
    check_new_activity(activity)
    with db.atomic():
        count = db.execute("SELECT COUNT(*) FROM activities WHERE plan_id = ?", [plan_id]).fetchone()[0]
        pos = count + 1 if position is None else max(1, min(position, count + 1))
        db.execute(
            "UPDATE activities SET position = position + 1 WHERE plan_id = ? AND position >= ?",
            [plan_id, pos],
        )
        activity_id = insert_activity_row(db, replace(activity, id=None, plan_id=plan_id, position=pos))
        log(
            db, "activity", activity_id, "create", new=activity.name, plan_id=plan_id, activity_id=activity_id
        )
    return get_activity(db, activity_id)


def snapshot_activity(db: Database, activity_id: int) -> ActivitySnapshot:
    """Return an activity with its progress log and evidence rows."""
    return ActivitySnapshot(
        get_activity(db, activity_id),
        list_progress_entries(db, activity_id),
        list_attachments(db, activity_id=activity_id),
    )


def delete_activity(db: Database, activity_id: int) -> ActivitySnapshot:
    """Delete an activity, renumber the rest, and return a snapshot for undo."""
    snapshot = snapshot_activity(db, activity_id)
    a = snapshot.activity
    with db.atomic():
        db.execute("DELETE FROM activities WHERE id = ?", [activity_id])
        db.execute(
            "UPDATE activities SET position = position - 1 WHERE plan_id = ? AND position > ?",
            [a.plan_id, a.position],
        )
        log(db, "activity", activity_id, "delete", old=a.name, plan_id=a.plan_id, activity_id=activity_id)
    return snapshot


def restore_children(db: Database, snapshot: ActivitySnapshot) -> None:
    """Put an activity's log entries and evidence rows back; inside the caller's transaction."""
    insert_progress_rows(db, snapshot.progress)
    for att in snapshot.attachments:
        insert_attachment_row(db, att)


def restore_activity(db: Database, snapshot: ActivitySnapshot) -> None:
    """Put a deleted activity back at its position with the same id (undo of delete)."""
    a = snapshot.activity
    with db.atomic():
        db.execute(
            "UPDATE activities SET position = position + 1 WHERE plan_id = ? AND position >= ?",
            [a.plan_id, a.position],
        )
        insert_activity_row(db, a, keep_id=True)
        restore_children(db, snapshot)
        log(db, "activity", a.id, "restore", new=a.name, plan_id=a.plan_id, activity_id=a.id)


def move_activity(db: Database, activity_id: int, new_position: int) -> None:
    """Move an activity to a 1-based position, renumbering the rows in between."""
    a = get_activity(db, activity_id)
    with db.atomic():
        count = db.execute("SELECT COUNT(*) FROM activities WHERE plan_id = ?", [a.plan_id]).fetchone()[0]
        target = max(1, min(new_position, count))
        if target == a.position:
            return
        if target > a.position:
            db.execute(
                "UPDATE activities SET position = position - 1 WHERE plan_id = ? AND position > ?"
                " AND position <= ?",
                [a.plan_id, a.position, target],
            )
        else:
            db.execute(
                "UPDATE activities SET position = position + 1 WHERE plan_id = ? AND position >= ?"
                " AND position < ?",
                [a.plan_id, target, a.position],
            )
        db.execute(
            "UPDATE activities SET position = ?, updated_at = ? WHERE id = ?",
            [target, clock.timestamp(), activity_id],
        )
        log(
            db,
            "activity",
            activity_id,
            "update",
            field_name="position",
            old=a.position,
            new=target,
            plan_id=a.plan_id,
            activity_id=activity_id,
        )


def write_activity_values(db: Database, activity_id: int, values: dict[str, object]) -> dict[str, object]:
    """Write already-normalised field values (all or none), recording each change; return the old values
    of the fields that changed. The rules (models.rules) have checked the values; this only stores them."""
    current = get_activity(db, activity_id)
    olds: dict[str, object] = {}
    with db.atomic():
        for name, new in values.items():
            if name not in ACTIVITY_FIELDS:
                raise KeyError(name)
            old = getattr(current, name)
            if new == old:
                continue
            if name in UNIT_FIELDS:
                role = ROLE_LEAD if name == "lead_units" else ROLE_COOP
                replace_activity_units(db, activity_id, role, new if isinstance(new, list) else [])
                db.execute(
                    "UPDATE activities SET updated_at = ? WHERE id = ?", [clock.timestamp(), activity_id]
                )
            else:
                stored = new.isoformat() if isinstance(new, dt.date) else new
                db.execute(
                    f"UPDATE activities SET {name} = ?, updated_at = ? WHERE id = ?",
                    [stored, clock.timestamp(), activity_id],
                )
            log(
                db,
                "activity",
                activity_id,
                "update",
                field_name=name,
                old=old,
                new=new,
                plan_id=current.plan_id,
                activity_id=activity_id,
            )
            olds[name] = old
    return olds


def count_activities(db: Database) -> int:
    """Return the number of activities in the database."""
    return int(db.execute("SELECT COUNT(*) FROM activities").fetchone()[0])
