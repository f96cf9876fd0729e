"""Batch updates: one status, progress, completion date or unit for many activities, in one transaction.

Each activity goes through the same edit as a single one (services.editing: the status rule, the field
rules, the diff) and gets its own history entries, exactly as if it had been edited alone. A batch is all
or nothing: when one row breaks a rule (a completion date outside the plan's years, a unit that would
be both 牵头 and 配合 of the same activity, a row deleted meanwhile), nothing is written and the message
names every such row. Marking activities 已完成 fills an empty 完成情况 from their progress log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlite_utils import Database

from models import clock, store
from models.errors import ValidationError
from models.labels import label
from models.records import Activity
from services import editing
from services.quick_log import prefill_notes

BATCH_FIELDS = ("status", "progress", "completed_on", "lead_units", "coop_units")
UNIT_REPLACE, UNIT_ADD, UNIT_REMOVE = "replace", "add", "remove"


class BatchRefused(ValidationError):
    """A batch that breaks a rule for some rows; nothing was written. `rows` are (序号, name, reason)."""

    def __init__(self, rows: list[tuple[int, str, str]]) -> None:
        self.rows = rows
        lines = [f"第 {pos} 项“{name}”：{reason}" for pos, name, reason in rows[:10]]
        more = f"\n……等共 {len(rows)} 项" if len(rows) > 10 else ""
        super().__init__("以下活动不符合规则，整批修改未保存：\n" + "\n".join(lines) + more)


@dataclass
class BatchItem:
    """The prepared change of one activity; `olds` are filled when it is written (for undo)."""

    activity_id: int
    position: int
    name: str
    changes: dict[str, object]
    olds: dict[str, object] = field(default_factory=dict)


@dataclass
class Batch:
    """A prepared batch: the rows that change, and how many of the chosen ones already had the values."""

    items: list[BatchItem]
    unchanged: int = 0
    plan_ids: set[int] = field(default_factory=set)

    @property
    def activity_ids(self) -> list[int]:
        """The activities the batch changes."""
        return [i.activity_id for i in self.items]

    @property
    def fields(self) -> list[str]:
        """The fields the batch changes, in the order of BATCH_FIELDS (then any implied ones)."""
        keys = {k for i in self.items for k in i.changes}
        order = [*BATCH_FIELDS, "completion_notes"]
        return sorted(keys, key=lambda k: order.index(k) if k in order else len(order))

    def describe(self) -> str:
        """The undo text and status-bar line: 批量修改 5 项的状态、进度."""
        names = "、".join(label(k) for k in self.fields if k != "completion_notes") or "内容"
        return f"批量修改 {len(self.items)} 项的{names}"


def _unit_list(current: list[str], units: list[str], mode: str) -> list[str]:
    if mode == UNIT_ADD:
        return [*current, *(u for u in units if u not in current)]
    if mode == UNIT_REMOVE:
        return [u for u in current if u not in units]
    return list(units)


def values_for(
    activity: Activity, values: dict[str, object], unit_mode: str = UNIT_REPLACE
) -> dict[str, object]:
    """Return the values one activity gets from a batch (units added to / removed from its own in those modes)."""
    out: dict[str, object] = {}
    for key, value in values.items():
        if key not in BATCH_FIELDS:
            raise KeyError(key)
        if key in ("lead_units", "coop_units"):
            units = value if isinstance(value, list) else [str(value)] if value else []
            out[key] = _unit_list(list(getattr(activity, key)), [str(u) for u in units], unit_mode)
        else:
            out[key] = value
    return out


def _unit_conflict(activity: Activity, changes: dict[str, object]) -> str:
    lead = changes.get("lead_units", activity.lead_units)
    coop = changes.get("coop_units", activity.coop_units)
    both = [
        u for u in (lead if isinstance(lead, list) else []) if u in (coop if isinstance(coop, list) else [])
    ]
    return f"“{'、'.join(both)}”不能同时是牵头部门和配合部门。" if both else ""


def prepare_batch(
    db: Database,
    activity_ids: Sequence[int],
    values: dict[str, object],
    *,
    unit_mode: str = UNIT_REPLACE,
    today: dt.date | None = None,
) -> Batch:
    """Work out each activity's change; raise BatchRefused naming the rows that break a rule."""
    if not values:
        raise ValidationError("请至少选择一项要修改的内容。")
    if not activity_ids:
        raise ValidationError("请先在表格中选择要修改的活动。")
    day = today or clock.today()
    items: list[BatchItem] = []
    refused: list[tuple[int, str, str]] = []
    unchanged = 0
    plan_ids: set[int] = set()
    for activity_id in dict.fromkeys(activity_ids):
        try:
            activity = store.get_activity(db, activity_id)
        except KeyError:
            refused.append((0, f"编号 {activity_id}", "该活动已被删除。"))
            continue
        wanted = values_for(activity, values, unit_mode)
        wanted = prefill_notes(activity, wanted, store.list_progress_entries(db, activity_id))
        try:
            changes = editing.prepare_edit(
                db, activity, wanted, plan_year=store.plan_year_of(db, activity_id), today=day
            )
        except ValidationError as exc:
            refused.append((activity.position, activity.name, str(exc)))
            continue
        conflict = _unit_conflict(activity, changes)
        if conflict:
            refused.append((activity.position, activity.name, conflict))
            continue
        if not changes:
            unchanged += 1
            continue
        plan_ids.add(int(activity.plan_id or 0))
        items.append(BatchItem(activity_id, activity.position, activity.name, changes))
    if refused:
        raise BatchRefused(sorted(refused))
    return Batch(items, unchanged, plan_ids)


def apply_batch(db: Database, batch: Batch) -> Batch:
    """Write every row's change in one transaction (all or none), keeping the old values for undo."""
    with db.atomic():
        for item in batch.items:
            item.olds = editing.write(db, item.activity_id, item.changes)
    return batch


def revert_batch(db: Database, batch: Batch) -> None:
    """Put every row's old values back in one transaction (undo)."""
    with db.atomic():
        for item in reversed(batch.items):
            if item.olds:
                editing.write(db, item.activity_id, item.olds)


def set_many(
    db: Database,
    activity_ids: Sequence[int],
    values: dict[str, object],
    *,
    unit_mode: str = UNIT_REPLACE,
    today: dt.date | None = None,
) -> Batch:
    """Prepare and write a batch in one go (no undo: the command line and tests)."""
    return apply_batch(db, prepare_batch(db, activity_ids, values, unit_mode=unit_mode, today=today))
