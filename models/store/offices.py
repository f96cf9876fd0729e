"""Roll-up tables: reporting offices and group members, rollouts, returns, per-office status, upper templates.

An office (下级单位) is a unit of the directory that returns its own progress; a group (各县市区局) is a
unit whose members carry out what is assigned to it. Each office's values of an activity live apart
from the activity's own, so that one office's return never overwrites another office's part.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from models import clock
from models.records import STATUS_NOT_STARTED, Unit
from models.store.common import date_or_none, iso_or_none
from models.store.history import log
from models.store.units import get_unit


@dataclass
class OfficeValues:
    """What one office reported for one activity."""

    activity_id: int
    office_id: int
    status: str = STATUS_NOT_STARTED
    progress: int = 0
    completed_on: dt.date | None = None
    completion_notes: str = ""
    return_id: int | None = None
    updated_at: str = ""


@dataclass
class Rollout:
    """One template sent to one office."""

    id: int
    plan_id: int
    office_id: int
    version: int
    sent_at: str
    deadline: str
    file_name: str


@dataclass
class OfficeReturn:
    """A returned file as it was received (kept even once a later return replaces it)."""

    id: int | None
    plan_id: int
    office_id: int
    file_name: str
    sha256: str
    received_at: str = ""
    version: int | None = None
    filled_by: str = ""
    phone: str = ""
    filled_on: str = ""
    rows: list[dict[str, Any]] = field(default_factory=list)
    replaced_by: int | None = None


@dataclass
class PlanKey:
    """The roll-up identity of a plan: a uid no other database shares, the template version and deadline."""

    plan_id: int
    uid: str
    version: int
    fingerprint: str
    deadline: str


# ---------------------------------------------------------------- offices and groups


def office_ids(db: Database) -> set[int]:
    """Return the ids of the units that report (下级单位)."""
    return {int(r[0]) for r in db.execute("SELECT unit_id FROM offices").fetchall()}


def set_office(db: Database, unit_id: int, reports: bool) -> None:
    """Mark a unit as reporting or not, recording the change."""
    get_unit(db, unit_id)  # KeyError for a unit that does not exist
    current = unit_id in office_ids(db)
    if current == reports:
        return
    with db.atomic():
        if reports:
            db.execute(
                "INSERT INTO offices (unit_id, created_at) VALUES (?, ?)", [unit_id, clock.timestamp()]
            )
        else:
            db.execute("DELETE FROM offices WHERE unit_id = ?", [unit_id])
        old, new = ("是" if current else "否"), ("是" if reports else "否")
        log(db, "unit", unit_id, "update", field_name="报送单位", old=old, new=new)


def group_members(db: Database, group_id: int) -> list[Unit]:
    """Return a group's members in their order."""
    rows = db.execute(
        "SELECT member_id FROM unit_groups WHERE group_id = ? ORDER BY position, member_id", [group_id]
    ).fetchall()
    return [get_unit(db, int(r[0])) for r in rows]


def all_groups(db: Database) -> dict[int, list[int]]:
    """Return every group's member ids, by group id."""
    groups: dict[int, list[int]] = {}
    rows = db.execute("SELECT group_id, member_id FROM unit_groups ORDER BY group_id, position, member_id")
    for group_id, member_id in rows.fetchall():
        groups.setdefault(int(group_id), []).append(int(member_id))
    return groups


def set_group_members(db: Database, group_id: int, member_ids: Iterable[int]) -> None:
    """Replace a group's members (in order; the group itself and duplicates are left out)."""
    old = [u.name for u in group_members(db, group_id)]
    members = [m for m in dict.fromkeys(member_ids) if m != group_id]
    with db.atomic():
        db.execute("DELETE FROM unit_groups WHERE group_id = ?", [group_id])
        for position, member in enumerate(members):
            db.execute(
                "INSERT INTO unit_groups (group_id, member_id, position) VALUES (?, ?, ?)",
                [group_id, member, position],
            )
        new = [get_unit(db, m).name for m in members]
        if new != old:
            log(db, "unit", group_id, "update", field_name="成员", old=old, new=new)


# ---------------------------------------------------------------- plan keys and rollouts


def plan_key(db: Database, plan_id: int) -> PlanKey:
    """Return the plan's roll-up identity, creating it (version 0) on first use."""
    row = db.execute(
        "SELECT uid, version, fingerprint, deadline FROM rollup_plans WHERE plan_id = ?", [plan_id]
    ).fetchone()
    if row is None:
        uid = uuid.uuid4().hex
        db.execute("INSERT INTO rollup_plans (plan_id, uid) VALUES (?, ?)", [plan_id, uid])
        return PlanKey(plan_id, uid, 0, "", "")
    return PlanKey(plan_id, row[0], int(row[1]), row[2], row[3])


def plan_uid(db: Database, plan_id: int) -> str | None:
    """Return the plan's roll-up uid without creating one (None before its first 下发)."""
    row = db.execute("SELECT uid FROM rollup_plans WHERE plan_id = ?", [plan_id]).fetchone()
    return str(row[0]) if row else None


def plan_deadline(db: Database, plan_id: int) -> str:
    """Return the return deadline chosen at the last 下发 ('' when none)."""
    row = db.execute("SELECT deadline FROM rollup_plans WHERE plan_id = ?", [plan_id]).fetchone()
    return str(row[0]) if row else ""


def update_plan_key(db: Database, plan_id: int, *, version: int, fingerprint: str, deadline: str) -> None:
    """Store a new template version, its fingerprint and the return deadline."""
    db.execute(
        "UPDATE rollup_plans SET version = ?, fingerprint = ?, deadline = ? WHERE plan_id = ?",
        [version, fingerprint, deadline, plan_id],
    )


def record_rollout(db: Database, rollout: Rollout) -> None:
    """Record a template sent to an office (with the plan's history)."""
    r = rollout
    with db.atomic():
        db.execute(
            "INSERT INTO rollouts (plan_id, office_id, version, sent_at, deadline, file_name)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [r.plan_id, r.office_id, r.version, r.sent_at, r.deadline, r.file_name],
        )
        text = f"{r.file_name}（第 {r.version} 版，截止 {r.deadline or '未定'}）"
        name = get_unit(db, r.office_id).name
        log(db, "报送", r.office_id, "下发", field_name=name, new=text, plan_id=r.plan_id)


def list_rollouts(db: Database, plan_id: int) -> list[Rollout]:
    """Return the templates sent for a plan, oldest first."""
    rows = db.execute(
        "SELECT id, plan_id, office_id, version, sent_at, deadline, file_name FROM rollouts"
        " WHERE plan_id = ? ORDER BY id",
        [plan_id],
    ).fetchall()
    return [Rollout(*r) for r in rows]


# ---------------------------------------------------------------- returns and per-office values


_RETURN_COLUMNS = (
    "id, plan_id, office_id, file_name, sha256, received_at, version, filled_by, phone, filled_on,"
    " rows_json, replaced_by"
)


def _return_from_row(r: Any) -> OfficeReturn:
    try:
        rows = json.loads(r[10] or "[]")
    except ValueError:
        rows = []
    ret = OfficeReturn(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9])
    ret.rows, ret.replaced_by = (rows if isinstance(rows, list) else []), r[11]
    return ret


def list_returns(db: Database, plan_id: int, *, current_only: bool = False) -> list[OfficeReturn]:
    """Return a plan's received files, oldest first (only those not replaced, with current_only)."""
    where = " AND replaced_by IS NULL" if current_only else ""
    rows = db.execute(
        f"SELECT {_RETURN_COLUMNS} FROM office_returns WHERE plan_id = ?{where} ORDER BY id", [plan_id]
    ).fetchall()
    return [_return_from_row(r) for r in rows]


def find_return_by_hash(db: Database, plan_id: int, sha256: str) -> OfficeReturn | None:
    """Return an earlier return of the plan with the same content, or None."""
    row = db.execute(
        f"SELECT {_RETURN_COLUMNS} FROM office_returns WHERE plan_id = ? AND sha256 = ? ORDER BY id LIMIT 1",
        [plan_id, sha256],
    ).fetchone()
    return _return_from_row(row) if row else None


def add_return(db: Database, ret: OfficeReturn) -> int:
    """Record a received file; an earlier current return of the same office is marked replaced by it."""
    stamp = ret.received_at or clock.timestamp()
    with db.atomic():
        cursor = db.execute(
            "INSERT INTO office_returns (plan_id, office_id, file_name, sha256, received_at, version,"
            " filled_by, phone, filled_on, rows_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                *(getattr(ret, f) for f in ("plan_id", "office_id", "file_name", "sha256")),
                stamp,
                *(getattr(ret, f) for f in ("version", "filled_by", "phone", "filled_on")),
                json.dumps(ret.rows, ensure_ascii=False, default=str),
            ],
        )
        new_id = int(cursor.lastrowid or 0)
        db.execute(
            "UPDATE office_returns SET replaced_by = ? WHERE plan_id = ? AND office_id = ? AND id != ?"
            " AND replaced_by IS NULL",
            [new_id, ret.plan_id, ret.office_id, new_id],
        )
        office = get_unit(db, ret.office_id).name
        who = "，".join(x for x in (ret.filled_by, ret.phone) if x)
        text = f"{ret.file_name}（{len(ret.rows)} 行{'，' + who if who else ''}）"
        log(db, "报送", new_id, "回收", field_name=office, new=text, plan_id=ret.plan_id)
        for row in ret.rows:  # each activity's history names the file, when, and what it brought
            if isinstance(row, dict) and row.get("activity_id"):
                _log_row(db, ret, new_id, office, row)
    return new_id


def _log_row(db: Database, ret: OfficeReturn, return_id: int, office: str, row: dict[str, Any]) -> None:
    where = f"（第 {row['excel_row']} 行，按{row['how']}对应）" if row.get("excel_row") else ""
    notes = f"，完成情况：{row['completion_notes']}" if row.get("completion_notes") else ""
    brought = f"{row.get('status', '')} {row.get('progress', '')}%".strip() + notes
    text = f"{office}：{ret.file_name}{where}：{brought}"
    activity_id = int(row["activity_id"])
    log(
        db,
        "报送",
        return_id,
        "回收",
        field_name="报送文件",
        new=text,
        plan_id=ret.plan_id,
        activity_id=activity_id,
    )


_STATUS_COLUMNS = (
    "activity_id, office_id, status, progress, completed_on, completion_notes, return_id, updated_at"
)


def _values_from_row(r: Any) -> OfficeValues:
    return OfficeValues(int(r[0]), int(r[1]), r[2], int(r[3]), date_or_none(r[4]), r[5], r[6], r[7])


def office_values(db: Database, plan_id: int) -> dict[tuple[int, int], OfficeValues]:
    """Return every office's values of a plan's activities, by (activity id, office id)."""
    rows = db.execute(
        f"SELECT {', '.join('s.' + c.strip() for c in _STATUS_COLUMNS.split(','))} FROM office_status s"
        " JOIN activities a ON a.id = s.activity_id WHERE a.plan_id = ?",
        [plan_id],
    ).fetchall()
    return {(int(r[0]), int(r[1])): _values_from_row(r) for r in rows}


_VALUE_FIELDS = ("status", "progress", "completed_on", "completion_notes")


def write_office_values(db: Database, values: OfficeValues, plan_id: int, office_name: str) -> list[str]:
    """Store one office's values of one activity, recording each changed field in the activity's history
    (old and new, prefixed with the office); return the names of the fields that changed."""
    row = db.execute(
        f"SELECT {_STATUS_COLUMNS} FROM office_status WHERE activity_id = ? AND office_id = ?",
        [values.activity_id, values.office_id],
    ).fetchone()
    old = _values_from_row(row) if row else OfficeValues(values.activity_id, values.office_id)
    changed = [f for f in _VALUE_FIELDS if getattr(old, f) != getattr(values, f)]
    stamp = clock.timestamp()
    head = [values.activity_id, values.office_id, values.status, values.progress]
    with db.atomic():
        db.execute(
            "INSERT INTO office_status (activity_id, office_id, status, progress, completed_on,"
            " completion_notes, return_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (activity_id, office_id) DO UPDATE SET status = excluded.status,"
            " progress = excluded.progress, completed_on = excluded.completed_on,"
            " completion_notes = excluded.completion_notes, return_id = excluded.return_id,"
            " updated_at = excluded.updated_at",
            [*head, iso_or_none(values.completed_on), values.completion_notes, values.return_id, stamp],
        )
        for name in changed:
            before = "" if row is None else _show(getattr(old, name))
            log(
                db,
                "报送",
                values.office_id,
                "回收",
                field_name=name,
                old=f"{office_name}：{before}" if row is not None else "",
                new=f"{office_name}：{_show(getattr(values, name))}",
                plan_id=plan_id,
                activity_id=values.activity_id,
            )
    return changed


def _show(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def link_return_attachment(db: Database, attachment_id: int, return_id: int, office_id: int) -> None:
    """Remember which office's return brought an evidence file."""
    db.execute(
        "INSERT OR REPLACE INTO return_attachments (attachment_id, return_id, office_id) VALUES (?, ?, ?)",
        [attachment_id, return_id, office_id],
    )


def attachment_offices(db: Database, plan_id: int) -> dict[int, int]:
    """Return the office each return-borne evidence file of a plan came from, by attachment id."""
    rows = db.execute(
        "SELECT ra.attachment_id, ra.office_id FROM return_attachments ra"
        " JOIN office_returns r ON r.id = ra.return_id WHERE r.plan_id = ?",
        [plan_id],
    ).fetchall()
    return {int(a): int(o) for a, o in rows}


# ---------------------------------------------------------------- the office's side: upper templates


def save_upstream(
    db: Database, plan_id: int, template: bytes, file_name: str, office: str, row_keys: dict[int, str]
) -> None:
    """Keep the upper office's template of a plan imported from it, and each activity's row key."""
    with db.atomic():
        db.execute(
            "INSERT OR REPLACE INTO upstream_plans (plan_id, template, file_name, office, imported_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [plan_id, template, file_name, office, clock.timestamp()],
        )
        for activity_id, key in row_keys.items():
            db.execute(
                "INSERT OR REPLACE INTO upstream_rows (activity_id, plan_id, row_key) VALUES (?, ?, ?)",
                [activity_id, plan_id, key],
            )


def upstream(db: Database, plan_id: int) -> tuple[bytes, str, str, dict[int, str]] | None:
    """Return (template, file name, office, row key by activity id) of a plan imported from an upper
    office's template, or None."""
    row = db.execute(
        "SELECT template, file_name, office FROM upstream_plans WHERE plan_id = ?", [plan_id]
    ).fetchone()
    if row is None:
        return None
    keys = db.execute(
        "SELECT activity_id, row_key FROM upstream_rows WHERE plan_id = ?", [plan_id]
    ).fetchall()
    return bytes(row[0]), row[1], row[2], {int(a): k for a, k in keys}
