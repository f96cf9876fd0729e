"""GUI: detail panel, export in the background, print preview pages, import preview, backups, units."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from exports.xlsx_export import export_table
from models import clock
from models import store as repo
from models.backup import list_backups
from models.db import open_database
from services.importing import preview_path
from ui.backup_dialog import BackupDialog
from ui.export_dialog import ExportDialog
from ui.import_dialog import ImportPreviewDialog
from ui.main_window import MainWindow
from ui.print_preview import PrintPreviewDialog
from ui.session import Session
from ui.units_dialog import UnitDirectoryDialog

TODAY = dt.date(2024, 9, 20)


@pytest.fixture
def session(db_file: Path) -> Iterator[Session]:
    with clock.use(clock.FixedClock(TODAY)):
        yield Session(open_database(db_file), db_file)


@pytest.fixture
def window(qtbot: QtBot, session: Session, tmp_path: Path) -> MainWindow:
    win = MainWindow(session, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.fixture(autouse=True)
def _no_modal_boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def record(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        shown.append(str(args[2]) if len(args) > 2 else "")
        return QMessageBox.StandardButton.Yes  # a confirmation shown as a warning is accepted

    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, record)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    return shown


def test_detail_panel_status_progress_notes_log_and_undo(qtbot: QtBot, window: MainWindow) -> None:
    detail = window.detail
    first = window.table.model.activity(0)
    assert detail.activity is not None and detail.activity.id == first.id
    detail.status.setCurrentText("进行中")
    detail.status.activated.emit(detail.status.currentIndex())
    assert repo.get_activity(window.session.db, first.id or 0).status == "进行中"
    detail.progress.setValue(60)
    detail.progress.editingFinished.emit()
    assert repo.get_activity(window.session.db, first.id or 0).progress == 60
    detail.notes.setPlainText("已完成宣传 3 场")
    detail.notes.focusLost.emit()
    assert repo.get_activity(window.session.db, first.id or 0).completion_notes == "已完成宣传 3 场"
    detail.log_text.setText("召开部署会")
    detail.add_log_entry()
    assert [e.text for e in repo.list_progress_entries(window.session.db, first.id or 0)] == ["召开部署会"]
    assert detail.log.count() == 1
    window.undo_action.trigger()  # the log entry
    window.undo_action.trigger()  # the notes
    assert repo.get_activity(window.session.db, first.id or 0).completion_notes == ""
    assert repo.list_progress_entries(window.session.db, first.id or 0) == []


def test_progress_out_of_range_is_refused(window: MainWindow, _no_modal_boxes: list[str]) -> None:
    index = window.table.proxy.index(0, 10)  # 进度
    assert not window.table.proxy.setData(index, 150)
    assert _no_modal_boxes and "0 到 100" in _no_modal_boxes[-1]
    assert window.table.model.activity(0).progress == 0


def test_attach_photo_shows_thumbnail_and_survives_original_removal(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    from PySide6.QtGui import QColor, QImage

    photo = tmp_path / "现场.png"
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    image.save(str(photo))
    window.detail.add_attachments([str(photo)])
    task = window.detail.evidence.task
    qtbot.waitUntil(lambda: task is not None and not task.running)  # copied in the background
    photo.unlink()
    assert window.detail.files.count() == 1
    item = window.detail.files.item(0)
    assert item.text() == "现场.png" and not item.icon().isNull()
    window.detail.files.setCurrentRow(0)
    window.detail.remove_attachment()
    assert window.detail.files.count() == 0
    window.undo_action.trigger()
    assert window.detail.files.count() == 1


def test_manual_planned_dates_override_time_text(window: MainWindow) -> None:
    from PySide6.QtCore import QDate

    detail = window.detail
    detail.manual.setChecked(True)
    detail.plan_start.setDate(QDate(2024, 9, 1))
    detail.plan_end.setDate(QDate(2024, 12, 31))
    detail.plan_end.editingFinished.emit()
    a = repo.get_activity(window.session.db, window.table.model.activity(0).id or 0)
    assert (a.planned_start, a.planned_end) == (dt.date(2024, 9, 1), dt.date(2024, 12, 31))
    assert window.table.model.tracking(a)[1].value == "on_track"


def test_export_dialog_writes_in_background(
    qtbot: QtBot, session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ui.export_dialog.QDesktopServices.openUrl", lambda *a: True)
    plan = repo.get_plan(session.db, 2)
    dialog = ExportDialog(
        session, plan, "xlsx", settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(dialog)
    dialog.path.setText(str(tmp_path / "导出.xlsx"))
    dialog.report.setCurrentIndex(1)  # progress report
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog.start()
    ws = load_workbook(tmp_path / "导出.xlsx")["进展情况表"]
    assert "状态" in [c.value for c in ws[2]]


def test_print_preview_shows_the_pdf_pages(
    qtbot: QtBot, session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = repo.get_plan(session.db, 1)
    dialog = PrintPreviewDialog(
        session, plan, settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.pages > 0, timeout=20_000)
    assert dialog.pages == 2
    assert dialog.preview.pageCount() == 2
    target = tmp_path / "会议.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr("ui.print_preview.QDesktopServices.openUrl", lambda *a: True)
    dialog.save_pdf()
    assert target.read_bytes()[:4] == b"%PDF"
    dialog.paper.setCurrentText("A3")
    qtbot.waitUntil(
        lambda: (
            dialog.pdf_path is not None
            and dialog.paper.currentText() == "A3"
            and dialog.status.text().startswith("共")
        ),
        timeout=20_000,
    )


def test_printing_sends_every_page_and_can_be_cancelled(
    qtbot: QtBot, session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QProgressDialog

    messages: list[str] = []
    session.message.connect(messages.append)
    plan = repo.get_plan(session.db, 1)
    dialog = PrintPreviewDialog(
        session, plan, settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.pages > 0, timeout=20_000)
    printed = tmp_path / "printed.pdf"
    dialog.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # a printer that writes a file
    dialog.printer.setOutputFileName(str(printed))
    monkeypatch.setattr("ui.print_preview.QPrintDialog.exec", lambda self: 1)
    dialog.print_()
    assert messages[-1] == "已发送到打印机。"
    import pypdfium2

    document = pypdfium2.PdfDocument(str(printed))
    assert len(document) == dialog.pages == 2
    document.close()
    # 取消 after the first page: printing to a file leaves no half-printed file behind
    asked: list[int] = []
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: bool(asked.append(1) or len(asked) > 1))
    dialog.print_()
    assert messages[-1] == "已取消打印。" and not printed.exists()
    # while new settings are being turned into pages, printing waits (never half old, half new pages)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: told.append(text))
    dialog.report.setCurrentIndex(1)
    dialog.regenerate()
    dialog.print_()
    assert told and "请稍候" in told[-1]
    qtbot.waitUntil(lambda: not dialog.task.running, timeout=20_000)  # type: ignore[union-attr]


def test_import_preview_creates_plan_only_on_ok(qtbot: QtBot, session: Session, tmp_path: Path) -> None:
    path = export_table(
        tmp_path / "t.xlsx", repo.get_plan(session.db, 2), repo.list_activities(session.db, 2)
    )
    preview = preview_path(session.db, path)
    dialog = ImportPreviewDialog(session, preview, path.name)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 12
    assert len(repo.list_plans(session.db)) == 2  # nothing written yet
    from PySide6.QtCore import QItemSelectionModel, Qt

    dialog.show()
    qtbot.waitExposed(dialog)
    # a click on a row's cell selects the row (selectRow() depends on the header's layout state)
    dialog.table.selectionModel().select(
        dialog.table.model().index(0, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert {i.row() for i in dialog.table.selectedIndexes()} == {0}
    qtbot.keyClick(dialog.table, Qt.Key.Key_Delete)
    dialog.table.item(0, 0).setText("改过的名称")
    dialog.apply()
    assert dialog.created_plan_id is not None
    rows = repo.list_activities(session.db, dialog.created_plan_id)
    assert len(rows) == 11 and rows[0].name == "改过的名称"
    assert [b.kind for b in list_backups(session.path)].count("import") == 1  # type: ignore[arg-type]


def test_backup_dialog_lists_and_restores(qtbot: QtBot, session: Session) -> None:
    dialog = BackupDialog(session)
    qtbot.addWidget(dialog)
    dialog.backup_now()
    assert dialog.table.rowCount() >= 1
    repo.delete_plan(session.db, 1)
    dialog.table.selectRow(0)
    dialog.restore_selected()
    assert len(repo.list_plans(session.db)) == 2
    assert dialog.restored


def test_unit_directory_rename_merges(
    qtbot: QtBot, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QInputDialog

    dialog = UnitDirectoryDialog(session)
    qtbot.addWidget(dialog)
    row = next(i for i, u in enumerate(dialog.units) if u.name == "相关单位")
    dialog.table.selectRow(row)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("各县市区局", True))
    dialog.rename()
    assert repo.find_unit(session.db, "相关单位") is None
    assert (
        "各县市区局"
        in repo.get_activity(session.db, repo.list_activities(session.db, 1)[4].id or 0).coop_units
    )


def test_read_only_session_refuses_edits(
    qtbot: QtBot, db_file: Path, tmp_path: Path, _no_modal_boxes: list[str]
) -> None:
    db = open_database(db_file, readonly=True)
    session = Session(db, db_file, readonly=True, readonly_reason="此数据库正由 张三 使用。")
    win = MainWindow(session, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    index = win.table.proxy.index(0, 2)
    assert not (win.table.proxy.flags(index) & win.table.proxy.flags(index).ItemIsEditable)
    win.table.add_activity()
    assert win.table.model.rowCount() == 12
    assert "（只读）" in win.windowTitle()


def test_opening_another_database_switches_window_and_releases_the_first(
    qtbot: QtBot, db_file: Path, tmp_path: Path
) -> None:
    from models.workspace import open_workspace
    from ui.app import WindowController

    first = open_workspace(db_file)
    window = MainWindow(
        Session(first.db, first.path), QSettings(str(tmp_path / "u.ini"), QSettings.Format.IniFormat)
    )
    controller = WindowController(first, window)
    other = tmp_path / "other.db"
    controller.open(str(other))
    qtbot.addWidget(controller.window)
    assert controller.window.session.path == other
    assert controller.window.plans.rowCount() == 0  # a new, empty database
    again = open_workspace(db_file)
    assert not again.readonly  # the first file's writer lock was released
    again.close()
    controller.close()


def test_plan_summary_materials(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    window.side_tabs.setCurrentWidget(window.overview)
    doc = tmp_path / "总结.docx"
    doc.write_bytes(b"PK summary")
    materials = window.overview.materials
    materials.add_files([str(doc)])
    qtbot.waitUntil(lambda: materials.task is not None and not materials.task.running)
    [att] = repo.list_attachments(window.session.db, plan_id=1, plan_only=True)
    assert att.original_name == "总结.docx" and att.activity_id is None
    assert window.overview.materials.list.count() == 1
    window.overview.materials.list.setCurrentRow(0)
    window.overview.materials.remove_selected()
    assert repo.list_attachments(window.session.db, plan_id=1, plan_only=True) == []


def test_startup_probe_reports_its_phases_and_leaves_settings_alone(
    qtbot: QtBot, db_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`main.py --startup-probe` (bench/) opens the real window once and prints when each phase ended."""
    from ui.app import run_gui

    def stored() -> dict[str, object]:
        settings = QSettings()
        return {key: settings.value(key) for key in settings.allKeys()}

    before = stored()
    assert run_gui(str(db_file), probe=True) == 0
    wall, memory, *phases = capsys.readouterr().out.split()
    names = [p.split("=")[0] for p in phases]
    moments = [float(p.split("=")[1]) for p in phases]
    assert names == ["imports", "application", "database", "window", "painted"]
    assert moments == sorted(moments) and float(wall) > 0 and float(memory) >= 0
    assert stored() == before  # no recent-file entry, no geometry written


def test_full_copy_saved_and_restored_in_the_background(
    qtbot: QtBot, session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """保存完整副本 and restoring from it run off the GUI thread with progress; the data comes back."""
    from models.backup import evidence_dir_of
    from models.evidence import attach_file

    photo = tmp_path / "现场.jpg"
    photo.write_bytes(b"\xff\xd8" + b"x" * 1000)
    assert session.path is not None
    activity = repo.list_activities(session.db, 1)[0]
    attach_file(session.db, evidence_dir_of(session.path), 1, activity.id, photo)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: told.append(text))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog = BackupDialog(session)
    qtbot.addWidget(dialog)
    out = tmp_path / "副本.zip"
    dialog.save_copy_to(out)
    assert dialog.task is not None
    qtbot.waitUntil(lambda: not dialog.task.running, timeout=10_000)  # type: ignore[union-attr]
    assert out.exists() and told == [f"已保存到 {out}"]
    # the evidence goes missing and a plan is deleted; restoring the copy brings both back
    for file in evidence_dir_of(session.path).rglob("*"):
        if file.is_file():
            file.unlink()
    repo.delete_plan(session.db, 1)
    dialog._restore(out)
    qtbot.waitUntil(lambda: dialog.restored, timeout=10_000)
    assert len(repo.list_plans(session.db)) == 2
    assert [f for f in evidence_dir_of(session.path).rglob("*") if f.is_file()]
    assert not list(session.path.parent.glob("*.restore"))  # the unpacked database was removed
    # the dialog stays open while such work runs (closing it must not leave a restore running unseen)
    dialog.show()
    dialog.task.running = True  # type: ignore[union-attr]
    dialog.reject()
    assert dialog.isVisible()
    dialog.task.running = False  # type: ignore[union-attr]
    dialog.reject()
    assert not dialog.isVisible()


def test_adding_files_keeps_what_was_copied_before_cancel_and_skips_deleted_owners(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ui.evidence_list as evidence_list
    from models.evidence import store_file
    from models.records import Attachment
    from ui.workers import Cancelled

    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warned.append(text))
    files = []
    for name in ("一.jpg", "二.jpg", "三.jpg"):
        files.append(tmp_path / name)
        files[-1].write_bytes(name.encode() * 100)

    def store_then_cancel(*args: object, **kwargs: object) -> Attachment:
        if str(args[3]).endswith("二.jpg"):
            raise Cancelled()  # the clerk pressed 取消 while the second file was copied
        return store_file(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(evidence_list, "store_file", store_then_cancel)
    evidence = window.detail.evidence
    evidence.add_files([str(f) for f in files])
    qtbot.waitUntil(lambda: evidence.task is not None and not evidence.task.running)
    assert [
        a.original_name for a in repo.list_attachments(window.session.db, activity_id=evidence.activity_id)
    ] == ["一.jpg"]
    assert "已取消" in warned[-1]
    # files copied for an activity that was deleted meanwhile are not recorded, and the clerk is told
    gone = Attachment(
        plan_id=1, activity_id=999_999, sha256="0" * 64, original_name="旧.jpg", mime="image/jpeg", size=1
    )
    evidence._stored(([gone], []))
    assert "已被删除" in warned[-1]


def test_unexpected_errors_are_logged_and_shown_in_chinese(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The windowed program has no console: an error in an action goes to a log and a message box."""
    import sys

    from ui.app import install_error_hook

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text, *a: shown.append(text))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back afterwards
    log = tmp_path / "logs" / "taizhang.log"
    install_error_hook(log)
    try:
        raise OSError(5, "磁盘 I/O 错误")
    except OSError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    assert "磁盘 I/O 错误" in log.read_text(encoding="utf-8") and "Traceback" in log.read_text(
        encoding="utf-8"
    )
    assert shown and "操作没有完成" in shown[0] and str(log) in shown[0]

    # an error that keeps coming while the box is up is logged, not shown box upon box
    def box_that_sees_the_error_again(*_a: object) -> None:
        shown.append("again")
        sys.excepthook(RuntimeError, RuntimeError("repeat"), None)

    monkeypatch.setattr(QMessageBox, "critical", box_that_sees_the_error_again)
    sys.excepthook(RuntimeError, RuntimeError("first"), None)
    assert shown.count("again") == 1 and log.read_text(encoding="utf-8").count("repeat") == 1
    # from a worker thread: logged only (widgets belong to the GUI thread)
    import threading

    worker = threading.Thread(target=lambda: sys.excepthook(ValueError, ValueError("worker"), None))
    worker.start()
    worker.join()
    assert shown.count("again") == 1 and "worker" in log.read_text(encoding="utf-8")


def test_user_guide_opens_inside_the_program_with_its_pictures(qtbot: QtBot, window: MainWindow) -> None:
    """Office PCs have nothing that opens .md files: the guide is shown in a window of its own."""
    window.open_manual()
    browser = window.manual.browser
    assert "活动台账 用户手册" in browser.toPlainText()
    html = browser.toHtml()
    assert "images/" in html
    from PySide6.QtGui import QTextDocument

    image = browser.document().resource(QTextDocument.ResourceType.ImageResource, "images/main.png")
    assert image is not None and not image.isNull()


def test_import_preview_fits_the_screen(qtbot: QtBot, session: Session, tmp_path: Path) -> None:
    """On a laptop's screen the preview's 确定导入 and 取消 stay on screen (it asked for 1200×760 before)."""
    from PySide6.QtGui import QGuiApplication

    path = export_table(
        tmp_path / "t.xlsx", repo.get_plan(session.db, 2), repo.list_activities(session.db, 2)
    )
    dialog = ImportPreviewDialog(session, preview_path(session.db, path), path.name)
    qtbot.addWidget(dialog)
    area = QGuiApplication.primaryScreen().availableGeometry()
    assert dialog.width() <= area.width() and dialog.height() <= area.height()


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_export_dialog_offers_the_offices_report(
    qtbot: QtBot, session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """The roll-up's consolidated report is one more 内容 of 导出Excel and 导出PDF (issue 15, point 5)."""
    monkeypatch.setattr("ui.export_dialog.QDesktopServices.openUrl", lambda *a: True)
    plan = repo.get_plan(session.db, 1)
    dialog = ExportDialog(
        session, plan, fmt, settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(dialog)
    dialog.report.setCurrentIndex(dialog.report.findData("offices"))
    assert dialog.path.text().endswith(f"各单位进展汇总表.{fmt}") and not dialog.columns.isEnabled()
    out = tmp_path / f"汇总.{fmt}"
    dialog.path.setText(str(out))
    with qtbot.waitSignal(dialog.accepted, timeout=30_000):
        dialog.start()
    assert out.stat().st_size > 0
    if fmt == "xlsx":
        texts = {str(c.value) for ws in load_workbook(out).worksheets for row in ws.iter_rows() for c in row}
        assert any(a.name in texts for a in repo.list_activities(session.db, 1))
