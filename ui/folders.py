"""Where file dialogs open (the folder last used, else 文档 / 桌面) and how big dialogs may be."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QSize, QStandardPaths
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget

KEY = "files/folder"
_OLD_KEY = "export/folder"  # what earlier versions remembered (exports only)


def documents_folder() -> Path:
    """The clerk's 文档 folder, else the desktop, else the home folder."""
    for location in (
        QStandardPaths.StandardLocation.DocumentsLocation,
        QStandardPaths.StandardLocation.DesktopLocation,
    ):
        text = QStandardPaths.writableLocation(location)
        if text and Path(text).is_dir():
            return Path(text)
    return Path.home()


def last_folder(settings: QSettings) -> Path:
    """The folder the clerk last saved to or took files from, if it still exists; else 文档 / 桌面."""
    for key in (KEY, _OLD_KEY):
        value = settings.value(key)
        if value and Path(str(value)).is_dir():
            return Path(str(value))
    return documents_folder()


def remember_folder(settings: QSettings, path: Path | str) -> None:
    """Remember the folder of a file just saved or chosen (or the folder itself)."""
    folder = Path(path)
    if not folder.is_dir():
        folder = folder.parent
    settings.setValue(KEY, str(folder))


def confirm_overwrite(parent: QWidget | None, path: Path, title: str) -> bool:
    """Ask before an existing file is replaced; True when it does not exist or the clerk says so."""
    if not path.exists():
        return True
    answer = QMessageBox.question(
        parent,
        title,
        f"“{path.name}”已存在于 {path.parent}。\n要替换它吗？",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def fit_to_screen(wanted: QSize, margin: int = 40) -> QSize:
    """A dialog's size: as wanted, but within the screen's available area (a 1366×768 laptop)."""
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return wanted
    area = screen.availableGeometry().size()
    return QSize(min(wanted.width(), area.width() - margin), min(wanted.height(), area.height() - margin))
