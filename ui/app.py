"""Starting the GUI: the application object, Chinese translations, fonts, and the opened database."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QFont, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from models import clock
from models.errors import BackupError, DatabaseError
from models.resources import resource_path
from models.version import __version__
from models.workspace import Workspace, newest_good_backup, open_workspace

_translators: list[QTranslator] = []  # kept alive for the application's lifetime


def make_app(argv: list[str] | None = None) -> QApplication:
    """Create (or return) the QApplication with Chinese standard dialogs and a CJK-friendly font."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    QApplication.setOrganizationName("Taizhang")
    QApplication.setApplicationName("活动台账")
    app = QApplication(argv if argv is not None else sys.argv[:1])
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    for name in ("qtbase_zh_CN",):
        translator = QTranslator(app)
        if translator.load(name, QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(translator)
            _translators.append(translator)
    font = QFont(app.font())
    font.setFamilies(
        [
            "Microsoft YaHei UI",
            "Microsoft YaHei",
            "PingFang SC",
            "WenQuanYi Micro Hei",
            "Noto Sans CJK SC",
            "SimSun",
            *font.families(),
        ]
    )
    font.setPointSizeF(max(font.pointSizeF(), 10.0))
    app.setFont(font)
    icon = resource_path("icons", "taizhang.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def offer_restore(db_path: str | None, error: DatabaseError) -> Workspace | None:
    """Tell the clerk why the file cannot be opened; for a damaged file offer the newest good backup."""
    from models.db import DamagedDatabaseError, open_database
    from models.paths import default_db_path
    from services.backups import restore_file

    path = Path(db_path) if db_path else default_db_path()
    good = newest_good_backup(path) if isinstance(error, DamagedDatabaseError) else None
    if good is None:
        QMessageBox.critical(None, "无法打开数据库", str(error))
        return None
    answer = QMessageBox.question(
        None,
        "数据库已损坏",
        f"{error}\n\n找到最近的完好备份：{good.when:%Y-%m-%d %H:%M}（{good.label}，{good.plans} 个方案，"
        f"{good.activities} 项活动）。\n是否用它恢复？损坏的文件会另存为 .damaged 以备查。",
    )
    if answer != QMessageBox.StandardButton.Yes:
        return None
    damaged = path.with_name(path.name + ".damaged")
    try:
        path.replace(damaged)
    except OSError as exc:
        QMessageBox.critical(
            None,
            "恢复失败",
            f"无法把损坏的文件改名保存（{exc.strerror or exc}），文件未被改动。"
            "请关闭可能正在使用它的程序后再试。",
        )
        return None
    try:
        db = open_database(path, check=False)
        try:
            restore_file(db, path, good.path)
        finally:
            db.close()
        return open_workspace(path)
    except (OSError, BackupError, DatabaseError) as exc:
        QMessageBox.critical(None, "恢复失败", f"{exc}\n损坏的文件保存在 {damaged}。")
        return None


def install_error_hook(log_path: Path) -> None:
    """Errors nobody expected (in a button's action, a disk that went away) are written to a log and
    shown in Chinese, instead of vanishing: the windowed Windows program has no console to print to."""
    import threading
    import traceback

    showing = False  # an error that repeats (a timer, a repaint) while the box is up is only logged

    def hook(kind: type[BaseException], error: BaseException, tb: Any) -> None:
        nonlocal showing
        text = "".join(traceback.format_exception(kind, error, tb))
        try:
            log_path.parent.mkdir(parents=True, exist_ok=True)
            with log_path.open("a", encoding="utf-8") as log:
                log.write(f"--- {clock.now():%Y-%m-%d %H:%M:%S} 活动台账 {__version__}\n{text}\n")
            where = f"详细情况已记录在 {log_path}。"
        except OSError:
            where = ""
        if sys.stderr is not None:
            sys.stderr.write(text)
        if (
            showing
            or QApplication.instance() is None
            or threading.current_thread() is not threading.main_thread()
        ):
            return  # widgets belong to the GUI thread; one box at a time
        showing = True
        try:
            QMessageBox.critical(
                None,
                "发生意外错误",
                f"操作没有完成：{kind.__name__}：{error}\n\n已保存的数据不受影响。{where}"
                "如果反复出现，请把该记录文件发给维护人员。",
            )
        finally:
            showing = False

    sys.excepthook = hook


def run_gui(
    db_path: str | None, screenshot: str | None = None, *, probe: bool = False, started: float | None = None
) -> int:
    """Open the database and show the main window (or render it to a PNG and exit).

    `probe` (for bench/): show the window, let it paint once, then print on stdout the wall-clock
    time, the peak memory in MB and the moments (s) each phase ended, and exit without touching the
    clerk's settings. `started` is time.perf_counter() when main.py began.
    """
    import time

    marks = [("imports", time.perf_counter())]
    started = marks[0][1] if started is None else started
    if (
        (screenshot or probe)
        and not os.environ.get("QT_QPA_PLATFORM")
        and sys.platform.startswith("linux")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = make_app()
    if not (screenshot or probe):
        from models.paths import data_dir

        install_error_hook(data_dir() / "taizhang.log")
    marks.append(("application", time.perf_counter()))
    try:
        workspace = open_workspace(db_path)
    except DatabaseError as exc:
        if screenshot or probe:
            print(f"错误：{exc}", file=sys.stderr)
            return 2
        restored = offer_restore(db_path, exc)
        if restored is None:
            return 2
        workspace = restored
    marks.append(("database", time.perf_counter()))
    from ui.main_window import MainWindow
    from ui.recent import remember_database
    from ui.session import Session

    session = Session(
        workspace.db, workspace.path, readonly=workspace.readonly, readonly_reason=workspace.readonly_reason
    )
    window = MainWindow(session, QSettings(), remember=not (screenshot or probe))
    marks.append(("window", time.perf_counter()))
    if probe:
        window.show()
        app.processEvents()
        marks.append(("painted", time.perf_counter()))
        phases = " ".join(f"{name}={t - started:.4f}" for name, t in marks)
        print(f"{time.time():.6f} {_peak_memory_mb():.1f} {phases}", flush=True)
        window.close()
        workspace.close()
        return 0
    if screenshot:
        from ui.main_window import LAPTOP_SIZE, default_size, splitter_sizes

        # offscreen there is no real screen: take the picture at an office laptop's size
        offscreen = QGuiApplication.platformName() == "offscreen"
        window.resize(LAPTOP_SIZE if offscreen else default_size())
        window.splitter.setSizes(splitter_sizes(window.width())[: window.splitter.count()])
        window.show()
        app.processEvents()
        window.table._fit_visible_rows()
        app.processEvents()
        ok = window.grab().save(screenshot)
        window.close()
        if not ok:
            print(f"错误：无法保存截图到 {screenshot}", file=sys.stderr)
            return 1
        return 0
    controller = WindowController(workspace, window)
    remember_database(QSettings(), str(workspace.path))
    window.show_on_screen()
    status = app.exec()
    controller.close()
    return status


def _peak_memory_mb() -> float:
    if sys.platform == "win32":
        return 0.0  # not measured on Windows (no resource module); the benchmarks run on Linux
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class WindowController:
    """Keeps one window per open database and switches when the clerk opens another file."""

    def __init__(self, workspace: Workspace, window: Any) -> None:
        self.workspace = workspace
        self.window = window
        window.openRequested.connect(self.open)

    def open(self, path: str) -> None:
        """Open another database; on failure the current one stays open."""
        from ui.main_window import MainWindow
        from ui.recent import remember_database
        from ui.session import Session

        if Path(path).resolve() == self.workspace.path.resolve():
            return
        try:
            workspace = open_workspace(path)
        except DatabaseError as exc:
            QMessageBox.warning(self.window, "无法打开数据库", str(exc))
            return
        old_window, old_workspace = self.window, self.workspace
        geometry = old_window.saveGeometry()
        old_window.close()
        old_window.detach()
        old_workspace.close()
        session = Session(
            workspace.db,
            workspace.path,
            readonly=workspace.readonly,
            readonly_reason=workspace.readonly_reason,
        )
        self.window = MainWindow(session, QSettings())
        self.window.restoreGeometry(geometry)
        self.window.openRequested.connect(self.open)
        self.workspace = workspace
        remember_database(QSettings(), str(workspace.path))
        self.window.show()
        old_window.deleteLater()

    def close(self) -> None:
        """Release the database."""
        self.workspace.close()
