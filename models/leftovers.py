"""Temporary files never outlive the program: each is recorded before it is made and forgotten once it is
renamed into place or removed; whatever a killed process left behind is removed at the next start.

Each running program keeps its own record in the data folder and holds a lock on it. A record whose
lock can be taken belongs to a program that is no longer running: the files it names are removed.
Temporary files are made with the permissions the folder would give any new file (not owner-only), so
that an export renamed into a shared folder can be opened by colleagues.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from models.paths import data_dir

_LOCK_OFFSET = 1 << 20
_lock = threading.Lock()
_record: tuple[Path, IO[bytes]] | None = None
_paths: set[str] = set()


def _folder() -> Path:
    return data_dir() / "临时文件"


def temporary_folder() -> Path:
    """The program's own folder for temporary files (never the system's temp folder)."""
    return _folder()


def _try_lock(fh: IO[bytes]) -> bool:
    try:
        if sys.platform == "win32":
            import msvcrt

            fh.seek(_LOCK_OFFSET)
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def _write_record() -> None:
    global _record
    if _record is None:
        folder = _folder()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{os.getpid()}-{secrets.token_hex(4)}.txt"
        handle: IO[bytes] = open(path, "a+b")  # noqa: SIM115 - held (and locked) for the program's lifetime
        _try_lock(handle)
        _record = (path, handle)
    out = _record[1]
    out.seek(0)
    out.truncate()
    out.write("\n".join(sorted(_paths)).encode("utf-8"))
    out.flush()
    with contextlib.suppress(OSError):
        os.fsync(out.fileno())


def remember(path: Path) -> None:
    """Record a temporary file (or folder) before it is made."""
    with _lock:
        _paths.add(str(path))
        with contextlib.suppress(OSError):  # without a record the file is still removed by its maker
            _write_record()


def forget(path: Path) -> None:
    """Forget a temporary file that was renamed into place or removed."""
    with _lock:
        _paths.discard(str(path))
        with contextlib.suppress(OSError):
            _write_record()


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


@contextlib.contextmanager
def temporary(path: Path) -> Iterator[Path]:
    """Record `path` for the duration of a block; whatever is left of it afterwards is removed."""
    remember(path)
    try:
        yield path
    finally:
        with contextlib.suppress(OSError):
            _remove(path)
        forget(path)


def new_file(folder: Path, prefix: str, suffix: str = ".part") -> Path:
    """Make an empty temporary file in `folder` with the folder's usual permissions (recorded first)."""
    while True:
        path = folder / f"{prefix}{secrets.token_hex(6)}{suffix}"
        remember(path)
        try:
            fd = os.open(
                path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666
            )  # the umask decides, as for any file
        except FileExistsError:
            forget(path)
            continue
        except OSError:
            forget(path)
            raise
        os.close(fd)
        return path


def sweep() -> list[Path]:
    """Remove what programs that are no longer running left behind; return what was removed."""
    removed: list[Path] = []
    folder = _folder()
    if not folder.is_dir():
        return removed
    own = _record[0] if _record is not None else None
    for record in folder.glob("*.txt"):
        if record == own:
            continue
        try:
            fh = open(record, "rb")  # noqa: SIM115 - closed below
        except OSError:
            continue
        try:
            if not _try_lock(fh):
                continue  # its program is still running
            for line in fh.read().decode("utf-8", "replace").splitlines():
                path = Path(line)
                if line and path.exists():
                    _remove(path)
                    removed.append(path)
        finally:
            fh.close()
        with contextlib.suppress(OSError):
            record.unlink()
    return removed
