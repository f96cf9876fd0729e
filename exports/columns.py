"""The columns of an activity table, shared by every export format (xlsx, PDF) and the importer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from models.labels import label
from models.records import Activity
from models.textnorm import join_units


@dataclass(frozen=True)
class Column:
    """One exportable column: key (its header is the vocabulary's label), how to render an activity, width."""

    key: str
    text: Callable[[Activity], str]
    weight: float  # relative width for layouts that proportion columns

    @property
    def header(self) -> str:
        """The column's Chinese header (the vocabulary's label)."""
        return label(self.key)


def _date(value: object) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else ""


COLUMNS: dict[str, Column] = {
    c.key: c
    for c in (
        Column("position", lambda a: str(a.position), 0.5),
        Column("name", lambda a: a.name, 2.2),
        Column("content", lambda a: a.content, 4.0),
        Column("time_text", lambda a: a.time_text, 1.1),
        Column("location", lambda a: a.location, 1.1),
        Column("lead_units", lambda a: join_units(a.lead_units), 1.4),
        Column("coop_units", lambda a: join_units(a.coop_units), 1.6),
        Column("remarks", lambda a: a.remarks, 1.0),
        Column("status", lambda a: a.status, 0.8),
        Column("progress", lambda a: f"{a.progress}%", 0.6),
        Column("completed_on", lambda a: _date(a.completed_on), 1.0),
        Column("completion_notes", lambda a: a.completion_notes, 3.0),
    )
}

#: The columns of the official table (附件2 style), in order.
DEFAULT_TABLE_COLUMNS: tuple[str, ...] = (
    "position",
    "name",
    "content",
    "time_text",
    "location",
    "lead_units",
    "coop_units",
    "remarks",
)

#: The table columns a progress report starts with (the tracking columns follow): enough to tell the
#: activities apart, few enough that the report prints at a readable size on A4.
PROGRESS_BASE_COLUMNS: tuple[str, ...] = ("position", "name", "time_text", "lead_units")
