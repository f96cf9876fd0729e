"""Evidence files (photos, videos, documents) copied into a content-addressed folder next to the database."""

from __future__ import annotations

import hashlib
import mimetypes
import os
from collections.abc import Callable
from pathlib import Path

from sqlite_utils import Database

from models import leftovers, store
from models.errors import AttachmentError, describe_os_error
from models.records import Attachment

#: Largest file accepted as evidence: videos of an event are often a few hundred MB.
MAX_ATTACHMENT_BYTES = 500 * 1024 * 1024


def blob_path(evidence_dir: Path, att: Attachment) -> Path:
    """Return where an attachment's content is stored (by hash, keeping the original extension)."""
    suffix = Path(att.original_name).suffix.lower()[:12]
    return evidence_dir / att.sha256[:2] / f"{att.sha256}{suffix}"


Progress = Callable[[int, int], None]  # (bytes done, bytes in all); may raise to stop
_CHUNK = 1024 * 1024


def _hash_file(path: Path, progress: Callable[[int], None] | None = None) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(chunk)
            if progress is not None:
                progress(len(chunk))
    return digest.hexdigest()


def store_file(
    evidence_dir: Path,
    plan_id: int,
    activity_id: int | None,
    source: str | os.PathLike[str],
    *,
    max_bytes: int = MAX_ATTACHMENT_BYTES,
    progress: Progress | None = None,
) -> Attachment:
    """Copy a file into the evidence folder (once per content) and return its not-yet-recorded Attachment.

    The slow part of attaching (reading, hashing, copying, checking a video of hundreds of MB); it
    touches no database, so it may run on a worker thread. `progress` is told the bytes read and
    written (three passes over the file) and may raise to stop; nothing half-copied is left.
    """
    src = Path(source)
    if not src.is_file():
        raise AttachmentError(f"找不到文件“{src}”。")
    try:
        size = src.stat().st_size
        if size > max_bytes:
            raise AttachmentError(
                f"“{src.name}”有 {size / 1024 / 1024:.0f} MB，超过附件上限 {max_bytes // 1024 // 1024} MB。"
                "请压缩后再添加。"
            )
    except OSError as exc:
        raise AttachmentError(f"无法读取“{src.name}”：{exc.strerror or exc}") from exc
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, 3 * size)

    try:
        sha = _hash_file(src, step)
    except PermissionError as exc:
        raise AttachmentError(f"没有权限读取“{src.name}”。") from exc
    except OSError as exc:
        raise AttachmentError(f"无法读取“{src.name}”：{exc.strerror or exc}") from exc
    mime = mimetypes.guess_type(src.name)[0] or "application/octet-stream"
    att = Attachment(
        plan_id=plan_id, activity_id=activity_id, sha256=sha, original_name=src.name, mime=mime, size=size
    )
    target = blob_path(evidence_dir, att)
    if target.exists():
        return att
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with leftovers.temporary(leftovers.new_file(target.parent, f"{sha}-")) as tmp:
            with src.open("rb") as fin, tmp.open("wb") as fout:
                for chunk in iter(lambda: fin.read(_CHUNK), b""):
                    fout.write(chunk)
                    step(len(chunk))
            if _hash_file(tmp, step) != sha:
                raise AttachmentError(f"复制“{src.name}”时内容发生变化，请重试。")
            os.replace(tmp, target)
    except OSError as exc:
        raise AttachmentError(f"无法保存附件“{src.name}”：{describe_os_error(exc)}。") from exc
    return att


def attach_file(
    db: Database,
    evidence_dir: Path,
    plan_id: int,
    activity_id: int | None,
    source: str | os.PathLike[str],
    *,
    max_bytes: int = MAX_ATTACHMENT_BYTES,
) -> Attachment:
    """Copy a file into the evidence folder (once per content) and record it for an activity or plan."""
    return store.add_attachment_row(
        db, store_file(evidence_dir, plan_id, activity_id, source, max_bytes=max_bytes)
    )


def stored_path(evidence_dir: Path, att: Attachment) -> Path | None:
    """Return the stored copy of an attachment, or None if it is missing."""
    path = blob_path(evidence_dir, att)
    return path if path.exists() else None


def plan_photos(db: Database, evidence_dir: Path, plan_id: int) -> tuple[dict[int, list[Path]], list[Path]]:
    """Return the stored pictures of a plan: by activity id, and the plan's own (for the summary PDF)."""
    by_activity: dict[int, list[Path]] = {}
    own: list[Path] = []
    for att in store.list_attachments(db, plan_id=plan_id):
        path = stored_path(evidence_dir, att) if att.is_image else None
        if path is None:
            continue
        if att.activity_id is None:
            own.append(path)
        else:
            by_activity.setdefault(att.activity_id, []).append(path)
    return by_activity, own
