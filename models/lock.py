"""One writer per database: an OS-level lock on a file beside the database, naming who holds it."""

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
__all__ = ["LockHeld", "WriterLock", "describe_holder", "lock_path"]


def lock_path(db_path: Path) -> Path:
    """Return the lock file of a database."""
    return db_path.with_name(db_path.name + ".lock")


def _try_lock(fh: IO[bytes]) -> bool:
    try:
        if sys.platform == "win32":
            import msvcrt

            # Lock a byte far past the text so that others can still read who holds the lock.
            fh.seek(LOCK_OFFSET)
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def describe_holder(path: Path) -> str:
    """Return "user on host (pid N)" from a lock file, as far as it can be read."""
    try:
        info = json.loads(path.read_text(encoding="utf-8")[:2000] or "{}")
        return f"{info.get('user', '?')}（计算机 {info.get('host', '?')}，进程 {info.get('pid', '?')}，自 {info.get('since', '?')}）"
    except (OSError, ValueError):
        return "另一个台账程序"


class WriterLock:
    """Held while a database is open for writing; released on close or when the process dies."""

    def __init__(self, db_path: Path) -> None:
        self.path = lock_path(db_path)
        self._fh: IO[bytes] | None = None

    def acquire(self) -> None:
        """Take the lock or raise LockHeld naming the holder."""
        fh = open(self.path, "a+b")  # noqa: SIM115 - kept open for the lock's lifetime
        if not _try_lock(fh):
            fh.close()
            raise LockHeld(f"此数据库正由 {describe_holder(self.path)} 使用。")
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

    def release(self) -> None:
        """Let go of the lock."""
        if self._fh is not None:
            try:
                if sys.platform == "win32":  # Windows may free a lock only some time after close
                    import msvcrt

                    try:
                        self._fh.seek(LOCK_OFFSET)
                        msvcrt.locking(self._fh.fileno(), msvcrt.LK_UNLCK, 1)
                    except OSError:
                        pass
                self._fh.close()
            finally:
                # The file itself stays: unlinking it would let a waiting process lock a stale inode.
                self._fh = None
