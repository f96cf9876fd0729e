"""Starting the GUI: the application object, Chinese translations, fonts, and the opened database."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from models.db import DatabaseError
from models.resources import resource_path
from models.workspace import open_workspace

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
    font.setFamilies(["Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei",
                      "Noto Sans CJK SC", "SimSun", *font.families()])
    font.setPointSizeF(max(font.pointSizeF(), 10.0))
    app.setFont(font)
    icon = resource_path("icons", "taizhang.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def run_gui(db_path: str | None, screenshot: str | None = None) -> int:
    """Open the database and show the main window (or render it to a PNG and exit)."""
    if screenshot and not os.environ.get("QT_QPA_PLATFORM") and sys.platform.startswith("linux") \
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = make_app()
    try:
        workspace = open_workspace(db_path)
    except DatabaseError as exc:
        if screenshot:
            print(f"错误：{exc}", file=sys.stderr)
        else:
            QMessageBox.critical(None, "无法打开数据库", str(exc))
        return 2
    from ui.main_window import MainWindow
    from ui.session import Session

    session = Session(workspace.db, workspace.path, readonly=workspace.readonly,
                      readonly_reason=workspace.readonly_reason)
    settings = QSettings() if not screenshot else QSettings(str(Path(screenshot).with_suffix(".ini")),
                                                           QSettings.Format.IniFormat)
    window = MainWindow(session, settings)
    if screenshot:
        window.resize(1500, 860)
        window.show()
        app.processEvents()
        window.table._fit_visible_rows()
        app.processEvents()
        ok = window.grab().save(screenshot)
        window.close()
        Path(screenshot).with_suffix(".ini").unlink(missing_ok=True)
        if not ok:
            print(f"错误：无法保存截图到 {screenshot}", file=sys.stderr)
            return 1
        return 0
    window.show()
    return app.exec()
