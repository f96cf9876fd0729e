"""The roll-up in the window: the 报送 menu installed on a real MainWindow, 下发 and 回收 dialogs working in
the background, drag-and-drop of returns, the board's models and 催报, the directory's offices and groups."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from models import clock, store
from models.db import open_database
from models.store import offices as ostore
from tests.test_rollup import TODAY, _fill, _plan
from ui import rollup_actions
from ui.main_window import MainWindow
from ui.session import Session


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    with clock.use(clock.FixedClock(TODAY)):
        yield _window(qtbot, tmp_path)


def _window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    path = tmp_path / "city.db"
    db = open_database(path)
    _plan(db)
    win = MainWindow(
        Session(db, path),
        QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat),
    )
    qtbot.addWidget(win)
    rollup_actions.install(win)
    win.show()
    win.select_plan(1)
    return win


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []

    def record(*args: object, **_kwargs: object) -> QMessageBox.StandardButton:
        seen.append(str(args[2]) if len(args) > 2 else "")
        return QMessageBox.StandardButton.Yes

    for name in ("information", "warning", "question"):
        monkeypatch.setattr(QMessageBox, name, record)
    return seen


def test_install_adds_the_menu_before_help(window: MainWindow) -> None:
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles.index("报送(&R)") == titles.index("帮助(&H)") - 1
    assert [a.text() for a in window.rollup.menu.actions() if a.text()] == [  # type: ignore[attr-defined]
        "下发进展情况表…",
        "回收进展情况表…",
        "回收文件夹…",
        "各单位汇总…",
        "导入上级下发的表格…",
        "按上级模板回复…",
    ]
    assert window.acceptDrops()


def _rollout(qtbot: QtBot, window: MainWindow, folder: Path, boxes: list[str]) -> list[Path]:
    from ui.rollout_dialog import RolloutDialog

    plan = window.current_plan()
    assert plan is not None
    dialog = RolloutDialog(window.session, plan, window, window.settings)
    qtbot.addWidget(dialog)
    assert dialog.offices.count() == 2 and dialog.deadline.text() == "9月25日前"
    dialog.offices.item(1).setCheckState(Qt.CheckState.Unchecked)
    dialog.folder.setText(str(folder))
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog.start()
    return [f.path for f in dialog.written]


def test_rollout_dialog_writes_the_ticked_offices_in_the_background(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, boxes: list[str]
) -> None:
    files = _rollout(qtbot, window, tmp_path, boxes)
    assert [p.name for p in files] == ["岳阳县局-2024年“质量月”活动方案-进展情况表.xlsx"]
    assert [r.file_name for r in ostore.list_rollouts(window.session.db, 1)] == [files[0].name]


def test_collect_dialog_previews_then_writes_on_ok_and_asks_for_an_unknown_office(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, boxes: list[str]
) -> None:
    from openpyxl import Workbook

    from ui.collect_dialog import CollectDialog

    [template] = _rollout(qtbot, window, tmp_path, boxes)
    good = _fill(template, {"企业质量提升": ("已完成", 100, "完成了")}, tmp_path / "岳阳回.xlsx")
    wb = Workbook()
    wb.active.append(["序号", "活动名称", "状态", "进度"])
    wb.active.append([3, "质量宣传进社区", "进行中", 50])
    plain = tmp_path / "无名.xlsx"
    wb.save(plain)
    plan = window.current_plan()
    assert plan is not None
    dialog = CollectDialog(window.session, plan, [good, plain], window)
    qtbot.addWidget(dialog)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20_000)
    assert dialog.table.item(0, 1).text() == "岳阳县局" and dialog.table.item(0, 2).text() == "2"
    assert "第 6 行 → [2] 企业质量提升（按行键）" in dialog.detail.toPlainText()
    assert ostore.office_values(window.session.db, 1) == {}  # nothing written yet
    combo = dialog.table.cellWidget(1, 1)
    assert combo is not None and combo.count() == 3
    combo.setCurrentIndex(2)  # 华容县局
    combo.activated.emit(2)
    assert dialog.table.item(1, 2).text() == "1"
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog.apply()
    db = window.session.db
    activities = store.list_activities(db, 1)
    assert activities[1].status == "已完成" and activities[2].status == "进行中"
    assert window.table.model.activity(1).status == "已完成"  # the table shows it
    assert "已回收 2 个文件" in boxes[-1]


def test_dropping_returns_on_the_window_opens_collect(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, boxes: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.collect_dialog import CollectDialog

    [template] = _rollout(qtbot, window, tmp_path, boxes)
    opened: list[list[Path]] = []
    monkeypatch.setattr(CollectDialog, "exec", lambda self: opened.append(self.paths) or 0)
    monkeypatch.setattr(CollectDialog, "start", lambda self: None)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(template)), QUrl.fromLocalFile(str(tmp_path / "照片.jpg"))])
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    enter = QDragEnterEvent(QPoint(200, 200), *args)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()  # the window takes workbooks dragged over it
    # Qt delivers a Drop only inside a real drag; the filter gets it as Qt would hand it over
    drop = QDropEvent(QPointF(200, 200), *args)
    assert window.rollup.eventFilter(window, drop)  # type: ignore[attr-defined]
    plain = QMimeData()
    plain.setText("不是文件")
    other = QDragEnterEvent(
        QPoint(200, 200),
        Qt.DropAction.CopyAction,
        plain,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    assert not window.rollup.eventFilter(window, other)  # type: ignore[attr-defined]
    assert opened == [[template]]


def test_board_dialog_shows_states_matrix_and_reminder(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, boxes: list[str]
) -> None:
    from services.rollup import collect
    from ui.board_panel import BoardDialog

    [template] = _rollout(qtbot, window, tmp_path, boxes)
    collect(window.session.db, 1, [_fill(template, {"企业质量提升": ("已完成", 100, "好")})], None)
    dialog = BoardDialog(window.session, 1, window, window.settings)
    qtbot.addWidget(dialog)
    panel = dialog.panel
    offices = panel.offices
    assert [offices.data(offices.index(r, 1)) for r in range(offices.rowCount())] == ["已报送", "未报送"]
    assert offices.data(offices.index(0, 5)) == "1/2"
    matrix = panel.matrix
    assert matrix.headerData(1, Qt.Orientation.Horizontal) == "岳阳县局"
    assert matrix.data(matrix.index(1, 1)) == "已完成 100%" and matrix.data(matrix.index(1, 2)) == ""
    assert matrix.data(matrix.index(0, 2)) == "未报送"
    assert matrix.data(matrix.index(1, 3)) == "岳阳县局：好"
    assert "华容县局：" in panel.reminder.toPlainText()
    panel.copy_reminder()
    assert QApplication.clipboard().text().startswith("关于报送")
    out = tmp_path / "汇总.xlsx"
    dialog.export(str(out))
    qtbot.waitUntil(lambda: out.exists(), timeout=20_000)


def test_models_pass_the_model_tester(qtmodeltester: object, window: MainWindow) -> None:
    from services.rollup import board
    from ui.board_panel import MatrixModel, OfficeTableModel

    for model in (OfficeTableModel(), MatrixModel()):
        model.set_board(board(window.session.db, 1, TODAY))
        qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_unit_directory_marks_offices_and_sets_group_members(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.units_dialog import GroupMembersDialog, UnitDirectoryDialog

    db = window.session.db
    store.add_unit(db, "云溪区局", "县市区局")
    dialog = UnitDirectoryDialog(window.session)
    qtbot.addWidget(dialog)
    row = next(i for i, u in enumerate(dialog.units) if u.name == "质量发展科")
    dialog.table.selectRow(row)
    dialog.toggle_office()
    assert dialog.table.item(row, 3).text() == "是"
    group = next(i for i, u in enumerate(dialog.units) if u.name == "各县市区局")
    dialog.table.selectRow(group)

    def accept_suggested(self: GroupMembersDialog) -> int:
        self.suggest()
        return 1

    monkeypatch.setattr(GroupMembersDialog, "exec", accept_suggested)
    dialog.edit_members()
    assert dialog.table.item(group, 4).text() == "岳阳县局、华容县局、云溪区局"
    from services.rollup import plan_offices

    assert [u.name for u in plan_offices(db, 1)] == ["质量发展科", "岳阳县局", "华容县局", "云溪区局"]
