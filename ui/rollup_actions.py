"""The 报送 menu (下发 / 回收 / 汇总, and the office's side: import an upper table, reply in it) and
drag-and-drop of returned files onto the main window. `install(window)` adds both to a MainWindow."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QDropEvent
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMainWindow, QMenu, QMessageBox

from exports.returns_reader import SUFFIXES
from models.errors import TaizhangError
from models.records import Plan


class RollupActions(QObject):
    """The roll-up actions of one main window; it holds no data of its own."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window: Any = window  # the MainWindow: session, settings, current_plan(), menus
        self.dialog: Any = None  # the last dialog opened (kept for tests and for Qt's sake)
        self.menu = self._build_menu()
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    # ---- menu
    def _build_menu(self) -> QMenu:
        bar = self.window.menuBar()
        menu = QMenu("报送(&R)", self.window)
        help_menu = getattr(self.window, "menu_help", None)
        if isinstance(help_menu, QMenu):
            bar.insertMenu(help_menu.menuAction(), menu)
        else:
            bar.addMenu(menu)
        self.actions: dict[str, QAction] = {}
        for key, text, slot in (
            ("rollout", "下发进展情况表…", self.rollout),
            ("collect", "回收进展情况表…", self.collect_files),
            ("collect_folder", "回收文件夹…", self.collect_folder),
            ("board", "各单位汇总…", self.board),
            (None, "", None),
            ("import_upper", "导入上级下发的表格…", self.import_upper),
            ("reply", "按上级模板回复…", self.reply),
        ):
            if key is None or slot is None:
                menu.addSeparator()
                continue
            action = QAction(text, self.window)
            action.triggered.connect(slot)
            menu.addAction(action)
            self.actions[key] = action
        return menu

    def _plan(self) -> Plan | None:
        plan = self.window.current_plan()
        if plan is None:
            QMessageBox.information(self.window, "报送", "请先在左侧选择一个方案。")
        return plan  # type: ignore[no-any-return]

    def _folder(self) -> str:
        return str(self.window.settings.value("rollup/folder", str(Path.home())))

    def rollout(self) -> None:
        """Open the 下发 dialog for the current plan."""
        plan = self._plan()
        if plan is None or not self.window.ensure_writable():
            return
        from ui.rollout_dialog import RolloutDialog

        self.dialog = RolloutDialog(self.window.session, plan, self.window, self.window.settings)
        self.dialog.exec()

    def collect_files(self) -> None:
        """Pick returned files and collect them."""
        paths, _ = QFileDialog.getOpenFileNames(
            self.window, "回收进展情况表", self._folder(), "Excel/WPS 表格 (*.xlsx *.xlsm *.xls *.et)"
        )
        if paths:
            self.collect([Path(p) for p in paths])

    def collect_folder(self) -> None:
        """Pick a folder of returns and collect every workbook in it."""
        folder = QFileDialog.getExistingDirectory(self.window, "回收文件夹中的进展情况表", self._folder())
        if folder:
            self.collect([Path(folder)])

    def collect(self, paths: list[Path]) -> None:
        """Preview the returns for the current plan; the clerk confirms before anything is written."""
        plan = self._plan()
        if plan is None or not self.window.ensure_writable():
            return
        self.window.settings.setValue(
            "rollup/folder", str(paths[0] if paths[0].is_dir() else paths[0].parent)
        )
        from ui.collect_dialog import CollectDialog

        dialog = CollectDialog(self.window.session, plan, paths, self.window)
        self.dialog = dialog
        dialog.start()
        dialog.exec()

    def board(self) -> None:
        """Show who returned, who is late, and the matrix."""
        plan = self._plan()
        if plan is None:
            return
        from ui.board_panel import BoardDialog

        self.dialog = BoardDialog(self.window.session, int(plan.id or 0), self.window, self.window.settings)
        self.dialog.exec()

    def import_upper(self, path: str | None = None) -> None:
        """Create a plan from an upper office's template (its keys kept for the reply)."""
        if not self.window.ensure_writable():
            return
        if not path:
            path, _ = QFileDialog.getOpenFileName(
                self.window, "导入上级下发的表格", self._folder(), "Excel/WPS 表格 (*.xlsx *.xls *.et)"
            )
            if not path:
                return
        from services.rollup import import_upper
        from services.safety import GoOn

        session = self.window.session
        went_on = GoOn()  # a backup that fails is told in the status bar instead of the usual message
        try:
            plan_id = import_upper(session.db, Path(path), backup_of=session.path, on_backup_failure=went_on)
        except TaizhangError as exc:
            QMessageBox.warning(self.window, "导入上级下发的表格", str(exc))
            return
        self.window.reload_plans()
        self.window.select_plan(plan_id)
        self.window.statusBar().showMessage(
            went_on.problems[0]
            if went_on.problems
            else "已由上级下发的表格创建方案；填好进展后用“报送 → 按上级模板回复”。",
            8000,
        )

    def reply(self, path: str | None = None) -> None:
        """Write the current plan's progress into the upper office's own template."""
        plan = self._plan()
        if plan is None:
            return
        from models.store.history import current_user
        from services.rollup import reply

        if not path:
            name = f"{plan.title}-进展情况表（回复）.xlsx"
            path, _ = QFileDialog.getSaveFileName(
                self.window, "按上级模板回复", str(Path(self._folder()) / name), "Excel 工作簿 (*.xlsx)"
            )
            if not path:
                return
            filler, ok = QInputDialog.getText(self.window, "填报人", "填报人：", text=current_user())
            if not ok:
                return
        else:
            filler = ""
        try:
            out, rows = reply(
                self.window.session.db,
                int(plan.id or 0),
                Path(path),
                filled_by=filler,
                today=self.window.session.today(),  # 填报日期, by the program's clock
            )
        except TaizhangError as exc:
            QMessageBox.warning(self.window, "按上级模板回复", str(exc))
            return
        self.window.statusBar().showMessage(f"已按上级模板填写 {rows} 行，保存到 {out}", 8000)

    # ---- drag and drop
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Accept workbooks and folders dropped on the window; a drop opens 回收 (or the upper import)."""
        kind = event.type()
        drag = (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop)
        if watched is self.window and kind in drag and isinstance(event, QDropEvent):
            paths = dropped_paths(event)
            if paths:
                event.acceptProposedAction()
                if kind == QEvent.Type.Drop:
                    self.dropped(paths)
                return True
        return super().eventFilter(watched, event)

    def dropped(self, paths: list[Path]) -> None:
        """Collect dropped returns; a single upper office's template not from this file may be imported."""
        from exports.returns_reader import read_return
        from models.store import offices as ostore

        if len(paths) == 1 and paths[0].is_file():
            try:
                meta = read_return(paths[0]).meta
            except (TaizhangError, OSError):
                meta = None
            uid = str((meta or {}).get("plan_uid") or "")
            plan = self.window.current_plan()
            ours = plan is not None and uid == (
                ostore.plan_uid(self.window.session.db, int(plan.id or 0)) or ""
            )
            if meta is not None and not ours:
                answer = QMessageBox.question(
                    self.window,
                    "上级下发的表格",
                    f"“{paths[0].name}”是《{meta.get('plan_title') or ''}》下发给“{meta.get('office') or ''}”的表格，"
                    "不是当前方案下发的。\n\n是否作为新方案导入（以后可按原表回复上级）？",
                )
                if answer == QMessageBox.StandardButton.Yes:
                    self.import_upper(str(paths[0]))
                return
        self.collect(paths)


def dropped_paths(event: QDropEvent) -> list[Path]:
    """The local workbooks and folders a drag carries (nothing else is taken)."""
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    paths = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
    return [p for p in paths if p.is_dir() or p.suffix.lower() in SUFFIXES]


def install(window: QMainWindow) -> RollupActions:
    """Add the 报送 menu and drag-and-drop of returns to a main window (once); return the actions object."""
    existing = getattr(window, "rollup", None)
    if isinstance(existing, RollupActions):
        return existing
    actions = RollupActions(window)
    window.rollup = actions  # type: ignore[attr-defined]
    return actions
