"""Plans: their properties, the plan list with counts, and whole-plan create / delete / restore."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

from sqlite_utils import Database

from models import clock
from models.records import STATUS_DONE, Activity, Attachment, Plan
from models.rules import (
    PLAN_ACTIVE,
    PLAN_ARCHIVED,
    PLAN_FIELDS,
    PLAN_STATES,
    check_new_activity,
    check_plan_state,
    check_plan_title,
    normalise_plan_value,
)
from models.store.activities import (
    ActivitySnapshot,
    insert_activity_row,
    list_activities,
    restore_children,
    snapshot_activity,
)
from models.store.evidence import insert_attachment_row, list_attachments
from models.store.history import log


@dataclass
class PlanSummary:
    """A plan with the counts shown in the plan list."""

    plan: Plan
    activities: int
    done: int
    state: str = PLAN_ACTIVE  # "active" or "archived" (models.rules.PLAN_STATES)

    @property
    def archived(self) -> bool:
        """Tell whether the plan is archived (no lights, listed apart)."""
        return self.state == PLAN_ARCHIVED


@dataclass
class PlanSnapshot:
    """Everything needed to put a deleted plan back."""

    plan: Plan
    activities: list[ActivitySnapshot]
    attachments: list[Attachment]
    state: str = PLAN_ACTIVE


_PLAN_NAMES = frozenset(f.name for f in fields(Plan))


def _from_row(row: dict[str, Any]) -> Plan:
    data = dict(row)
    try:
        slogans = json.loads(data.get("slogans") or "[]")
        data["slogans"] = [str(s) for s in slogans] if isinstance(slogans, list) else []
    except ValueError:
        data["slogans"] = []
    return Plan(**{k: v for k, v in data.items() if k in _PLAN_NAMES})


def list_plans(db: Database) -> list[PlanSummary]:
    """Return every plan with its activity counts and state: plans in progress first, then the archived
    ones; newest year first within each."""
    counts = {
        row[0]: (row[1], row[2])
        for row in db.execute(
            "SELECT plan_id, COUNT(*), SUM(status = ?) FROM activities GROUP BY plan_id", [STATUS_DONE]
        ).fetchall()
    }
    rows = list(
        db.query(
            "SELECT * FROM plans ORDER BY state = ? , COALESCE(year, 0) DESC, id",
            [PLAN_ARCHIVED],
        )
    )
    return [
        PlanSummary(p, *(counts.get(p.id, (0, 0))), state=str(r.get("state") or PLAN_ACTIVE))
        for p, r in ((_from_row(r), r) for r in rows)
    ]


def get_plan_state(db: Database, plan_id: int) -> str:
    """Return a plan's state ("active" / "archived"); KeyError if the plan does not exist."""
    row = db.execute("SELECT state FROM plans WHERE id = ?", [plan_id]).fetchone()
    if row is None:
        raise KeyError(f"plan {plan_id}")
    return str(row[0] or PLAN_ACTIVE)


def is_archived(db: Database, plan_id: int) -> bool:
    """Tell whether a plan is archived (a plan that does not exist is not)."""
    row = db.execute("SELECT state FROM plans WHERE id = ?", [plan_id]).fetchone()
    return row is not None and row[0] == PLAN_ARCHIVED


def set_plan_state(db: Database, plan_id: int, state: str) -> str:
    """Archive a plan or put it back in progress (recorded in the history); return the old state."""
    new = check_plan_state(state)
    old = get_plan_state(db, plan_id)
    if new != old:
        with db.atomic():
            db.execute(
                "UPDATE plans SET state = ?, updated_at = ? WHERE id = ?", [new, clock.timestamp(), plan_id]
            )
            log(
                db,
                "plan",
                plan_id,
                "update",
                field_name="state",
                old=PLAN_STATES[old],
                new=PLAN_STATES[new],
                plan_id=plan_id,
            )
    return old


def get_plan(db: Database, plan_id: int) -> Plan:
    """Return one plan; KeyError if it does not exist."""
    rows = list(db.query("SELECT * FROM plans WHERE id = ?", [plan_id]))
    if not rows:
        raise KeyError(f"plan {plan_id}")
    return _from_row(rows[0])


def plan_exists(db: Database, plan_id: int) -> bool:
    """Tell whether a plan id exists."""
    return db.execute("SELECT 1 FROM plans WHERE id = ?", [plan_id]).fetchone() is not None


def create_plan(db: Database, plan: Plan) -> Plan:
    """Insert a plan and return it with its id."""
    check_plan_title(plan.title)
    stamp = clock.timestamp()
    values = {name: normalise_plan_value(name, getattr(plan, name)) for name in PLAN_FIELDS}
    with db.atomic():
        cursor = db.execute(
            f"INSERT INTO plans ({', '.join(PLAN_FIELDS)}, created_at, updated_at)"
            f" VALUES ({', '.join('?' for _ in PLAN_FIELDS)}, ?, ?)",
            [*values.values(), stamp, stamp],
        )
        plan_id = int(cursor.lastrowid or 0)
        log(db, "plan", plan_id, "create", new=values["title"], plan_id=plan_id)
    return get_plan(db, plan_id)


def update_plan(db: Database, plan_id: int, **changes: object) -> Plan:
    """Change plan properties in one transaction, recording each change."""
    unknown = set(changes) - set(PLAN_FIELDS)
    if unknown:
        raise KeyError(", ".join(sorted(unknown)))
    if "title" in changes:
        check_plan_title(changes["title"])
    old = get_plan(db, plan_id)
    with db.atomic():
        for name, value in changes.items():
            stored = normalise_plan_value(name, value)
            if stored == normalise_plan_value(name, getattr(old, name)):
                continue
            db.execute(
                f"UPDATE plans SET {name} = ?, updated_at = ? WHERE id = ?",
                [stored, clock.timestamp(), plan_id],
            )
            log(
                db,
                "plan",
                plan_id,
                "update",
                field_name=name,
                old=getattr(old, name),
                new=value,
                plan_id=plan_id,
            )
    return get_plan(db, plan_id)


def delete_plan(db: Database, plan_id: int) -> PlanSnapshot:
    """Delete a plan with its activities; return a snapshot for undo."""
    snapshot = PlanSnapshot(
        get_plan(db, plan_id),
        [snapshot_activity(db, a.id or 0) for a in list_activities(db, plan_id)],
        [a for a in list_attachments(db, plan_id=plan_id) if a.activity_id is None],
        get_plan_state(db, plan_id),
    )
    with db.atomic():
        db.execute("DELETE FROM plans WHERE id = ?", [plan_id])
        log(db, "plan", plan_id, "delete", old=snapshot.plan.title, plan_id=plan_id)
    return snapshot


def restore_plan(db: Database, snapshot: PlanSnapshot) -> None:
    """Put a deleted plan back with the same ids (undo of delete)."""
    plan = snapshot.plan
    values = [normalise_plan_value(name, getattr(plan, name)) for name in PLAN_FIELDS]
    with db.atomic():
        db.execute(
            f"INSERT INTO plans (id, {', '.join(PLAN_FIELDS)}, state, created_at, updated_at)"
            f" VALUES (?, {', '.join('?' for _ in PLAN_FIELDS)}, ?, ?, ?)",
            [plan.id, *values, snapshot.state, plan.created_at, clock.timestamp()],
        )
        for snap in snapshot.activities:
            insert_activity_row(db, snap.activity, keep_id=True)
            restore_children(db, snap)
        for att in snapshot.attachments:
            insert_attachment_row(db, att)
        log(db, "plan", plan.id, "restore", new=plan.title, plan_id=plan.id)


def create_plan_with_activities(
    db: Database, plan: Plan, activities: Sequence[Activity], *, state: str = PLAN_ACTIVE
) -> Plan:
    """Create a plan and its activities in one transaction (import, copy, samples — these archived)."""
    with db.atomic():
        created = create_plan(db, plan)
        if check_plan_state(state) != PLAN_ACTIVE:
            db.execute("UPDATE plans SET state = ? WHERE id = ?", [check_plan_state(state), created.id])
        for position, activity in enumerate(activities, start=1):
            check_new_activity(activity)
            insert_activity_row(db, replace(activity, id=None, plan_id=created.id, position=position))
    return created


def counts(db: Database) -> tuple[int, int]:
    """Return (plans, activities) in the database, for backup listings."""
    plans = db.execute("SELECT COUNT(*) FROM plans").fetchone()[0]
    acts = db.execute("SELECT COUNT(*) FROM activities").fetchone()[0]
    return int(plans), int(acts)
