"""The Qt user interface of Taizhang: main window, table models, delegates, dialogs, undo, workers."""
