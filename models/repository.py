"""The one module with SQL: plans, activities, units, progress log, evidence rows, settings, history."""

from __future__ import annotations

import datetime as dt
import getpass
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

from sqlite_utils import Database

from models.records import (
    ROLE_COOP,
    ROLE_LEAD,
    STATUS_DONE,
    STATUSES,
    Activity,
    Attachment,
    Change,
    Plan,
    ProgressEntry,
    Unit,
)
from models.textnorm import MAX_NAME, MAX_TEXT, clean_name, clean_text, fold_key


class ValidationError(ValueError):
    """A value the clerk entered that cannot be stored; the message is Chinese."""


PLAN_FIELDS = (
    "title", "office", "doc_number", "theme", "year", "period_text", "report_deadline", "report_to",
    "report_contact", "slogans", "notes", "annex_label", "table_title",
)
ACTIVITY_TEXT_FIELDS = ("name", "content", "time_text", "location", "remarks", "completion_notes")
ACTIVITY_FIELDS = (*ACTIVITY_TEXT_FIELDS, "status", "progress", "completed_on", "planned_start", "planned_end", "lead_units", "coop_units")
_DATE_FIELDS = ("completed_on", "planned_start", "planned_end")
_ONE_LINE = ("name", "time_text", "location")

#: Field labels used in the change history and in messages.
FIELD_LABELS: dict[str, str] = {
    "title": "标题", "office": "发文单位", "doc_number": "文号", "theme": "活动主题", "year": "年度",
    "period_text": "活动时间", "report_deadline": "报送截止", "report_to": "报送对象",
    "report_contact": "联系方式", "slogans": "口号", "notes": "备注", "annex_label": "附件标注",
    "table_title": "表格标题", "name": "活动名称", "content": "活动主要内容", "time_text": "活动时间",
    "location": "活动地点", "remarks": "备注", "completion_notes": "完成情况", "status": "状态",
    "progress": "进度", "completed_on": "完成时间", "planned_start": "计划开始", "planned_end": "计划结束",
    "lead_units": "牵头部门", "coop_units": "配合部门", "kind": "类别", "active": "启用",
    "sort_order": "排序", "position": "序号",
}


def now() -> str:
    """Return the current local time as stored in the database (ISO, seconds)."""
    return dt.datetime.now().isoformat(timespec="seconds")


def current_user() -> str:
    """Return the operating-system user name recorded in the history."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some service contexts; the history still records
        return "未知用户"


# ---------------------------------------------------------------- history

def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _log(
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
    db.execute(
        "INSERT INTO changes (at, user, entity, entity_id, plan_id, activity_id, action, field, old, new)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [now(), current_user(), entity, entity_id, plan_id, activity_id, action, field_name,
         _text(old)[:MAX_TEXT], _text(new)[:MAX_TEXT]],
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


# ---------------------------------------------------------------- settings

def get_setting(db: Database, key: str, default: str = "") -> str:
    """Return an office setting that travels with the file."""
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


def get_statuses(db: Database) -> list[str]:
    """Return the configured status list (default 未开始/进行中/已完成/已取消)."""
    raw = get_setting(db, "statuses")
    try:
        values = [str(v) for v in json.loads(raw)] if raw else []
    except ValueError:
        values = []
    # The four base statuses drive the lights and summaries, so they are always allowed.
    return list(dict.fromkeys([*STATUSES, *values]))


# ---------------------------------------------------------------- plans

def _plan_from_row(row: dict[str, Any]) -> Plan:
    data = dict(row)
    try:
        data["slogans"] = [str(s) for s in json.loads(data.get("slogans") or "[]")]
    except ValueError:
        data["slogans"] = []
    names = {f.name for f in fields(Plan)}
    return Plan(**{k: v for k, v in data.items() if k in names})


def _plan_value(name: str, value: object) -> object:
    if name == "slogans":
        items = value if isinstance(value, list) else str(value or "").split("\n")
        return json.dumps([clean_name(str(s), MAX_TEXT) for s in items if clean_name(str(s))], ensure_ascii=False)
    if name == "year":
        if value in (None, ""):
            return None
        try:
            year = int(str(value))
        except ValueError as exc:
            raise ValidationError("年度必须是四位数字，例如 2024。") from exc
        if not 1990 <= year <= 2100:
            raise ValidationError("年度应在 1990 到 2100 之间。")
        return year
    if name in ("notes", "report_contact"):
        return clean_text(str(value or ""))
    return clean_name(str(value or ""), 500)


@dataclass
class PlanSummary:
    """A plan with the counts shown in the plan list."""

    plan: Plan
    activities: int
    done: int


def list_plans(db: Database) -> list[PlanSummary]:
    """Return every plan with its activity counts, newest year first."""
    counts = {
        row[0]: (row[1], row[2])
        for row in db.execute(
            "SELECT plan_id, COUNT(*), SUM(status = ?) FROM activities GROUP BY plan_id", [STATUS_DONE]
        ).fetchall()
    }
    plans = [_plan_from_row(r) for r in db.query("SELECT * FROM plans ORDER BY COALESCE(year, 0) DESC, id")]
    return [PlanSummary(p, *(counts.get(p.id, (0, 0)))) for p in plans]


def get_plan(db: Database, plan_id: int) -> Plan:
    """Return one plan; KeyError if it does not exist."""
    rows = list(db.query("SELECT * FROM plans WHERE id = ?", [plan_id]))
    if not rows:
        raise KeyError(f"plan {plan_id}")
    return _plan_from_row(rows[0])


def create_plan(db: Database, plan: Plan) -> Plan:
    """Insert a plan and return it with its id."""
    if not clean_name(plan.title):
        raise ValidationError("方案标题不能为空。")
    stamp = now()
    values = {name: _plan_value(name, getattr(plan, name)) for name in PLAN_FIELDS}
    with db.atomic():
        cursor = db.execute(
            f"INSERT INTO plans ({', '.join(PLAN_FIELDS)}, created_at, updated_at)"
            f" VALUES ({', '.join('?' for _ in PLAN_FIELDS)}, ?, ?)",
            [*values.values(), stamp, stamp],
        )
        plan_id = int(cursor.lastrowid or 0)
        _log(db, "plan", plan_id, "create", new=values["title"], plan_id=plan_id)
    return get_plan(db, plan_id)


def update_plan(db: Database, plan_id: int, **changes: object) -> Plan:
    """Change plan properties in one transaction, recording each change."""
    unknown = set(changes) - set(PLAN_FIELDS)
    if unknown:
        raise KeyError(", ".join(sorted(unknown)))
    if "title" in changes and not clean_name(str(changes["title"] or "")):
        raise ValidationError("方案标题不能为空。")
    old = get_plan(db, plan_id)
    with db.atomic():
        for name, value in changes.items():
            stored = _plan_value(name, value)
            before = _plan_value(name, getattr(old, name))
            if stored == before:
                continue
            db.execute(f"UPDATE plans SET {name} = ?, updated_at = ? WHERE id = ?", [stored, now(), plan_id])
            _log(db, "plan", plan_id, "update", field_name=name, old=getattr(old, name),
                 new=value, plan_id=plan_id)
    return get_plan(db, plan_id)


@dataclass
class ActivitySnapshot:
    """Everything needed to put a deleted activity back exactly as it was."""

    activity: Activity
    progress: list[ProgressEntry] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)


@dataclass
class PlanSnapshot:
    """Everything needed to put a deleted plan back."""

    plan: Plan
    activities: list[ActivitySnapshot]
    attachments: list[Attachment]


def delete_plan(db: Database, plan_id: int) -> PlanSnapshot:
    """Delete a plan with its activities; return a snapshot for undo."""
    snapshot = PlanSnapshot(
        get_plan(db, plan_id),
        [snapshot_activity(db, a.id or 0) for a in list_activities(db, plan_id)],
        [a for a in list_attachments(db, plan_id=plan_id) if a.activity_id is None],
    )
    with db.atomic():
        db.execute("DELETE FROM plans WHERE id = ?", [plan_id])
        _log(db, "plan", plan_id, "delete", old=snapshot.plan.title, plan_id=plan_id)
    return snapshot


def restore_plan(db: Database, snapshot: PlanSnapshot) -> None:
    """Put a deleted plan back with the same ids (undo of delete)."""
    plan = snapshot.plan
    values = [_plan_value(name, getattr(plan, name)) for name in PLAN_FIELDS]
    with db.atomic():
        db.execute(
            f"INSERT INTO plans (id, {', '.join(PLAN_FIELDS)}, created_at, updated_at)"
            f" VALUES (?, {', '.join('?' for _ in PLAN_FIELDS)}, ?, ?)",
            [plan.id, *values, plan.created_at, now()],
        )
        for snap in snapshot.activities:
            _insert_activity_row(db, snap.activity, keep_id=True)
            _restore_children(db, snap)
        for att in snapshot.attachments:
            _insert_attachment(db, att)
        _log(db, "plan", plan.id, "restore", new=plan.title, plan_id=plan.id)


def duplicate_plan(db: Database, plan_id: int, *, next_year: bool = True, title: str | None = None) -> Plan:
    """Copy a plan and all its activities (progress cleared), e.g. to next year's plan."""
    source = get_plan(db, plan_id)
    year = source.year
    new_title = title or source.title
    if next_year and year:
        year = year + 1
        if title is None:
            new_title = source.title.replace(str(year - 1), str(year))
    if title is None and new_title == source.title:
        new_title = f"{source.title}（副本）"
    copy = replace(source, id=None, title=new_title, year=year, report_deadline="" if next_year else
                   source.report_deadline, doc_number="" if next_year else source.doc_number)
    activities = [
        replace(a, id=None, status=STATUSES[0], progress=0, completed_on=None, completion_notes="",
                planned_start=None, planned_end=None)
        for a in list_activities(db, plan_id)
    ]
    return create_plan_with_activities(db, copy, activities)


def create_plan_with_activities(db: Database, plan: Plan, activities: Sequence[Activity]) -> Plan:
    """Create a plan and its activities in one transaction (import, copy, samples)."""
    with db.atomic():
        created = create_plan(db, plan)
        for position, activity in enumerate(activities, start=1):
            _validate_activity(activity)
            _insert_activity_row(db, replace(activity, id=None, plan_id=created.id, position=position))
    return created


# ---------------------------------------------------------------- activities

_ACTIVITY_COLUMNS = (
    "id", "plan_id", "position", "name", "content", "time_text", "location", "remarks", "status",
    "progress", "completed_on", "completion_notes", "planned_start", "planned_end", "created_at",
    "updated_at",
)


def _date_or_none(value: object) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _activity_from_row(row: Sequence[Any]) -> Activity:
    data = dict(zip(_ACTIVITY_COLUMNS, row, strict=True))
    for name in _DATE_FIELDS:
        data[name] = _date_or_none(data[name])
    return Activity(**data)


def _units_by_activity(db: Database, where: str, args: list[Any]) -> dict[int, dict[str, list[str]]]:
    result: dict[int, dict[str, list[str]]] = {}
    rows = db.execute(
        "SELECT au.activity_id, au.role, u.name FROM activity_units au JOIN units u ON u.id = au.unit_id"
        f" JOIN activities a ON a.id = au.activity_id WHERE {where} ORDER BY au.activity_id, au.role,"
        " au.position",
        args,
    ).fetchall()
    for activity_id, role, name in rows:
        result.setdefault(activity_id, {ROLE_LEAD: [], ROLE_COOP: []})[role].append(name)
    return result


def list_activities(db: Database, plan_id: int) -> list[Activity]:
    """Return a plan's activities in table order, with their units."""
    rows = db.execute(
        f"SELECT {', '.join(_ACTIVITY_COLUMNS)} FROM activities WHERE plan_id = ? ORDER BY position, id",
        [plan_id],
    ).fetchall()
    units = _units_by_activity(db, "a.plan_id = ?", [plan_id])
    result = []
    for row in rows:
        activity = _activity_from_row(row)
        roles = units.get(activity.id or 0, {})
        activity.lead_units = roles.get(ROLE_LEAD, [])
        activity.coop_units = roles.get(ROLE_COOP, [])
        result.append(activity)
    return result


def get_activity(db: Database, activity_id: int) -> Activity:
    """Return one activity with its units; KeyError if it does not exist."""
    row = db.execute(
        f"SELECT {', '.join(_ACTIVITY_COLUMNS)} FROM activities WHERE id = ?", [activity_id]
    ).fetchone()
    if row is None:
        raise KeyError(f"activity {activity_id}")
    activity = _activity_from_row(row)
    roles = _units_by_activity(db, "a.id = ?", [activity_id]).get(activity_id, {})
    activity.lead_units = roles.get(ROLE_LEAD, [])
    activity.coop_units = roles.get(ROLE_COOP, [])
    return activity


def _validate_activity(activity: Activity) -> None:
    if not clean_name(activity.name):
        raise ValidationError("活动名称不能为空。")
    if not 0 <= int(activity.progress) <= 100:
        raise ValidationError("进度必须是 0 到 100 之间的整数。")


def _insert_activity_row(db: Database, activity: Activity, *, keep_id: bool = False) -> int:
    stamp = now()
    values = {
        "plan_id": activity.plan_id,
        "position": activity.position,
        "name": clean_name(activity.name, MAX_NAME * 2),
        "content": clean_text(activity.content),
        "time_text": clean_name(activity.time_text),
        "location": clean_name(activity.location, 500),
        "remarks": clean_text(activity.remarks),
        "status": activity.status or STATUSES[0],
        "progress": int(activity.progress),
        "completed_on": activity.completed_on.isoformat() if activity.completed_on else None,
        "completion_notes": clean_text(activity.completion_notes),
        "planned_start": activity.planned_start.isoformat() if activity.planned_start else None,
        "planned_end": activity.planned_end.isoformat() if activity.planned_end else None,
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
    _write_units(db, activity_id, ROLE_LEAD, activity.lead_units)
    _write_units(db, activity_id, ROLE_COOP, activity.coop_units)
    return activity_id


def insert_activity(db: Database, plan_id: int, activity: Activity, position: int | None = None) -> Activity:
    """Insert an activity at a 1-based position (default: the end), renumbering those after it."""
    _validate_activity(activity)
    with db.atomic():
        count = db.execute("SELECT COUNT(*) FROM activities WHERE plan_id = ?", [plan_id]).fetchone()[0]
        pos = count + 1 if position is None else max(1, min(position, count + 1))
        db.execute(
            "UPDATE activities SET position = position + 1 WHERE plan_id = ? AND position >= ?", [plan_id, pos]
        )
        activity_id = _insert_activity_row(db, replace(activity, id=None, plan_id=plan_id, position=pos))
        _log(db, "activity", activity_id, "create", new=activity.name, plan_id=plan_id,
             activity_id=activity_id)
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
        _log(db, "activity", activity_id, "delete", old=a.name, plan_id=a.plan_id, activity_id=activity_id)
    return snapshot


def _restore_children(db: Database, snapshot: ActivitySnapshot) -> None:
    for entry in snapshot.progress:
        db.execute(
            "INSERT INTO progress_entries (id, activity_id, entry_date, text, author, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [entry.id, entry.activity_id, _text(entry.entry_date), entry.text, entry.author, entry.created_at],
        )
    for att in snapshot.attachments:
        _insert_attachment(db, att)


def restore_activity(db: Database, snapshot: ActivitySnapshot) -> None:
    """Put a deleted activity back at its position with the same id (undo of delete)."""
    a = snapshot.activity
    with db.atomic():
        db.execute(
            "UPDATE activities SET position = position + 1 WHERE plan_id = ? AND position >= ?",
            [a.plan_id, a.position],
        )
        _insert_activity_row(db, a, keep_id=True)
        _restore_children(db, snapshot)
        _log(db, "activity", a.id, "restore", new=a.name, plan_id=a.plan_id, activity_id=a.id)


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
                " AND position <= ?", [a.plan_id, a.position, target],
            )
        else:
            db.execute(
                "UPDATE activities SET position = position + 1 WHERE plan_id = ? AND position >= ?"
                " AND position < ?", [a.plan_id, target, a.position],
            )
        db.execute("UPDATE activities SET position = ?, updated_at = ? WHERE id = ?", [target, now(), activity_id])
        _log(db, "activity", activity_id, "update", field_name="position", old=a.position, new=target,
             plan_id=a.plan_id, activity_id=activity_id)


def normalise_activity_value(db: Database, name: str, value: object, plan_year: int | None = None) -> object:
    """Validate and normalise a value for an activity field; raise ValidationError with a Chinese message."""
    if name not in ACTIVITY_FIELDS:
        raise KeyError(name)
    if name in ("lead_units", "coop_units"):
        from models.textnorm import split_units

        items = value if isinstance(value, list) else split_units(str(value or ""))
        return [clean_name(str(v), join_cjk=True) for v in items if clean_name(str(v))]
    if name == "name":
        text = clean_name(str(value or ""), MAX_TEXT)
        if not text:
            raise ValidationError("活动名称不能为空。")
        if len(text) > MAX_NAME * 2:
            raise ValidationError(f"活动名称最多 {MAX_NAME * 2} 字（现有 {len(text)} 字），较长的说明请写在“活动主要内容”中。")
        return text
    if name in _ONE_LINE:
        text = clean_name(str(value or ""), MAX_TEXT)
        if len(text) > 500:
            raise ValidationError(f"“{FIELD_LABELS[name]}”最多 500 字（现有 {len(text)} 字），请精简。")
        return text
    if name in ACTIVITY_TEXT_FIELDS:
        text = clean_text(str(value or ""), MAX_TEXT * 10)
        if len(text) > MAX_TEXT:
            raise ValidationError(f"“{FIELD_LABELS[name]}”最多 {MAX_TEXT} 字（现有 {len(text)} 字），请精简或作为附件添加。")
        return text
    if name == "status":
        text = clean_name(str(value or ""))
        if text not in get_statuses(db):
            raise ValidationError(f"状态“{text}”无效，可选：{'、'.join(get_statuses(db))}。")
        return text
    if name == "progress":
        from models.tracking import validate_progress

        try:
            return validate_progress(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
    date = value if isinstance(value, dt.date) or value is None else _parse_date_text(str(value))
    if name == "completed_on" and isinstance(date, dt.date):
        from models.tracking import validate_completion_date

        try:
            validate_completion_date(date, plan_year)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
    return date


def _parse_date_text(text: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    import re

    m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text)
    if not m:
        raise ValidationError(f"“{text}”不是有效日期，请按 2024-09-30 的格式填写。")
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as exc:
        raise ValidationError(f"“{text}”不是存在的日期。") from exc


def set_activity_field(db: Database, activity_id: int, name: str, value: object) -> tuple[object, object]:
    """Change one field of an activity in one transaction; return (old, new) stored values."""
    current = get_activity(db, activity_id)
    plan_year = db.execute("SELECT year FROM plans WHERE id = ?", [current.plan_id]).fetchone()[0]
    new = normalise_activity_value(db, name, value, plan_year)
    old = getattr(current, name)
    if new == old:
        return old, new
    with db.atomic():
        if name in ("lead_units", "coop_units"):
            role = ROLE_LEAD if name == "lead_units" else ROLE_COOP
            db.execute("DELETE FROM activity_units WHERE activity_id = ? AND role = ?", [activity_id, role])
            _write_units(db, activity_id, role, new if isinstance(new, list) else [])
            db.execute("UPDATE activities SET updated_at = ? WHERE id = ?", [now(), activity_id])
        else:
            stored = new.isoformat() if isinstance(new, dt.date) else new
            db.execute(
                f"UPDATE activities SET {name} = ?, updated_at = ? WHERE id = ?", [stored, now(), activity_id]
            )
        _log(db, "activity", activity_id, "update", field_name=name, old=old, new=new,
             plan_id=current.plan_id, activity_id=activity_id)
    return old, new


def set_activity_fields(db: Database, activity_id: int, values: dict[str, object]) -> dict[str, object]:
    """Change several fields at once (all or none); return the old values of those that changed."""
    olds: dict[str, object] = {}
    with db.atomic():
        for name, value in values.items():
            old, new = set_activity_field(db, activity_id, name, value)
            if old != new:
                olds[name] = old
    return olds


# ---------------------------------------------------------------- units

def _unit_from_row(row: Sequence[Any]) -> Unit:
    return Unit(id=row[0], name=row[1], kind=row[2], sort_order=row[3], active=bool(row[4]))


def list_units(db: Database, *, active_only: bool = False) -> list[Unit]:
    """Return the unit directory in its sort order."""
    where = "WHERE active = 1" if active_only else ""
    rows = db.execute(
        f"SELECT id, name, kind, sort_order, active FROM units {where} ORDER BY sort_order, id"
    ).fetchall()
    return [_unit_from_row(r) for r in rows]


def guess_unit_kind(name: str) -> str:
    """Guess the kind of a unit from its name (各分局 is a group, 质监股 a 股 …)."""
    if name.startswith(("各", "相关", "有关")) or "成员单位" in name:
        return "组合"
    for suffix, kind in (("分局", "分局"), ("股", "股"), ("科", "科室"), ("室", "科室"), ("处", "科室"),
                         ("支队", "直属单位"), ("中心", "直属单位"), ("所", "直属单位"), ("院", "直属单位"),
                         ("大队", "直属单位")):
        if name.endswith(suffix):
            return kind
    if name.endswith("局"):
        return "县市区局"
    return "外部单位"


def find_unit(db: Database, name: str) -> Unit | None:
    """Find a unit by name regardless of width and spacing."""
    key = fold_key(clean_name(name))
    for unit in list_units(db):
        if fold_key(unit.name) == key:
            return unit
    return None


def add_unit(db: Database, name: str, kind: str | None = None) -> Unit:
    """Add a unit to the directory; a duplicate name is refused with a Chinese message."""
    name = clean_name(name, join_cjk=True)
    if not name:
        raise ValidationError("单位名称不能为空。")
    if find_unit(db, name):
        raise ValidationError(f"单位“{name}”已在名录中。")
    with db.atomic():
        order = db.execute("SELECT COALESCE(MAX(sort_order), 0) + 1 FROM units").fetchone()[0]
        stamp = now()
        cursor = db.execute(
            "INSERT INTO units (name, kind, sort_order, active, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)",
            [name, kind or guess_unit_kind(name), order, stamp, stamp],
        )
        unit_id = int(cursor.lastrowid or 0)
        _log(db, "unit", unit_id, "create", new=name)
    return Unit(unit_id, name, kind or guess_unit_kind(name), order, True)


def _unit_id(db: Database, name: str) -> int:
    unit = find_unit(db, name)
    if unit is not None:
        return int(unit.id or 0)
    return int(add_unit(db, name).id or 0)


def _write_units(db: Database, activity_id: int, role: str, names: Iterable[str]) -> None:
    seen: set[int] = set()
    for position, name in enumerate(n for n in names if clean_name(n)):
        unit_id = _unit_id(db, name)
        if unit_id in seen:
            continue
        seen.add(unit_id)
        db.execute(
            "INSERT INTO activity_units (activity_id, unit_id, role, position) VALUES (?, ?, ?, ?)",
            [activity_id, unit_id, role, position],
        )


def update_unit(db: Database, unit_id: int, **changes: object) -> Unit:
    """Change a unit's name, kind, order or active flag; renaming onto an existing name merges the two."""
    rows = db.execute("SELECT id, name, kind, sort_order, active FROM units WHERE id = ?", [unit_id]).fetchall()
    if not rows:
        raise KeyError(f"unit {unit_id}")
    unit = _unit_from_row(rows[0])
    with db.atomic():
        if "name" in changes:
            name = clean_name(str(changes.pop("name") or ""), join_cjk=True)
            if not name:
                raise ValidationError("单位名称不能为空。")
            other = find_unit(db, name)
            if other is not None and other.id != unit_id:
                merge_units(db, unit_id, int(other.id or 0))
                return other
            if name != unit.name:
                db.execute("UPDATE units SET name = ?, updated_at = ? WHERE id = ?", [name, now(), unit_id])
                _log(db, "unit", unit_id, "update", field_name="name", old=unit.name, new=name)
        for key in ("kind", "sort_order", "active"):
            if key in changes:
                value = changes.pop(key)
                stored = int(bool(value)) if key == "active" else value
                db.execute(f"UPDATE units SET {key} = ?, updated_at = ? WHERE id = ?", [stored, now(), unit_id])
                _log(db, "unit", unit_id, "update", field_name=key, old=getattr(unit, key), new=value)
        if changes:
            raise KeyError(", ".join(changes))
    return _unit_from_row(
        db.execute("SELECT id, name, kind, sort_order, active FROM units WHERE id = ?", [unit_id]).fetchone()
    )


def merge_units(db: Database, source_id: int, target_id: int) -> None:
    """Merge a duplicate unit into another: its activity links move over, then it is removed."""
    with db.atomic():
        links = db.execute(
            "SELECT activity_id, role, position FROM activity_units WHERE unit_id = ?", [source_id]
        ).fetchall()
        for activity_id, role, _position in links:
            exists = db.execute(
                "SELECT 1 FROM activity_units WHERE activity_id = ? AND role = ? AND unit_id = ?",
                [activity_id, role, target_id],
            ).fetchone()
            if exists:
                db.execute(
                    "DELETE FROM activity_units WHERE activity_id = ? AND role = ? AND unit_id = ?",
                    [activity_id, role, source_id],
                )
            else:
                db.execute(
                    "UPDATE activity_units SET unit_id = ? WHERE activity_id = ? AND role = ? AND unit_id = ?",
                    [target_id, activity_id, role, source_id],
                )
        names = db.execute("SELECT id, name FROM units WHERE id IN (?, ?)", [source_id, target_id]).fetchall()
        label = dict(names)
        db.execute("DELETE FROM units WHERE id = ?", [source_id])
        _log(db, "unit", target_id, "merge", old=label.get(source_id, ""), new=label.get(target_id, ""))


def delete_unit(db: Database, unit_id: int) -> None:
    """Delete an unused unit; a unit still named in activities is refused (deactivate it instead)."""
    used = db.execute("SELECT COUNT(*) FROM activity_units WHERE unit_id = ?", [unit_id]).fetchone()[0]
    if used:
        raise ValidationError(f"该单位仍在 {used} 项活动中使用，不能删除；可以将其停用或合并到其他单位。")
    with db.atomic():
        name = db.execute("SELECT name FROM units WHERE id = ?", [unit_id]).fetchone()
        db.execute("DELETE FROM units WHERE id = ?", [unit_id])
        _log(db, "unit", unit_id, "delete", old=name[0] if name else "")


def unit_usage(db: Database) -> dict[int, int]:
    """Return how many activity links each unit has."""
    return dict(db.execute("SELECT unit_id, COUNT(*) FROM activity_units GROUP BY unit_id").fetchall())


# ---------------------------------------------------------------- progress log

def list_progress_entries(db: Database, activity_id: int) -> list[ProgressEntry]:
    """Return an activity's progress log, oldest first."""
    rows = db.execute(
        "SELECT id, activity_id, entry_date, text, author, created_at FROM progress_entries"
        " WHERE activity_id = ? ORDER BY entry_date, id", [activity_id],
    ).fetchall()
    return [ProgressEntry(r[0], r[1], _date_or_none(r[2]), r[3], r[4], r[5]) for r in rows]


def add_progress_entry(
    db: Database, activity_id: int, text: str, entry_date: dt.date | None = None, author: str | None = None,
    entry_id: int | None = None,
) -> ProgressEntry:
    """Append a dated entry to an activity's progress log (entries are kept, never edited away)."""
    text = clean_text(text)
    if not text:
        raise ValidationError("进展记录内容不能为空。")
    activity = get_activity(db, activity_id)
    day = entry_date or dt.date.today()
    who = author or current_user()
    with db.atomic():
        cursor = db.execute(
            "INSERT INTO progress_entries (id, activity_id, entry_date, text, author, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)", [entry_id, activity_id, day.isoformat(), text, who, now()],
        )
        new_id = int(entry_id or cursor.lastrowid or 0)
        _log(db, "progress", new_id, "create", new=f"{day.isoformat()} {text}", plan_id=activity.plan_id,
             activity_id=activity_id)
    return ProgressEntry(new_id, activity_id, day, text, who)


def remove_progress_entry(db: Database, entry_id: int) -> None:
    """Remove a log entry (only used to undo adding it); the history keeps its text."""
    row = db.execute(
        "SELECT p.activity_id, a.plan_id, p.entry_date, p.text FROM progress_entries p"
        " JOIN activities a ON a.id = p.activity_id WHERE p.id = ?", [entry_id],
    ).fetchone()
    if row is None:
        return
    with db.atomic():
        db.execute("DELETE FROM progress_entries WHERE id = ?", [entry_id])
        _log(db, "progress", entry_id, "delete", old=f"{row[2]} {row[3]}", plan_id=row[1], activity_id=row[0])


# ---------------------------------------------------------------- evidence rows

_ATT_COLUMNS = "id, plan_id, activity_id, sha256, original_name, mime, size, added_at"


def _insert_attachment(db: Database, att: Attachment) -> int:
    cursor = db.execute(
        f"INSERT INTO attachments ({_ATT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [att.id, att.plan_id, att.activity_id, att.sha256, att.original_name, att.mime, att.size,
         att.added_at or now()],
    )
    return int(att.id or cursor.lastrowid or 0)


def add_attachment_row(db: Database, att: Attachment) -> Attachment:
    """Record an evidence file already stored in the evidence folder."""
    with db.atomic():
        new_id = _insert_attachment(db, att)
        _log(db, "attachment", new_id, "create", new=att.original_name, plan_id=att.plan_id,
             activity_id=att.activity_id)
    return replace(att, id=new_id, added_at=att.added_at or now())


def list_attachments(
    db: Database, *, plan_id: int | None = None, activity_id: int | None = None, plan_only: bool = False
) -> list[Attachment]:
    """Return evidence rows of an activity, of a plan (all, or only the plan's own with plan_only)."""
    args: list[int | None]
    if activity_id is not None:
        where, args = "activity_id = ?", [activity_id]
    else:
        where, args = "plan_id = ?", [plan_id]
        if plan_only:
            where += " AND activity_id IS NULL"
    rows = db.execute(f"SELECT {_ATT_COLUMNS} FROM attachments WHERE {where} ORDER BY id", args).fetchall()
    return [Attachment(*r) for r in rows]


def remove_attachment_row(db: Database, attachment_id: int) -> Attachment | None:
    """Remove an evidence row (the stored file is kept: backups and undo may still need it)."""
    rows = db.execute(f"SELECT {_ATT_COLUMNS} FROM attachments WHERE id = ?", [attachment_id]).fetchall()
    if not rows:
        return None
    att = Attachment(*rows[0])
    with db.atomic():
        db.execute("DELETE FROM attachments WHERE id = ?", [attachment_id])
        _log(db, "attachment", attachment_id, "delete", old=att.original_name, plan_id=att.plan_id,
             activity_id=att.activity_id)
    return att


def referenced_hashes(db: Database) -> set[str]:
    """Return the content hashes of every stored evidence file still referenced."""
    return {r[0] for r in db.execute("SELECT DISTINCT sha256 FROM attachments").fetchall()}


def counts(db: Database) -> tuple[int, int]:
    """Return (plans, activities) in the database, for backup listings."""
    plans = db.execute("SELECT COUNT(*) FROM plans").fetchone()[0]
    acts = db.execute("SELECT COUNT(*) FROM activities").fetchone()[0]
    return int(plans), int(acts)


def status_change_values(activity: Activity, status: str, today: dt.date) -> dict[str, object]:
    """Return the values a status change implies: done → 100 % and today's date if none was set."""
    values: dict[str, object] = {"status": status}
    if status == STATUS_DONE:
        if activity.progress < 100:
            values["progress"] = 100
        if activity.completed_on is None:
            values["completed_on"] = today
    return values
