"""The one error base: every expected failure carries the Chinese message the clerk sees.

The window shows `str(error)` in a message box and the command line prints it after “错误：” and exits
with `error.exit_code`; neither needs to know which kind of failure it was. Anything that is not a
`TaizhangError` is a bug: the window logs it, the command line says so and exits 1.
"""

from __future__ import annotations


class TaizhangError(Exception):
    """An expected failure; the message is Chinese and says what happened and what to do."""

    exit_code = 2


class ValidationError(TaizhangError, ValueError):
    """A value the clerk entered that cannot be stored."""


class DatabaseError(TaizhangError):
    """A database that cannot be opened as asked."""


class ReadError(TaizhangError):
    """A file that cannot be read in (imported): wrong format, damaged, encrypted, too large, empty."""


class MissingFeature(ReadError):
    """A file that needs an optional part of the program that is not installed (e.g. OCR for scans)."""


class ExportError(TaizhangError):
    """An export that could not be written."""


class BackupError(TaizhangError):
    """A backup that could not be made or restored."""


class AttachmentError(TaizhangError):
    """A file that cannot be attached as evidence."""


class LockHeld(TaizhangError):
    """Another Taizhang holds the database for writing; the message says who."""


class Cancelled(TaizhangError):
    """The clerk pressed 取消; long work stops and nothing half-done is kept."""

    exit_code = 130

    def __init__(self, message: str = "已取消。") -> None:
        super().__init__(message)


def describe_os_error(exc: OSError) -> str:
    """A file-system failure in Chinese (the system's own words are English on most PCs)."""
    import errno

    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG) or getattr(exc, "winerror", None) in (39, 112):
        return "磁盘空间已满（或文件超过了允许的大小）"
    if isinstance(exc, PermissionError) or getattr(exc, "winerror", None) in (5, 32, 33):
        return "没有权限，或文件正被其他程序（如 Excel、WPS）打开"
    if isinstance(exc, FileNotFoundError):
        return "文件或文件夹不存在"
    if code == errno.EROFS:
        return "所在的磁盘是只读的"
    if code == errno.ENAMETOOLONG:
        return "文件名或路径太长"
    if code == errno.EIO:
        return "磁盘读写出错"
    return exc.strerror or str(exc)
