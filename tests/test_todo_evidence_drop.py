"""GUI: evidence without dialogs — files dropped on a table row or on the detail panel, images and copied
files pasted with Ctrl+V, copied in the background; folders, links and read-only files are told."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from models import clock, store
from models.db import open_database
from ui import todo_actions
from ui.activity_model import COLUMN_INDEX
from ui.evidence_drop import EvidenceDrop
from ui.main_window import MainWindow
from ui.session import Session
from ui.todo_actions import TodoWiring


def png(path: Path) -> Path:
    raw = b"".join(b"\x00" + b"\x30\x78\xe7" * 8 for _ in range(6))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 6, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    return path


@pytest.fixture(autouse=True)
def _on_day() -> Iterator[None]:
    """The program's clock stands on 25 September 2024 for every test here."""
    with clock.use(clock.FixedClock(dt.date(2024, 9, 25))):
        yield


def make(
    qtbot: QtBot, db_file: Path, tmp_path: Path, *, readonly: bool = False
) -> tuple[MainWindow, TodoWiring]:
    session = Session(open_database(db_file), db_file, readonly=readonly)
    win = MainWindow(session, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat), remember=False)
    qtbot.addWidget(win)
    wiring = todo_actions.wiring_of(win)  # wired by MainWindow itself, not by the test
    win.show()
    return win, wiring


@pytest.fixture
def window(qtbot: QtBot, db_file: Path, tmp_path: Path) -> tuple[MainWindow, TodoWiring]:
    return make(qtbot, db_file, tmp_path)


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: messages.append(a[2]))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: messages.append(a[2]))
    return messages


def mime_of(paths: list[Path], extra_urls: list[str] | None = None) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths] + [QUrl(u) for u in extra_urls or []])
    return mime


def drop(widget: QWidget, pos: QPoint, mime: QMimeData) -> QDropEvent:
    """Drag onto `pos` and drop there, as the mouse would."""
    enter = QDragEnterEvent(
        pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    event = QDropEvent(
        QPointF(pos),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, event)
    return event


def row_point(win: MainWindow, row: int) -> QPoint:
    return win.table.view.visualRect(win.table.proxy.index(row, COLUMN_INDEX["name"])).center()


def names(win: MainWindow, activity_id: int) -> list[str]:
    return sorted(a.original_name for a in store.list_attachments(win.session.db, activity_id=activity_id))


def test_files_dropped_on_a_row_go_to_that_activity(
    qtbot: QtBot, window: tuple[MainWindow, TodoWiring], tmp_path: Path
) -> None:
    win, wiring = window
    third = win.table.model.activity(2)
    photos = [png(tmp_path / "现场1.png"), png(tmp_path / "现场2.png")]
    (tmp_path / "会议纪要.txt").write_text("纪要", encoding="utf-8")
    event = drop(win.table.view.viewport(), row_point(win, 2), mime_of([*photos, tmp_path / "会议纪要.txt"]))
    assert event.isAccepted()
    qtbot.waitUntil(lambda: len(names(win, int(third.id or 0))) == 3, timeout=5000)
    assert names(win, int(third.id or 0)) == ["会议纪要.txt", "现场1.png", "现场2.png"]
    current = win.table.current_activity()
    assert current is not None and current.id == third.id  # the row dropped on becomes current
    assert win.detail.files.count() == 3  # the detail panel shows the files
    assert QApplication.focusWidget() is wiring.quick.line  # ready to say what the photos show
    win.session.undo_stack.undo()  # each file is one step, as with 添加…
    assert len(names(win, int(third.id or 0))) == 2


def test_drop_on_the_detail_panel_attaches_to_its_activity(
    qtbot: QtBot, window: tuple[MainWindow, TodoWiring], tmp_path: Path
) -> None:
    win, _ = window
    fifth = win.table.model.activity(4)
    win.table.select_activity(int(fifth.id or 0))
    drop(win.detail.viewport(), QPoint(20, 20), mime_of([png(tmp_path / "照片.png")]))
    qtbot.waitUntil(lambda: names(win, int(fifth.id or 0)) == ["照片.png"], timeout=5000)


def test_a_file_dropped_on_the_notes_box_is_attached_not_typed(
    qtbot: QtBot, window: tuple[MainWindow, TodoWiring], tmp_path: Path
) -> None:
    win, _ = window
    first = win.table.model.activity(0)
    win.table.select_activity(int(first.id or 0))
    drop(win.detail.notes.viewport(), QPoint(5, 5), mime_of([png(tmp_path / "p.png")]))
    qtbot.waitUntil(lambda: names(win, int(first.id or 0)) == ["p.png"], timeout=5000)
    assert win.detail.notes.toPlainText() == ""


def test_folders_and_links_are_told_and_the_rest_added(
    qtbot: QtBot, window: tuple[MainWindow, TodoWiring], tmp_path: Path, told: list[str]
) -> None:
    win, _ = window
    (tmp_path / "照片文件夹").mkdir()
    first = win.table.model.activity(0)
    mime = mime_of([tmp_path / "照片文件夹", png(tmp_path / "a.png")], ["https://example.org/p.jpg"])
    drop(win.table.view.viewport(), row_point(win, 0), mime)
    assert len(told) == 1
    assert "“照片文件夹”是文件夹，未添加" in told[0] and "网络上的文件未添加" in told[0]
    qtbot.waitUntil(lambda: names(win, int(first.id or 0)) == ["a.png"], timeout=5000)


def test_only_a_folder_copies_nothing(
    window: tuple[MainWindow, TodoWiring], tmp_path: Path, told: list[str]
) -> None:
    win, wiring = window
    (tmp_path / "d").mkdir()
    drop(win.table.view.viewport(), row_point(win, 0), mime_of([tmp_path / "d"]))
    assert wiring.drop.copier.task is None and len(told) == 1


def test_an_oversized_file_is_told_by_the_copy(
    qtbot: QtBot,
    window: tuple[MainWindow, TodoWiring],
    tmp_path: Path,
    told: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import models.evidence

    monkeypatch.setattr(models.evidence, "MAX_ATTACHMENT_BYTES", 10)
    monkeypatch.setattr(models.evidence.store_file, "__kwdefaults__", {"max_bytes": 10, "progress": None})
    win, _ = window
    drop(win.table.view.viewport(), row_point(win, 0), mime_of([png(tmp_path / "big.png")]))
    qtbot.waitUntil(lambda: len(told) == 1, timeout=5000)
    assert "超过附件上限" in told[0]
    assert names(win, int(win.table.model.activity(0).id or 0)) == []


def test_drop_outside_the_rows_is_told(
    window: tuple[MainWindow, TodoWiring], tmp_path: Path, told: list[str]
) -> None:
    win, _ = window
    viewport = win.table.view.viewport()
    drop(viewport, QPoint(5, viewport.height() - 3), mime_of([png(tmp_path / "a.png")]))
    assert told == ["请把材料拖到表格中的某一项活动上（或先选中一项活动再粘贴）。"]


def test_text_drags_are_left_alone(window: tuple[MainWindow, TodoWiring]) -> None:
    win, _ = window
    mime = QMimeData()
    mime.setText("一段文字")
    enter = QDragEnterEvent(
        QPoint(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    enter.ignore()
    assert not todo_actions_filter(win).eventFilter(win.table.view.viewport(), enter)


def todo_actions_filter(win: MainWindow) -> EvidenceDrop:
    wiring: TodoWiring = win.todo_wiring  # type: ignore[attr-defined]
    return wiring.drop


def test_a_pasted_screenshot_is_attached_as_a_png(
    qtbot: QtBot, window: tuple[MainWindow, TodoWiring]
) -> None:
    win, _ = window
    second = win.table.model.activity(1)
    win.table.select_activity(int(second.id or 0))
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("#3b78e7"))
    QGuiApplication.clipboard().setImage(image)
    win.table.view.setFocus()
    qtbot.keyClick(win.table.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(names(win, int(second.id or 0))) == 1, timeout=5000)
    (att,) = store.list_attachments(win.session.db, activity_id=second.id)
    assert att.original_name.startswith("粘贴的图片-") and att.mime == "image/png"
    assert att.size > 0


def test_pasted_files_copied_in_the_file_manager(
    qtbot: QtBot, window: tuple[MainWindow, TodoWiring], tmp_path: Path
) -> None:
    win, _ = window
    first = win.table.model.activity(0)
    win.table.select_activity(int(first.id or 0))
    QGuiApplication.clipboard().setMimeData(mime_of([png(tmp_path / "复制的.png")]))
    qtbot.keyClick(win.table.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: names(win, int(first.id or 0)) == ["复制的.png"], timeout=5000)


def test_pasting_text_is_not_taken(window: tuple[MainWindow, TodoWiring]) -> None:
    win, _ = window
    QGuiApplication.clipboard().setText("文字")
    from PySide6.QtGui import QKeyEvent

    event = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert not todo_actions_filter(win).eventFilter(win.table.view, event)


def test_read_only_database_takes_no_files(
    qtbot: QtBot, db_file: Path, tmp_path: Path, told: list[str]
) -> None:
    win, wiring = make(qtbot, db_file, tmp_path, readonly=True)
    told.clear()
    drop(win.table.view.viewport(), row_point(win, 0), mime_of([png(tmp_path / "a.png")]))
    assert len(told) == 1 and "只读" in told[0]
    assert wiring.drop.copier.task is None
