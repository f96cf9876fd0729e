"""The activity table panel: filter bar, the table view and the row actions (add, delete, move)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QStyle,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models import store
from models.records import Activity
from models.tracking import Light
from ui.activity_model import COLUMN_INDEX, COLUMNS, COMPUTED_COLUMNS, ActivityTableModel, RecordRole
from ui.delegates import ActivityDelegate
from ui.filter_proxy import ActivityFilterProxy
from ui.session import Session
from ui.undo import DeleteActivities, InsertActivity, MoveActivity

_LINE_BREAKS = ("\n", "\r", "\u2028", "\u2029")  # what QTextLayout breaks a line at


class ActivityTableView(QTableView):
    """The table view; fits a row's height asking the delegate only about cells that wrap.

    Qt's own sizeHintForRow asks the delegate for every visible cell, and each ask is about ten
    Python `data()` calls. A cell whose text fits on one line is no taller than one line of the
    tallest-glyph sample ("国Ag"), so once the row is that tall it is skipped; the cells that wrap are
    measured exactly as Qt measures them (one pixel narrower when the grid is shown, as Qt does). A
    cell with characters the view's font lacks is always measured: a fallback font may set them
    wider or taller than the sample (a machine with no CJK font, a rare character on Windows).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # activity id → (its record, font + columns + widths measured with, height). The model
        # replaces a record when the activity changes, so `is` on the record tells a stale entry.
        self._heights: dict[int, tuple[object, tuple[object, ...], int]] = {}
        self._line: tuple[str, int] = ("", 0)  # (font key, height of a one-line cell in that font)
        self._covered: tuple[str, dict[str, bool]] = ("", {})  # (font key, character → in the font)

    def _in_font(self, text: str) -> bool:
        """Tell whether the view's own font has every character of `text` (no fallback font needed)."""
        font = self.font().key()
        if self._covered[0] != font:
            self._covered = (font, {})
        known = self._covered[1]
        metrics = self.fontMetrics()
        for ch in text:
            has = known.get(ch)
            if has is None:
                has = known[ch] = ch.isspace() or metrics.inFontUcs4(ord(ch))
            if not has:
                return False
        return True

    def _one_line_height(self, option: QStyleOptionViewItem) -> int:
        font = self.font().key()
        if self._line[0] != font:
            sample = QStyleOptionViewItem(option)
            sample.text = "国Ag"
            sample.features |= QStyleOptionViewItem.ViewItemFeature.HasDisplay
            size = self.style().sizeFromContents(QStyle.ContentsType.CT_ItemViewItem, sample, QSize(), self)
            self._line = (font, size.height())
        return self._line[1]

    def sizeHintForRow(self, row: int) -> int:
        """Return the height row `row` needs to show all its text."""
        model = self.model()
        if model is None or not 0 <= row < model.rowCount():
            return super().sizeHintForRow(row)
        header = self.horizontalHeader()
        # Like Qt (resizeContentsPrecision 1000): every shown column, scrolled into view or not.
        columns = [c for c in range(model.columnCount()) if not header.isSectionHidden(c)]
        shape = (self.font().key(), self.devicePixelRatioF(), *columns, *map(header.sectionSize, columns))
        record = model.index(row, 0).data(RecordRole)
        key = getattr(record, "id", None)
        cached = self._heights.get(key) if key is not None else None
        if cached is not None and cached[0] is record and cached[1] == shape:
            return cached[2]
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        margin = 2 * (self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self) + 1)
        grid = 1 if self.showGrid() else 0  # Qt gives a cell one pixel less when the grid is drawn
        metrics = self.fontMetrics()
        line = self._one_line_height(option)
        hint = 0
        for column in columns:
            index = model.index(row, column)
            text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
            width = header.sectionSize(column) - grid
            if (
                hint >= line
                and index.data(Qt.ItemDataRole.DecorationRole) is None
                and not any(mark in text for mark in _LINE_BREAKS)
                and metrics.horizontalAdvance(text) <= width - margin
                and self._in_font(text)
            ):
                continue  # one line of text: cannot make the row taller than it already is
            option.rect.setRect(
                self.columnViewportPosition(column),
                self.rowViewportPosition(row),
                width,
                max(self.rowHeight(row), hint),
            )
            hint = max(hint, self.itemDelegateForIndex(index).sizeHint(option, index).height())
        hint = hint + 1 if self.showGrid() else hint
        if key is not None:
            self._heights[key] = (record, shape, hint)
        return hint

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        """Tab / Shift+Tab (also from an editor) go to the next / previous cell the clerk types in:
        hidden and computed columns (序号, 亮灯, 计划时间) are passed over, and the row wraps."""
        action = QAbstractItemView.CursorAction
        if cursorAction not in (action.MoveNext, action.MovePrevious):
            return super().moveCursor(cursorAction, modifiers)
        model = self.model()
        current = self.currentIndex()
        if model is None or not current.isValid():
            return super().moveCursor(cursorAction, modifiers)
        header = self.horizontalHeader()
        stops = [
            header.logicalIndex(v)
            for v in range(header.count())
            if not header.isSectionHidden(header.logicalIndex(v))
            and COLUMNS[header.logicalIndex(v)].key not in COMPUTED_COLUMNS
        ]
        if not stops:
            return super().moveCursor(cursorAction, modifiers)
        row, visual = current.row(), header.visualIndex(current.column())
        step = 1 if cursorAction == action.MoveNext else -1
        later = [c for c in stops if (header.visualIndex(c) - visual) * step > 0]
        if later:
            column = min(later, key=lambda c: header.visualIndex(c) * step)
        else:  # past the row's last field: the next row's first (or the previous row's last)
            row += step
            if not 0 <= row < model.rowCount():
                return current
            column = stops[0] if step > 0 else stops[-1]
        return model.index(row, column)

    def forget_heights(self) -> None:
        """Drop the measured heights (the set of rows changed)."""
        self._heights.clear()


class ActivityTablePanel(QWidget):
    """Shows and edits the activity table of the current plan."""

    currentActivityChanged = Signal(object)  # Activity | None

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = ActivityTableModel(session, self)
        self.proxy = ActivityFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = ActivityTableView(self)
        self.view.setObjectName("activityTable")
        self.view.setModel(self.proxy)
        self.view.setItemDelegate(ActivityDelegate(session, self.view))
        self.view.setWordWrap(True)
        # Tab leaves the table for the side panel (arrows move between cells); while a cell is being
        # edited, Tab still saves it and edits the next cell, as in Excel.
        self.view.setTabKeyNavigation(False)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(COLUMN_INDEX["position"], Qt.SortOrder.AscendingOrder)
        self.view.verticalHeader().setVisible(False)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        for i, column in enumerate(COLUMNS):
            self.view.setColumnWidth(i, self.default_width(column.key, column.default_width))
            self.view.setColumnHidden(i, column.hidden)
        header.sectionResized.connect(lambda *_: self._schedule_rows())
        self._rows_timer = QTimer(self)
        self._rows_timer.setSingleShot(True)
        self._rows_timer.setInterval(0)
        self._rows_timer.timeout.connect(self._fit_visible_rows)
        self.view.verticalScrollBar().valueChanged.connect(lambda *_: self._schedule_rows())
        for signal in (self.model.modelReset, self.model.dataChanged, self.proxy.layoutChanged):
            signal.connect(self._schedule_rows)
        self.model.modelReset.connect(self.view.forget_heights)
        self.model.editRejected.connect(lambda text: QMessageBox.warning(self, "无法保存", text))
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._emit_current())
        self.model.modelReset.connect(self._emit_current)
        self.model.dataChanged.connect(lambda *_: self._emit_current())

        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText("搜索活动名称、内容、时间、地点、单位、备注… (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda text: self.proxy.set_filters(text=text))
        self.status_filter = QComboBox(self)
        self.status_filter.setObjectName("statusFilter")
        self.unit_filter = QComboBox(self)
        self.unit_filter.setObjectName("unitFilter")
        self.unit_filter.setMinimumContentsLength(8)
        self.overdue_only = QCheckBox("只看逾期", self)
        self.overdue_only.setObjectName("overdueOnly")
        self.status_filter.currentIndexChanged.connect(self._apply_combo_filters)
        self.unit_filter.currentIndexChanged.connect(self._apply_combo_filters)
        self.overdue_only.toggled.connect(self._apply_combo_filters)
        self.count_label = QLabel(self)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        bar.addWidget(QLabel("状态", self))
        bar.addWidget(self.status_filter, 1)
        bar.addWidget(QLabel("单位", self))
        bar.addWidget(self.unit_filter, 1)
        bar.addWidget(self.overdue_only)
        bar.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view)
        self.refill_filters()
        session.unitsChanged.connect(self.refill_filters)
        self.model.modelReset.connect(self.refill_filters)  # another plan: its own units
        for signal in (
            self.model.modelReset,
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.layoutChanged,
        ):
            signal.connect(self._update_count)

    def default_width(self, key: str, fallback: int) -> int:
        """A column's first width: the narrow columns fit their widest usual text in this font (计划时间
        shows "10/11–10/31" whole), the others keep their designed width."""
        samples = {
            "planned": "10/11–10/31*",
            "status": "进行中",
            "progress": "100%",
            "light": "逾期",
            "position": "999",
        }
        sample = samples.get(key)
        if sample is None:
            return fallback
        extra = 30 if key == "light" else 16  # the light's coloured dot
        return max(fallback, self.view.fontMetrics().horizontalAdvance(sample) + extra)

    # ---- filters
    def plan_units(self) -> list[str]:
        """The units of the current plan's activities (lead and co-operating), in directory order."""
        used = {n for a in self.model.rows for n in (*a.lead_units, *a.coop_units)}
        ordered = [u.name for u in store.list_units(self.session.db) if u.name in used]
        return ordered + sorted(used - set(ordered))

    def refill_filters(self) -> None:
        """Refill the status and unit filter lists (the unit list holds the current plan's units),
        keeping the current choice where it still exists."""
        changed = False
        for combo, items in (
            (self.status_filter, self.session.settings().all_statuses),
            (self.unit_filter, self.plan_units()),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("全部", "")
            for item in items:
                combo.addItem(item, item)
            found = combo.findData(current)
            combo.setCurrentIndex(max(0, found))
            combo.blockSignals(False)
            changed = changed or (found < 0 and bool(current))
        if changed:  # a chosen unit the new plan does not have: show every row rather than none
            self._apply_combo_filters()

    def _apply_combo_filters(self) -> None:
        self.proxy.set_filters(
            status=self.status_filter.currentData() or "",
            unit=self.unit_filter.currentData() or "",
            lights={Light.OVERDUE} if self.overdue_only.isChecked() else set(),
        )
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(f"{shown}/{total} 项" if shown != total else f"共 {total} 项")
        self._schedule_rows()

    # ---- rows growing to fit their text, computed for the visible rows only (fast on 10,000 rows)
    def _schedule_rows(self, *_args: object) -> None:
        self._rows_timer.start()

    def _fit_visible_rows(self) -> None:
        view = self.view
        count = self.proxy.rowCount()
        if not count:
            return
        first = max(0, view.rowAt(0))
        last = view.rowAt(view.viewport().height())
        last = count - 1 if last < 0 else last
        for row in range(first, min(count, last + 3)):
            view.resizeRowToContents(row)

    # ---- selection
    def current_activity(self) -> Activity | None:
        """Return the activity of the current row, if any."""
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        return self.model.activity(self.proxy.mapToSource(index).row())

    def selected_activities(self) -> list[Activity]:
        """Return the selected activities in table order."""
        rows = {self.proxy.mapToSource(i).row() for i in self.view.selectionModel().selectedRows()}
        if not rows and self.current_activity() is not None:
            return [self.current_activity()]  # type: ignore[list-item]
        return [self.model.activity(r) for r in sorted(rows)]

    def _emit_current(self) -> None:
        self.currentActivityChanged.emit(self.current_activity())

    def select_activity(self, activity_id: int, column: str = "position") -> None:
        """Make an activity's row current (after adding or moving it)."""
        row = self.model.row_of(activity_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, COLUMN_INDEX[column]))
        if index.isValid():
            self.view.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.view.scrollTo(index)

    # ---- actions
    def _check_writable(self) -> bool:
        if self.session.readonly:
            QMessageBox.information(
                self, "只读", f"此数据库以只读方式打开，不能修改。\n{self.session.readonly_reason}"
            )
            return False
        return self.model.plan_id is not None

    def add_activity(self, *, before_current: bool = False) -> None:
        """Add a new activity at the end (or before the current row) and start editing its name."""
        if not self._check_writable():
            return
        position = None
        current = self.current_activity()
        if before_current and current is not None:
            position = current.position
        command = InsertActivity(self.session, self.model.plan_id or 0, Activity(name="新活动"), position)
        self.session.undo_stack.push(command)
        self.select_activity(command.activity_id, "name")
        self.view.edit(self.view.currentIndex())

    def delete_selected(self, *, confirm: bool = True) -> None:
        """Delete the selected activities after asking."""
        if not self._check_writable():
            return
        chosen = self.selected_activities()
        if not chosen:
            return
        names = "\n".join(f"{a.position}. {a.name}" for a in chosen[:8])
        more = f"\n……等共 {len(chosen)} 项" if len(chosen) > 8 else ""
        if (
            confirm
            and QMessageBox.question(self, "删除活动", f"确定删除以下活动？（可以撤销）\n\n{names}{more}")
            != QMessageBox.StandardButton.Yes
        ):
            return
        self.session.undo_stack.push(
            DeleteActivities(self.session, self.model.plan_id or 0, [a.id or 0 for a in chosen])
        )

    def move_current(self, step: int) -> None:
        """Move the current activity up (-1) or down (+1); 序号 are renumbered."""
        if not self._check_writable():
            return
        current = self.current_activity()
        if current is None:
            return
        if not self.model.is_in_table_order():
            self.view.sortByColumn(COLUMN_INDEX["position"], Qt.SortOrder.AscendingOrder)
        target = current.position + step
        if not 1 <= target <= self.model.rowCount():
            return
        self.session.undo_stack.push(
            MoveActivity(self.session, self.model.plan_id or 0, current.id or 0, current.position, target)
        )
        self.select_activity(current.id or 0)

    # ---- columns and remembered widths
    def _header_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        for i, column in enumerate(COLUMNS):
            action = menu.addAction(column.header)
            action.setCheckable(True)
            action.setChecked(not self.view.isColumnHidden(i))
            action.toggled.connect(lambda on, i=i: self.view.setColumnHidden(i, not on))
        menu.exec(self.view.horizontalHeader().mapToGlobal(pos))

    def save_state(self, settings: QSettings) -> None:
        """Remember column widths, order and visibility."""
        settings.setValue("table/header", self.view.horizontalHeader().saveState())

    def restore_state(self, settings: QSettings) -> None:
        """Restore column widths, order and visibility."""
        state = settings.value("table/header")
        if state is not None:
            self.view.horizontalHeader().restoreState(state)

    def current_index(self) -> QModelIndex:
        """Return the view's current index (for tests and the main window)."""
        return self.view.currentIndex()
