"""The columns of an activity table, shared by every export format (xlsx, PDF) and the importer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from models.records import Activity
from models.textnorm import join_units


@dataclass(frozen=True)
class Column:
    """One exportable column: key, Chinese header, how to render an activity, relative width."""

    key: str
    header: str
    text: Callable[[Activity], str]
    weight: float  # relative width for layouts that proportion columns


def _date(value: object) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else ""


COLUMNS: dict[str, Column] = {
    c.key: c
    for c in (
        Column("position", "序号", lambda a: str(a.position), 0.5),
        Column("name", "活动名称", lambda a: a.name, 2.2),
        Column("content", "活动主要内容", lambda a: a.content, 4.0),
        Column("time_text", "活动时间", lambda a: a.time_text, 1.1),
        Column("location", "活动地点", lambda a: a.location, 1.1),
        Column("lead_units", "牵头部门", lambda a: join_units(a.lead_units), 1.4),
        Column("coop_units", "配合部门", lambda a: join_units(a.coop_units), 1.6),
        Column("remarks", "备注", lambda a: a.remarks, 1.0),
        Column("status", "状态", lambda a: a.status, 0.8),
        Column("progress", "进度", lambda a: f"{a.progress}%", 0.6),
        Column("completed_on", "完成时间", lambda a: _date(a.completed_on), 1.0),
        Column("completion_notes", "完成情况", lambda a: a.completion_notes, 3.0),
    )
}

#: The columns of the official table (附件2 style), in order.
DEFAULT_TABLE_COLUMNS: tuple[str, ...] = (
    "position", "name", "content", "time_text", "location", "lead_units", "coop_units", "remarks",
)
