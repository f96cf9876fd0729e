"""The 完成情况 walkthrough of docs/walkthrough-wanchengqingkuang.md, driven through the real widgets and
counted: 13 activities 未开始 → every one 已完成 with 完成情况 and photos → the report package on disk.

Counting, as a new user would: dragging one file from the file manager onto a row is one action (press,
drag, release); several files are first selected (click the first, shift-click the last: two more);
typing a line and pressing Enter is one action (the issue counts writing 完成情况 as one); a shortcut or a
click is one action. Waiting for a copy to finish is not an action.
"""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytest import MonkeyPatch
from pytestqt.qtbot import QtBot

from models import clock, store
from models.db import open_database
from models.records import Activity, Plan
from ui import todo_actions
from ui.activity_model import COLUMN_INDEX
from ui.main_window import MainWindow
from ui.session import Session

TODAY = dt.date(2024, 9, 30)


@pytest.fixture(autouse=True)
def _on_day() -> Iterator[None]:
    """The program's clock stands on TODAY for every test here."""
    with clock.use(clock.FixedClock(TODAY)):
        yield


NAMES = [
    "质量月启动仪式",
    "质量强国建设纲要宣贯",
    "首席质量官培训",
    "缺陷消费品召回宣传",
    "民生计量专项检查",
    "产品质量监督抽查",
    "特种设备安全宣传",
    "质量咨询上门服务",
    "中小企业帮扶",
    "一站式服务试点",
    "检验检测机构开放日",
    "质量违法典型案例发布",
    "质量月活动总结",
]
PHOTOS = [1, 1, 3, 1, 2, 1, 1, 4, 1, 1, 2, 1, 1]  # photos per activity: four have several
STEM = "平江县市场监督管理局2024年质量月活动"


def png(path: Path, shade: int) -> Path:
    raw = b"".join(b"\x00" + bytes([shade, 0x78, 0xE7]) * 8 for _ in range(6))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 6, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    return path


def test_walkthrough_13_activities_to_the_report_package(
    qtbot: QtBot, tmp_path: Path, monkeypatch: MonkeyPatch
) -> None:
    db_path = tmp_path / "taizhang.db"
    db = open_database(db_path)
    from models.settings import load_settings, save_settings

    save_settings(db, load_settings(db).__class__(office_name="平江县市场监督管理局"))
    store.create_plan_with_activities(
        db,
        Plan(title="岳阳市市场监管系统2024年“质量月”活动方案", year=2024, report_deadline="10月12日前"),
        [Activity(name=n, time_text="9月", lead_units=["质量发展科"]) for n in NAMES],
    )
    photos = tmp_path / "照片"
    photos.mkdir()
    files = [
        [png(photos / f"{i + 1:02d}-{n}-{k + 1}.png", 16 * i + k) for k in range(PHOTOS[i])]
        for i, n in enumerate(NAMES)
    ]
    out = tmp_path / "桌面"
    out.mkdir()
    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", lambda url: opened.append(QUrl(url).toLocalFile()) or True
    )

    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    settings.setValue("report/folder", str(out))
    session = Session(db, db_path)
    win = MainWindow(session, settings, remember=False)
    qtbot.addWidget(win)
    wiring = todo_actions.wiring_of(win)  # wired by MainWindow itself, not by the test
    win.show()
    win.activateWindow()
    assert {a.status for a in store.list_activities(db, 1)} == {"未开始"}

    actions = 0
    view = win.table.view
    for row, (name, chosen) in enumerate(zip(NAMES, files, strict=True)):
        # select the photos in the file manager (several: click the first, shift-click the last) …
        actions += 2 if len(chosen) > 1 else 0
        # … and drag them onto the activity's row: one action
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(p)) for p in chosen])
        point = view.visualRect(win.table.proxy.index(row, COLUMN_INDEX["name"])).center()
        QApplication.sendEvent(
            view.viewport(),
            QDragEnterEvent(
                point,
                Qt.DropAction.CopyAction,
                mime,
                Qt.MouseButton.LeftButton,
                Qt.KeyboardModifier.NoModifier,
            ),
        )
        QApplication.sendEvent(
            view.viewport(),
            QDropEvent(
                QPointF(point),
                Qt.DropAction.CopyAction,
                mime,
                Qt.MouseButton.LeftButton,
                Qt.KeyboardModifier.NoModifier,
            ),
        )
        actions += 1
        activity_id, count = int(win.table.model.activity(row).id or 0), len(chosen)
        qtbot.waitUntil(
            lambda a=activity_id, n=count: len(store.list_attachments(db, activity_id=a)) == n,
            timeout=5000,
        )
        # the cursor is already in the quick-log box: type what was done, Enter — one action
        assert QApplication.focusWidget() is wiring.quick.line
        assert wiring.quick.activity is not None and wiring.quick.activity.id == activity_id
        wiring.quick.line.setText(f"已完成，{name}如期开展，覆盖企业{10 + row}家")
        qtbot.keyClick(wiring.quick.line, Qt.Key.Key_Return)
        actions += 1

    done = store.list_activities(db, 1)
    assert {a.status for a in done} == {"已完成"} and {a.progress for a in done} == {100}
    assert done[0].completion_notes == "9月30日，质量月启动仪式如期开展，覆盖企业10家。"

    # 报送材料: Ctrl+Shift+R, then 生成报送材料 (the check passes: nothing is missing); the folder opens
    def press_generate() -> None:
        dialog = wiring.dialog
        assert dialog.check.ok and dialog.go_on.text() == "生成报送材料"
        dialog.go_on.click()

    QTimer.singleShot(0, press_generate)
    qtbot.keyClick(win, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    actions += 2

    folder = out / f"{STEM}报送材料"
    assert opened == [str(folder)]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{STEM}总结.pdf", f"{STEM}进展情况表.xlsx", f"{STEM}安排表.pdf", f"{STEM}佐证材料.zip"]
    )
    import zipfile

    with zipfile.ZipFile(folder / f"{STEM}佐证材料.zip") as archive:
        assert len(archive.namelist()) == sum(PHOTOS)
    # the figure recorded in docs/walkthrough-wanchengqingkuang.md and the README
    assert actions == 36
    assert actions <= 40
