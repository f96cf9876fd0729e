"""Where Taizhang keeps its default database on each platform."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import quote

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


def readonly_uri(path: Path) -> str:
    """An SQLite URI that opens `path` read-only.

    Built by hand: on Windows `Path.resolve().as_uri()` turns a mapped drive (Z:) into
    file://server/share/…, whose authority SQLite refuses. Here a drive path gives file:///Z:/…,
    a UNC path file:////server/share/…, and characters such as ? # % and Chinese are escaped.
    """
    return file_uri(Path(os.path.abspath(path)).as_posix()) + "?mode=ro"


def file_uri(posix_path: str) -> str:
    """file:///home/…, file:///C:/…, file:////server/share/… for an absolute path written with /."""
    if not posix_path.startswith("/"):
        posix_path = "/" + posix_path  # C:/… → /C:/…
    return "file://" + quote(posix_path, safe="/:")
