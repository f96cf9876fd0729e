"""Opening the office's database the way the program does: default location, samples, checks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from models.db import DatabaseError, open_database
from models.paths import default_db_path
from models.samples import seed_database


@dataclass
class Workspace:
    """An open database and what the GUI must tell the clerk about it."""

    db: Database
    path: Path
    created: bool
    readonly: bool = False
    readonly_reason: str = ""


def open_workspace(path: str | Path | None, *, readonly: bool = False) -> Workspace:
    """Open FILE (created empty if missing) or the default database (created with the samples).

    Raises DatabaseError with a Chinese message; the file is never changed when opening fails.
    """
    default = path is None
    target = default_db_path() if default else Path(path)  # type: ignore[arg-type]
    if default:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"无法创建数据文件夹“{target.parent}”：{exc.strerror or exc}") from exc
    created = not target.exists()
    db = open_database(target, readonly=readonly)
    if created and default:
        seed_database(db)
    return Workspace(db, target, created, readonly)
