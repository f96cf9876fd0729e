"""帮助 → 用户手册: the Chinese user guide shown inside the program (office PCs open no .md files)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from models.resources import resource_path
from ui.folders import fit_to_screen


def manual_path() -> Path | None:
    """Return the guide: bundled beside the program, or docs/ in the source tree."""
    for candidate in (resource_path("docs", "用户手册.md"), resource_path("..", "docs", "用户手册.md")):
        if candidate.exists():
            return candidate.resolve()
    return None


class ManualDialog(QDialog):
    """The guide rendered from its Markdown, with its screenshots."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("活动台账 用户手册")
        self.resize(fit_to_screen(QSize(900, 760)))
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(True)
        self.browser.setSearchPaths([str(path.parent)])  # images/… of the guide
        self.browser.setMarkdown(path.read_text(encoding="utf-8"))
        self._fit_pictures(820)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)

    def _fit_pictures(self, width: int) -> None:
        """Show the screenshots (1500 px wide) at a width that needs no sideways scrolling."""
        document = self.browser.document()
        block = document.begin()
        while block.isValid():
            fragments = []
            parts = block.begin()
            while not parts.atEnd():  # collected first: changing a format may split the block's fragments
                fragments.append(parts.fragment())
                parts += 1
            for fragment in fragments:
                form = fragment.charFormat()
                if form.isImageFormat():
                    picture = form.toImageFormat()
                    picture.setWidth(width)  # the height follows the picture's proportions
                    cursor = QTextCursor(document)
                    cursor.setPosition(fragment.position())
                    cursor.setPosition(
                        fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor
                    )
                    cursor.setCharFormat(picture)
            block = block.next()
