"""Filtering and sorting the activity table: search text, status, unit, overdue only."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt

from models.tracking import Light
from ui.activity_model import ActivityTableModel, LightRole, RecordRole, SearchRole, SortRole


class ActivityFilterProxy(QSortFilterProxyModel):
    """Shows the rows that match every active filter; sorts on raw values (SortRole)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)
        self.setDynamicSortFilter(False)  # the source model sorts; the proxy only filters
        self._text = ""
        self._status = ""
        self._unit = ""
        self._lights: set[Light] = set()

    def set_filters(
        self, *, text: str | None = None, status: str | None = None, unit: str | None = None,
        lights: set[Light] | None = None,
    ) -> None:
        """Change any of the filters and refilter once."""
        self.beginFilterChange()
        if text is not None:
            self._text = text.strip().casefold()
        if status is not None:
            self._status = status
        if unit is not None:
            self._unit = unit
        if lights is not None:
            self._lights = set(lights)
        self.endFilterChange()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Hand sorting to the source model (fast key sort), keeping the proxy's own order unsorted."""
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)

    def is_filtered(self) -> bool:
        """Tell whether any filter hides rows."""
        return bool(self._text or self._status or self._unit or self._lights)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        """Accept a row when it matches the search text, status, unit and light filters."""
        model = self.sourceModel()
        if not self.is_filtered():
            return True
        if isinstance(model, ActivityTableModel):  # direct access: no QModelIndex per row (10,000 rows)
            activity = model.rows[source_row]
            lit = model.tracking(activity)[1] if self._lights else None
            haystack = model.search_text(source_row) if self._text else ""
        else:
            index = model.index(source_row, 0, source_parent)
            activity = model.data(index, RecordRole)
            lit = model.data(index, LightRole)
            haystack = str(model.data(index, SearchRole)).casefold()
        if activity is None:
            return False
        if self._status and activity.status != self._status:
            return False
        if self._unit and self._unit not in activity.lead_units and self._unit not in activity.coop_units:
            return False
        if self._lights and lit not in self._lights:
            return False
        return all(word in haystack for word in self._text.split())
