"""A wheel turned over a panel scrolls the panel: fields change by the wheel only once they have focus."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QWidget


class WheelGuard(QObject):
    """Hands a wheel event over a field without focus on to its parent (the scroll area scrolls).

    Without it, scrolling the detail panel changes whatever passes under the pointer: 进度 60 % → 50 %,
    the log's date a year back, the status combo to another status."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Refuse the wheel for a field without focus; Qt then offers the event to the parent."""
        if event.type() == QEvent.Type.Wheel and isinstance(watched, QWidget) and not watched.hasFocus():
            event.ignore()
            return True
        return False


def guard_wheel(panel: QWidget) -> WheelGuard:
    """Guard every spin box, date box and combo box inside `panel` (they keep focus by click and Tab)."""
    guard = WheelGuard(panel)
    for field in panel.findChildren(QAbstractSpinBox) + panel.findChildren(QComboBox):
        field.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # not WheelFocus: the wheel does not take focus
        field.installEventFilter(guard)
    return guard
