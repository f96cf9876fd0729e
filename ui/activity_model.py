"""The activity table of one plan as a Qt model over the repository; edits go through the undo stack."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from models import store
from models.errors import ValidationError
from models.labels import label
from models.records import Activity
from models.store.plans import is_archived
from models.textnorm import join_units
from models.timeframe import Timeframe, format_timeframe
from models.tracking import LIGHT_LABELS, Light, light, planned_range
from services.editing import prepare_edit
from ui.session import Session
from ui.undo import EditActivityFields

Index = QModelIndex | QPersistentModelIndex

SortRole = Qt.ItemDataRole.UserRole + 1
RecordRole = Qt.ItemDataRole.UserRole + 2
LightRole = Qt.ItemDataRole.UserRole + 3
SearchRole = Qt.ItemDataRole.UserRole + 4


@dataclass(frozen=True)
class TableColumn:
    """A column of the on-screen table (its header is the vocabulary's label)."""

    key: str
    editable: bool = True
    multiline: bool = False
    default_width: int = 100
    hidden: bool = False

    @property
    def header(self) -> str:
        """The column's Chinese header."""
        return label(self.key)


COLUMNS: tuple[TableColumn, ...] = (
    TableColumn("position", False, default_width=40),
    TableColumn("light", False, default_width=62),
    TableColumn("name", default_width=128),
    TableColumn("content", multiline=True, default_width=160),
    TableColumn("time_text", default_width=62),
    TableColumn("planned", default_width=76),
    TableColumn("location", default_width=50),
    TableColumn("lead_units", default_width=88),
    TableColumn("coop_units", default_width=90),
    TableColumn("status", default_width=56),
    TableColumn("progress", default_width=46),
    TableColumn("completed_on", default_width=96, hidden=True),
    TableColumn("completion_notes", multiline=True, default_width=220, hidden=True),
    TableColumn("remarks", multiline=True, default_width=60),
)
COLUMN_INDEX: dict[str, int] = {c.key: i for i, c in enumerate(COLUMNS)}
#: Columns worked out from others (序号, 亮灯, 计划时间 from 活动时间): Tab passes over them while typing a
#: row, so that the next field's text never lands in one of them (计划时间 is still editable by hand).
COMPUTED_COLUMNS = frozenset({"position", "light", "planned"})

LIGHT_COLOURS: dict[Light, str] = {
    Light.DONE: "#2e9d4f",
    Light.OVERDUE: "#d93025",
    Light.DUE_SOON: "#f2a600",
    Light.ON_TRACK: "#3b78e7",
    Light.CANCELLED: "#9e9e9e",
    Light.UNKNOWN: "#c8c8c8",
    Light.ARCHIVED: "#c8c8c8",
}
#: Two-character labels that fit the narrow 亮灯 column (the full label is in the tooltip).
LIGHT_SHORT: dict[Light, str] = {
    Light.DONE: "完成",
    Light.OVERDUE: "逾期",
    Light.DUE_SOON: LIGHT_LABELS[Light.DUE_SOON],
    Light.ON_TRACK: "正常",
    Light.CANCELLED: "取消",
    Light.UNKNOWN: "—",
    Light.ARCHIVED: "",
}
LIGHT_ORDER = {
    Light.OVERDUE: 0,
    Light.DUE_SOON: 1,
    Light.ON_TRACK: 2,
    Light.UNKNOWN: 3,
    Light.DONE: 4,
    Light.CANCELLED: 5,
    Light.ARCHIVED: 6,
}


def planned_text(activity: Activity, year: int) -> str:
    """Show the planned period, marking a hand override."""
    tf = planned_range(activity, year)
    text = format_timeframe(tf)
    if activity.planned_start or activity.planned_end:
        text += "（手动）"
    return text


def _short(day: dt.date, year: int) -> str:
    return f"{day.month}/{day.day}" if day.year == year else f"{day.year}/{day.month}/{day.day}"


def planned_short(activity: Activity, year: int) -> str:
    """The planned period in a narrow column: 9/1–9/30, 至10/12, 9/1起, or 未识别 (manual ones marked *)."""
    tf = planned_range(activity, year)
    if tf is None or (tf.start is None and tf.end is None):
        return "未识别"
    if tf.start and tf.end:
        text = (
            _short(tf.start, year)
            if tf.start == tf.end
            else f"{_short(tf.start, year)}–{_short(tf.end, year)}"
        )
    elif tf.end:
        text = f"至{_short(tf.end, year)}"
    else:
        text = f"{_short(tf.start, year)}起" if tf.start else "未识别"
    return text + ("*" if activity.planned_start or activity.planned_end else "")


def _search_text(a: Activity) -> str:
    return "\n".join(
        (
            a.name,
            a.content,
            a.time_text,
            a.location,
            a.remarks,
            a.completion_notes,
            *a.lead_units,
            *a.coop_units,
        )
    ).casefold()


_ANSWERED_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.EditRole,
        SortRole,
        RecordRole,
        LightRole,
        SearchRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.TextAlignmentRole,
    }
)


class ActivityTableModel(QAbstractTableModel):
    """Rows are the activities of one plan, in 序号 order."""

    editRejected = Signal(str)  # a Chinese message: the value was not stored

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.plan_id: int | None = None
        self.plan_year = session.today().year
        self.archived = False  # the plan is archived: no lights
        self.rows: list[Activity] = []
        self._row_of: dict[int, int] = {}
        self._cache: dict[int, tuple[Timeframe | None, Light]] = {}
        self._search: dict[int, str] = {}
        self.sort_column = COLUMN_INDEX["position"]
        self.sort_order = Qt.SortOrder.AscendingOrder
        session.activityChanged.connect(self._refresh_activity)
        session.activitiesReset.connect(self._on_reset)
        session.directoryChanged.connect(self.reload)

    # ---- loading
    def set_plan(self, plan_id: int | None) -> None:
        """Show the activities of a plan (None: an empty table)."""
        self.plan_id = plan_id
        self.reload()

    def reload(self) -> None:
        """Reload every row from the database."""
        self.beginResetModel()
        if self.plan_id is None:
            self.rows = []
        else:
            plan = store.get_plan(self.session.db, self.plan_id)
            self.plan_year = plan.year or self.session.today().year
            self.archived = is_archived(self.session.db, self.plan_id)
            self.rows = store.list_activities(self.session.db, self.plan_id)
        self._cache.clear()
        self._search.clear()
        self._apply_sort()
        self.endResetModel()
        if self.rows:  # build the search texts while the clerk reads, so the first search is quick
            QTimer.singleShot(0, self, self.search_texts)

    def is_in_table_order(self) -> bool:
        """Tell whether rows are shown by 序号 ascending (moving rows only makes sense then)."""
        return self.sort_column == COLUMN_INDEX["position"] and self.sort_order == Qt.SortOrder.AscendingOrder

    def _apply_sort(self) -> None:
        key = COLUMNS[self.sort_column].key
        if key != "position" or self.sort_order != Qt.SortOrder.AscendingOrder:
            self._statuses = self.session.settings().all_statuses
            self.rows.sort(
                key=lambda a: self._sort_value(a, key),
                reverse=self.sort_order == Qt.SortOrder.DescendingOrder,
            )
        else:
            self.rows.sort(key=lambda a: a.position)
        self._row_of = {a.id or 0: i for i, a in enumerate(self.rows)}

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows on raw values (dates, numbers, status order), not on display strings.

        Sorting here with a key function is far faster than letting a proxy compare 10,000 rows
        pairwise through Python.
        """
        if not 0 <= column < len(COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        ids = [
            (self.rows[i.row()].id if 0 <= i.row() < len(self.rows) else None, i.column()) for i in persistent
        ]
        self.sort_column, self.sort_order = column, order
        self._apply_sort()
        moved = [self.index(self._row_of[i], c) if i in self._row_of else QModelIndex() for i, c in ids]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def _on_reset(self, plan_id: int) -> None:
        if plan_id == self.plan_id:
            self.reload()

    def _refresh_activity(self, activity_id: int) -> None:
        row = self._row_of.get(activity_id)
        if row is None:
            return
        self.rows[row] = store.get_activity(self.session.db, activity_id)
        self._cache.pop(activity_id, None)
        self._search.pop(activity_id, None)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def activity(self, row: int) -> Activity:
        """Return the record shown in a row."""
        return self.rows[row]

    def row_of(self, activity_id: int) -> int | None:
        """Return the row showing an activity."""
        return self._row_of.get(activity_id)

    def search_text(self, row: int) -> str:
        """Return the lower-cased text the search box looks in, cached until the row changes."""
        a = self.rows[row]
        text = self._search.get(a.id or 0)
        if text is None:
            text = self._search[a.id or 0] = _search_text(a)
        return text

    def search_texts(self) -> list[str]:
        """Return every row's search text in row order (one pass, for filtering 10,000 rows)."""
        cache = self._search
        out = []
        for a in self.rows:
            text = cache.get(a.id or 0)
            if text is None:
                text = cache[a.id or 0] = _search_text(a)
            out.append(text)
        return out

    def tracking(self, a: Activity) -> tuple[Timeframe | None, Light]:
        """Return (planned period, light) of an activity, cached until it changes."""
        key = a.id or 0
        if key not in self._cache:
            tf = planned_range(a, self.plan_year)
            self._cache[key] = (
                tf,
                light(
                    a,
                    self.plan_year,
                    self.session.today(),
                    self.session.due_soon_days(),
                    archived=self.archived,
                ),
            )
        return self._cache[key]

    def refresh_lights(self) -> None:
        """Recompute lights (e.g. after the due-soon setting or the date changed)."""
        self._cache.clear()
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(COLUMNS) - 1))

    # ---- Qt model API
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Return the number of activities (0 under any parent: a flat table)."""
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Return the number of columns."""
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Return the Chinese column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].header
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Editable cells unless the file is open read-only."""
        base = super().flags(index)
        if not index.isValid():
            return base
        if COLUMNS[index.column()].editable and not self.session.readonly:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def _display(self, a: Activity, key: str) -> str:
        if key == "position":
            return str(a.position)
        if key in ("lead_units", "coop_units"):
            return join_units(getattr(a, key))
        if key == "progress":
            return f"{a.progress}%"
        if key == "completed_on":
            return a.completed_on.isoformat() if a.completed_on else ""
        if key == "planned":
            return planned_short(a, self.plan_year)
        if key == "light":
            return LIGHT_SHORT[self.tracking(a)[1]]
        return str(getattr(a, key))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Return display, edit, sort and record values of a cell."""
        if role not in _ANSWERED_ROLES or not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None  # the view asks ~15 roles per cell and paint; most have no answer
        a = self.rows[index.row()]
        key = COLUMNS[index.column()].key
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(a, key)
        if role == Qt.ItemDataRole.EditRole:
            if key in ("lead_units", "coop_units"):
                return list(getattr(a, key))
            if key == "planned":
                return (a.planned_start, a.planned_end, self.tracking(a)[0])
            return getattr(a, key) if key not in ("position", "light") else self._display(a, key)
        if role == SortRole:
            return self._sort_value(a, key)
        if role == RecordRole:
            return a
        if role == LightRole:
            return self.tracking(a)[1]
        if role == SearchRole:
            return self.search_text(index.row())
        if role == Qt.ItemDataRole.DecorationRole and key == "light":
            lit = self.tracking(a)[1]
            return None if lit == Light.ARCHIVED else QColor(LIGHT_COLOURS[lit])
        if role == Qt.ItemDataRole.ForegroundRole and key == "light":
            return QBrush(QColor(LIGHT_COLOURS[self.tracking(a)[1]]).darker(130))
        if role == Qt.ItemDataRole.ToolTipRole:
            if key in ("planned", "time_text", "light"):
                return (
                    f"{LIGHT_LABELS[self.tracking(a)[1]]}\n{label('time_text')}：{a.time_text or '（空）'}\n"
                    f"{label('planned')}：{planned_text(a, self.plan_year)}"
                )
            if key in ("content", "completion_notes", "remarks", "name") and getattr(a, key):
                return str(getattr(a, key))
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("position", "progress", "status"):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _sort_value(self, a: Activity, key: str) -> Any:
        if key == "planned":
            tf = self.tracking(a)[0]
            start = (tf.start or tf.end) if tf else None
            return (start or dt.date.max).toordinal() * 10_000 + a.position
        if key == "light":
            return LIGHT_ORDER[self.tracking(a)[1]] * 100_000 + a.position
        if key in ("position", "progress"):
            return int(getattr(a, key))
        if key == "completed_on":
            return a.completed_on.toordinal() if a.completed_on else 0
        if key == "status":
            statuses = getattr(self, "_statuses", None) or self.session.settings().all_statuses
            return statuses.index(a.status) if a.status in statuses else len(statuses)
        return self._display(a, key)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Validate, then push an undoable edit; a rejected value is reported through editRejected."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.session.readonly:
            return False
        a = self.rows[index.row()]
        column = COLUMNS[index.column()]
        if column.key == "planned":
            start, end = value
            values: dict[str, Any] = {"planned_start": start, "planned_end": end}
        else:
            values = {column.key: value}
        try:
            changed = prepare_edit(
                self.session.db, a, values, plan_year=self.plan_year, today=self.session.today()
            )
        except ValidationError as exc:
            self.editRejected.emit(str(exc))
            return False
        if not changed:
            return False
        self.session.undo_stack.push(
            EditActivityFields(self.session, a.id or 0, changed, f"修改第 {a.position} 项的“{column.header}”")
        )
        return True
