"""Where Taizhang keeps its default database on each platform."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR = "Taizhang"
DB_NAME = "taizhang.db"


def data_dir() -> Path:
    """Return the per-user data folder (Windows: %APPDATA%\\Taizhang)."""
    override = os.environ.get("TAIZHANG_HOME")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
        return base / APP_DIR
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_DIR
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / APP_DIR.lower()


def default_db_path() -> Path:
    """Return the default database path."""
    return data_dir() / DB_NAME
