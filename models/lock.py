"""One writer per database, however the file is reached: by its path, a symbolic link, a hard link or
another PC's share.

Two locks are held while a database is open for writing:
- a lock file beside the real file (symbolic links resolved) that names who holds it — the one other
  PCs on a share see, and the one a message can quote;
- a lock on the database file itself, which identifies the file, not the path: a second name for the
  same file (a hard link) meets it too. On Windows a byte far beyond anything SQLite locks is locked; on
  a local POSIX disk the whole file is flock()ed (flock is independent of SQLite's fcntl locks there).
  Over NFS/SMB mounts on Linux flock would be emulated with fcntl locks and clash with SQLite's own, so
  there the lock file alone guards (hard links across a network share are not something offices make).
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import sys
from pathlib import Path
from typing import IO

from models import clock
from models.errors import LockHeld

LOCK_OFFSET = 1 << 20
FILE_LOCK_OFFSET = 1 << 40  # far beyond SQLite's lock bytes (1 GiB) and any real database
__all__ = ["LockHeld", "WriterLock", "describe_holder", "lock_path"]


def lock_path(db_path: Path) -> Path:
    """Return the lock file of a database: beside the real file, whatever link it was reached through."""
    real = Path(os.path.realpath(db_path))
    return real.with_name(real.name + ".lock")


def _try_lock(fh: IO[bytes], offset: int) -> bool:
    try:
        if sys.platform == "win32":
            import msvcrt

            fh.seek(offset)
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def _unlock(fh: IO[bytes], offset: int) -> None:
    if sys.platform == "win32":  # Windows may free a lock only some time after close
        import msvcrt

        try:
            fh.seek(offset)
            msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
        except OSError:
            pass


def describe_holder(path: Path) -> str:
    """Return "user on host (pid N)" from a lock file, as far as it can be read."""
    try:
        info = json.loads(path.read_text(encoding="utf-8")[:2000] or "{}")
        return (
            f"{info.get('user', '?')}（计算机 {info.get('host', '?')}，进程 {info.get('pid', '?')}，"
            f"自 {info.get('since', '?')}）"
        )
    except (OSError, ValueError):
        return "另一个台账程序"


def _file_lock_applies(db_path: Path) -> bool:
    if sys.platform == "win32":
        return True
    from models.db import is_network_path

    return not is_network_path(db_path)


class WriterLock:
    """Held while a database is open for writing; released on close or when the process dies."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        self.path = lock_path(self.db_path)
        self._fh: IO[bytes] | None = None
        self._file: IO[bytes] | None = None

    def acquire(self) -> None:
        """Take the lock or raise LockHeld naming the holder."""
        fh = open(self.path, "a+b")  # noqa: SIM115 - kept open for the lock's lifetime
        if not _try_lock(fh, LOCK_OFFSET):
            fh.close()
            raise LockHeld(f"此数据库正由 {describe_holder(self.path)} 使用。")
        try:
            self.bind_file()
        except LockHeld:
            _unlock(fh, LOCK_OFFSET)
            fh.close()
            raise
        try:
            user = getpass.getuser()
        except (OSError, KeyError, ImportError):  # no user name in the environment
            user = "?"
        info = {"user": user, "host": socket.gethostname(), "pid": os.getpid(), "since": clock.timestamp()}
        try:
            fh.seek(0)
            fh.truncate()
            fh.write(json.dumps(info, ensure_ascii=False).encode("utf-8"))
            fh.flush()
        except OSError:
            pass
        self._fh = fh

    def bind_file(self) -> None:
        """Lock the database file itself (once it exists), so that another name for it meets the lock."""
        if self._file is not None or not self.db_path.is_file() or not _file_lock_applies(self.db_path):
            return
        try:
            fh = open(self.db_path, "rb")  # noqa: SIM115 - kept open for the lock's lifetime
        except OSError:
            return  # unreadable: SQLite will say so when it opens the file
        if not _try_lock(fh, FILE_LOCK_OFFSET):
            fh.close()
            raise LockHeld("此数据库正由另一个台账程序使用（它通过另一个路径或链接打开了同一个文件）。")
        self._file = fh

    def release(self) -> None:
        """Let go of the lock."""
        for fh, offset in ((self._file, FILE_LOCK_OFFSET), (self._fh, LOCK_OFFSET)):
            if fh is not None:
                try:
                    _unlock(fh, offset)
                    fh.close()
                except OSError:
                    pass
        # The lock file itself stays: unlinking it would let a waiting process lock a stale inode.
        self._fh = self._file = None
