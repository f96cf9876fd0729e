"""回收: many returns at once — read in the background, shown per file (office, rows matched, what changes),
written only on 确定, each file in its own transaction, off the window's thread with progress and 取消."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.labels import label
from models.records import Plan
from services.rollup import CollectOutcome, CollectPreview, ReturnPreview, choose_office, plan_offices
from ui.session import Session
from ui.workers import BackgroundTask, Progress, error_text, preload

MODULES = ("services.rollup", "exports.returns_reader", "exports.rollout_xlsx", "openpyxl", "python_calamine")


def _value(value: object) -> str:
    return "（空）" if value in (None, "") else str(value)


class CollectDialog(QDialog):
    """The preview of a batch of returns; nothing is written before 确定."""

    HEADERS = ("文件", label("filling_unit"), "对应行数", "变化", "说明")

    def __init__(
        self, session: Session, plan: Plan, paths: list[Path], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session, self.plan, self.paths = session, plan, paths
        self.plan_id = int(plan.id or 0)
        self.setWindowTitle(f"回收进展情况表 — {plan.title}")
        self.resize(1000, 620)
        self.preview: CollectPreview | None = None
        self.outcomes: list[CollectOutcome] = []
        self.task: BackgroundTask[CollectPreview] | None = None
        self.apply_task: BackgroundTask[list[CollectOutcome]] | None = None
        self.offices = plan_offices(session.db, self.plan_id)
        self.table = QTableWidget(0, len(self.HEADERS), self)
        self.table.setHorizontalHeaderLabels(list(self.HEADERS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        for col, width in enumerate((260, 130, 70, 60)):
            self.table.setColumnWidth(col, width)
        self.table.itemSelectionChanged.connect(self._show_detail)
        self.detail = QPlainTextEdit(self)
        self.detail.setReadOnly(True)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setSizes([360, 220])
        self.summary = QLabel("正在读取…", self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定回收")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)

    # ---- reading
    def start(self) -> None:
        """Read and match every file in the background."""
        preload(*MODULES)
        task = BackgroundTask(self._preview_job(), label="正在读取报回的进展情况表…", parent=self)
        task.on_done(self.show_preview)
        task.on_error(self._unreadable)
        self.task = task.start()

    def _unreadable(self, error: BaseException) -> None:
        QMessageBox.warning(self, "回收", error_text(error))
        self.reject()

    def _preview_job(self) -> Callable[[Progress], CollectPreview]:
        from services.rollup import preview_returns

        path, plan_id, paths, db = self.session.path, self.plan_id, self.paths, self.session.db

        def job(progress: Progress) -> CollectPreview:
            if path is None:
                return preview_returns(db, plan_id, paths, progress)
            from models.db import open_database

            own = open_database(path, readonly=True, check=False)
            try:
                return preview_returns(own, plan_id, paths, progress)
            finally:
                own.close()

        return job

    def show_preview(self, preview: CollectPreview) -> None:
        """Fill the table: one row per file."""
        self.preview = preview
        self.table.setRowCount(len(preview.items))
        for row, item in enumerate(preview.items):
            self._fill_row(row, item)
        if preview.items:
            self.table.selectRow(0)
        self._update_summary()

    def _fill_row(self, row: int, item: ReturnPreview) -> None:
        note = item.refused or ("请选择填报单位" if item.needs_office else f"按{item.office_from}确定单位")
        if item.ok and item.warnings:
            note += f"；{len(item.warnings)} 条提示"
        values = (item.path.name, item.office, str(len(item.matches)), str(len(item.changes)), note)
        for col, text in enumerate(values):
            cell = QTableWidgetItem(text)
            cell.setToolTip(text)
            if item.refused:
                cell.setForeground(Qt.GlobalColor.red)
            self.table.setItem(row, col, cell)
        if item.needs_office and not item.refused:
            combo = QComboBox(self.table)
            combo.addItem("请选择…", None)
            for unit in self.offices:
                combo.addItem(unit.name, unit.id)
            combo.activated.connect(lambda _i, r=row, c=combo: self.choose(r, c.currentData()))
            self.table.setCellWidget(row, 1, combo)
        else:
            self.table.removeCellWidget(row, 1)

    def choose(self, row: int, office_id: object) -> None:
        """Match a file again as the office the clerk chose."""
        if self.preview is None or not isinstance(office_id, int):
            return
        item = choose_office(self.session.db, self.plan_id, self.preview.items[row], office_id)
        self.preview.items[row] = item
        self._fill_row(row, item)
        self.table.selectRow(row)
        self._show_detail()
        self._update_summary()

    def _update_summary(self) -> None:
        items = self.preview.items if self.preview else []
        ok = [i for i in items if i.ok]
        refused = [i for i in items if i.refused]
        asked = [i for i in items if i.needs_office and not i.refused]
        self.summary.setText(
            f"共 {len(items)} 个文件：可回收 {len(ok)} 个（{sum(len(i.changes) for i in ok)} 处变化），"
            f"拒收 {len(refused)} 个，待选择单位 {len(asked)} 个。确定前不写入任何数据。"
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(ok))

    def _show_detail(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if self.preview is None or not rows:
            self.detail.clear()
            return
        item = self.preview.items[rows[0].row()]
        lines = [f"文件：{item.path}"]
        if item.refused:
            lines.append(f"拒收原因：{item.refused}")
        if item.form:
            lines.append("；".join(f"{label(k)}：{v}" for k, v in item.form.items()))
        if item.matches:
            lines.append("对应关系：")
            lines += [f"  第 {m.excel_row} 行 → [{m.position}] {m.name}（按{m.how}）" for m in item.matches]
        if item.changes:
            lines.append("变化：")
            lines += [
                f"  [{c.position}] {c.name} {label(c.field)}：{_value(c.old)} → {_value(c.new)}"
                for c in item.changes
            ]
        if item.images:
            lines.append(f"随表照片：{len(item.images)} 张，作为对应活动的佐证材料保存。")
        if item.files:
            lines.append(f"随表附件：{len(item.files)} 个，作为对应活动的佐证材料保存：")
            lines += [
                f"  {f.name} → [{next((m.position for m in item.matches if m.activity_id == a), '')}]"
                for a, f in item.files
            ]
        lines += [f"提示：{w}" for w in item.warnings]
        self.detail.setPlainText("\n".join(lines))

    # ---- writing
    def apply(self) -> None:
        """Back up, then write the collectable files in the background (each in its own transaction)."""
        if self.preview is None:
            return
        if self.session.readonly:
            QMessageBox.information(self, "只读", "此数据库以只读方式打开，不能回收。")
            return
        self.buttons.setEnabled(False)
        task = BackgroundTask(self._apply_job(self.preview), label="正在回收…", parent=self)
        task.on_done(self._applied)
        task.on_error(self._failed)
        self.apply_task = task.start()

    def _apply_job(self, preview: CollectPreview) -> Callable[[Progress], list[CollectOutcome]]:
        from services.rollup import apply_returns

        path, db, evidence = self.session.path, self.session.db, self.session.evidence_dir
        # backed up first; a backup that fails is told in the status bar (on the window's thread) and
        # the collection goes on
        on_failure = self.session.tell_and_go_on

        def job(progress: Progress) -> list[CollectOutcome]:
            if path is None:
                return apply_returns(db, preview, evidence, progress)
            from models.db import open_database

            own = open_database(path, check=False)
            try:
                return apply_returns(
                    own, preview, evidence, progress, backup_of=path, on_backup_failure=on_failure
                )
            finally:
                own.close()

        return job

    def _applied(self, outcomes: list[CollectOutcome]) -> None:
        self.outcomes = outcomes
        self._refresh()
        done = [o for o in outcomes if not o.refused]
        refused = [o for o in outcomes if o.refused]
        text = f"已回收 {len(done)} 个文件，共 {sum(o.changes for o in done)} 处变化。"
        if refused:
            text += "\n未回收：\n" + "\n".join(f"{o.path.name}：{o.refused}" for o in refused[:20])
        self.session.message.emit(text.split("\n")[0])
        QMessageBox.information(self, "回收", text)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._refresh()  # files written before 取消 stay written: each is complete on its own
        self.buttons.setEnabled(True)
        QMessageBox.warning(self, "回收", error_text(error) + "\n已回收的文件各自完整保存；其余未写入。")

    def _refresh(self) -> None:
        self.session.activitiesReset.emit(self.plan_id)
