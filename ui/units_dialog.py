"""The unit directory: picking units for an activity, and managing the directory (rename merges)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models import store
from models.errors import ValidationError
from models.labels import label
from models.records import UNIT_KINDS, Unit
from models.store import offices
from ui.session import Session


class UnitPickerDialog(QDialog):
    """Tick units from the directory; the order of the chosen list is kept and can be changed."""

    def __init__(self, session: Session, chosen: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("选择单位")
        self.resize(520, 420)
        self.session = session
        self.available = QListWidget(self)
        self.chosen = QListWidget(self)
        self.chosen.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("筛选或输入新单位名称，回车添加")
        self.filter.textChanged.connect(self._filter)
        self.filter.returnPressed.connect(self._add_typed)
        for unit in store.list_units(session.db, active_only=True):
            item = QListWidgetItem(unit.name)
            item.setToolTip(unit.kind)
            self.available.addItem(item)
        for name in chosen:
            self.chosen.addItem(name)
        self.available.itemDoubleClicked.connect(lambda item: self._add(item.text()))
        self.chosen.itemDoubleClicked.connect(lambda item: self.chosen.takeItem(self.chosen.row(item)))
        add = QPushButton("添加 →", self)
        add.clicked.connect(self._add_selected)
        remove = QPushButton("← 移除", self)
        remove.clicked.connect(
            lambda: [self.chosen.takeItem(self.chosen.row(i)) for i in self.chosen.selectedItems()]
        )
        up = QPushButton("上移", self)
        up.clicked.connect(lambda: self._move(-1))
        down = QPushButton("下移", self)
        down.clicked.connect(lambda: self._move(1))
        middle = QVBoxLayout()
        for button in (add, remove, up, down):
            middle.addWidget(button)
        middle.addStretch()
        lists = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(QLabel("单位名录", self))
        left.addWidget(self.filter)
        left.addWidget(self.available)
        right = QVBoxLayout()
        right.addWidget(QLabel("已选（按顺序）", self))
        right.addWidget(self.chosen)
        lists.addLayout(left)
        lists.addLayout(middle)
        lists.addLayout(right)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(lists)
        layout.addWidget(QLabel("新名称在保存时加入单位名录。", self))
        layout.addWidget(buttons)

    def _filter(self, text: str) -> None:
        for i in range(self.available.count()):
            item = self.available.item(i)
            item.setHidden(bool(text) and text not in item.text())

    def _add_selected(self) -> None:
        for item in self.available.selectedItems():
            self._add(item.text())

    def _add(self, name: str) -> None:
        if name and not self.chosen.findItems(name, Qt.MatchFlag.MatchExactly):
            self.chosen.addItem(name)

    def _add_typed(self) -> None:
        from models.textnorm import clean_name

        name = clean_name(self.filter.text())
        if name:
            self._add(name)
            self.filter.clear()

    def _move(self, step: int) -> None:
        row = self.chosen.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.chosen.count():
            return
        item = self.chosen.takeItem(row)
        self.chosen.insertItem(target, item)
        self.chosen.setCurrentRow(target)

    def selected(self) -> list[str]:
        """Return the chosen names in order."""
        return [self.chosen.item(i).text() for i in range(self.chosen.count())]


class UnitDirectoryDialog(QDialog):
    """Manage the office's unit directory: add, rename (onto an existing name: merge), kind, order, active;
    which units report (下级单位) and the members of a group (各县市区局 → 岳阳县局, 华容县局 …)."""

    #: The columns, by the vocabulary's keys (the headers are its labels).
    KEYS = ("unit_name", "kind", "active", "reporting", "members", "usage")

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("单位名录")
        self.resize(820, 520)
        self.table = QTableWidget(0, len(self.KEYS), self)
        self.table.setTabKeyNavigation(False)  # Tab moves on to the buttons; arrows move in the table
        self.table.setHorizontalHeaderLabels([label(key) for key in self.KEYS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 260)
        buttons = QHBoxLayout()
        for text, slot in (
            ("添加…", self.add),
            ("重命名/合并…", self.rename),
            ("上移", lambda: self.move_unit(-1)),
            ("下移", lambda: self.move_unit(1)),
            ("启用/停用", self.toggle),
            ("删除", self.delete),
            ("设为/取消报送单位", self.toggle_office),
            ("组合成员…", self.edit_members),
        ):
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        self.kind = QComboBox(self)
        self.kind.addItems(list(UNIT_KINDS))
        self.kind.activated.connect(self.set_kind)
        buttons.addWidget(QLabel(f"{label('kind')}：", self))
        buttons.addWidget(self.kind)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        note = QLabel(
            "同名单位重命名为已有名称时，两者合并，活动中的引用一并改过来。"
            "报送单位（下级单位）按方案下发和回收进展情况表；组合（如“各县市区局”）的成员各自承担并报送。",
            self,
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.table.itemSelectionChanged.connect(self._sync_kind)
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        """Refill the table from the directory."""
        units = store.list_units(self.session.db)
        usage = store.unit_usage(self.session.db)
        reporting = offices.office_ids(self.session.db)
        groups = offices.all_groups(self.session.db)
        names = {u.id: u.name for u in units}
        self.units = units
        self.table.setRowCount(len(units))
        for row, unit in enumerate(units):
            members = "、".join(names.get(m, "") for m in groups.get(unit.id or 0, []))
            if not members and unit.kind == "组合":
                members = "（未设成员：其活动不下发）"
            for col, text in enumerate(
                (
                    unit.name,
                    unit.kind,
                    "是" if unit.active else "否",
                    "是" if unit.id in reporting else "",
                    members,
                    str(usage.get(unit.id or 0, 0)),
                )
            ):
                item = QTableWidgetItem(text)
                if not unit.active:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, col, item)
            if unit.id == select_id:
                self.table.selectRow(row)

    def _current(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _sync_kind(self) -> None:
        row = self._current()
        if row is not None:
            self.kind.setCurrentText(self.units[row].kind)

    def _run(self, action: object, select_id: int | None = None) -> None:
        try:
            action()  # type: ignore[operator]
        except ValidationError as exc:
            QMessageBox.warning(self, "单位名录", str(exc))
            return
        self.session.unitsChanged.emit()
        self.session.directoryChanged.emit()
        self.reload(select_id)

    def add(self) -> None:
        """Ask for a name and add it."""
        name, ok = QInputDialog.getText(self, "添加单位", "单位名称：")
        if ok and name.strip():
            self._run(lambda: store.add_unit(self.session.db, name))

    def rename(self) -> None:
        """Rename the selected unit; an existing name merges the two."""
        row = self._current()
        if row is None:
            return
        unit = self.units[row]
        name, ok = QInputDialog.getText(self, "重命名单位", "新名称：", text=unit.name)
        if not ok or not name.strip() or name.strip() == unit.name:
            return
        other = store.find_unit(self.session.db, name)
        if other is not None and other.id != unit.id:
            answer = QMessageBox.question(
                self, "合并单位", f"名录中已有“{other.name}”。是否将“{unit.name}”合并到“{other.name}”？"
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._run(lambda: store.update_unit(self.session.db, unit.id or 0, name=name), unit.id)

    def move_unit(self, step: int) -> None:
        """Move the selected unit up or down in the directory order."""
        row = self._current()
        if row is None or not 0 <= row + step < len(self.units):
            return
        a, b = self.units[row], self.units[row + step]
        self._run(lambda: store.swap_unit_order(self.session.db, a.id or 0, b.id or 0), a.id)

    def toggle(self) -> None:
        """Activate or deactivate the selected unit (inactive units are not offered for new picks)."""
        row = self._current()
        if row is not None:
            unit = self.units[row]
            self._run(
                lambda: store.update_unit(self.session.db, unit.id or 0, active=not unit.active), unit.id
            )

    def set_kind(self, _index: int) -> None:
        """Set the kind of the selected unit."""
        row = self._current()
        if row is not None:
            unit = self.units[row]
            self._run(
                lambda: store.update_unit(self.session.db, unit.id or 0, kind=self.kind.currentText()),
                unit.id,
            )

    def delete(self) -> None:
        """Delete an unused unit after asking."""
        row = self._current()
        if row is None:
            return
        unit = self.units[row]
        if (
            QMessageBox.question(self, "删除单位", f"确定删除“{unit.name}”？")
            == QMessageBox.StandardButton.Yes
        ):
            self._run(lambda: store.delete_unit(self.session.db, unit.id or 0))

    def toggle_office(self) -> None:
        """Mark the selected unit as reporting (下级单位) or not."""
        row = self._current()
        if row is not None:
            unit = self.units[row]
            reports = (unit.id or 0) not in offices.office_ids(self.session.db)
            self._run(lambda: offices.set_office(self.session.db, unit.id or 0, reports), unit.id)

    def edit_members(self) -> None:
        """Choose the members of the selected group."""
        row = self._current()
        if row is None:
            return
        unit = self.units[row]
        dialog = GroupMembersDialog(self.session, unit, self)
        if dialog.exec():
            chosen = dialog.chosen()

            def save() -> None:
                with self.session.db.atomic():
                    offices.set_group_members(self.session.db, unit.id or 0, chosen)
                    if unit.kind != "组合":
                        store.update_unit(self.session.db, unit.id or 0, kind="组合")

            self._run(save, unit.id)


class GroupMembersDialog(QDialog):
    """Tick the members of a group; a button proposes them from the group's name."""

    def __init__(self, session: Session, group: Unit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"组合成员 — {group.name}")
        self.resize(380, 460)
        self.session, self.group = session, group
        self.list = QListWidget(self)
        current = {u.id for u in offices.group_members(session.db, group.id or 0)}
        for unit in store.list_units(session.db, active_only=True):
            if unit.id == group.id:
                continue
            item = QListWidgetItem(unit.name)
            item.setData(Qt.ItemDataRole.UserRole, unit.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if unit.id in current else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        suggest = QPushButton("按名称建议成员", self)
        suggest.clicked.connect(self.suggest)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("勾选承担该组合任务的单位（成员各自报送进展）：", self))
        layout.addWidget(self.list)
        layout.addWidget(suggest)
        layout.addWidget(buttons)

    def suggest(self) -> None:
        """Tick the units the group's name suggests (各县市区局 → every 县市区局 …)."""
        from services.rollup import suggest_members

        ids = {u.id for u in suggest_members(self.session.db, self.group)}
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) in ids:
                item.setCheckState(Qt.CheckState.Checked)

    def chosen(self) -> list[int]:
        """Return the ticked unit ids in directory order."""
        return [
            int(self.list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]
