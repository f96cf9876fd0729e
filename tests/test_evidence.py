"""Evidence files: copied once per content, independent of the original, removable, bounded."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from sqlite_utils import Database

from models import store as repo
from models.evidence import AttachmentError, attach_file, stored_path
from models.records import Activity, Plan


@pytest.fixture
def activity_id(fresh_db: Database) -> int:
    plan = repo.create_plan(fresh_db, Plan(title="方案", year=2024))
    return int(repo.insert_activity(fresh_db, plan.id or 0, Activity(name="活动")).id or 0)


def test_attach_copies_and_survives_the_original_being_deleted(
    fresh_db: Database, tmp_path: Path, activity_id: int
) -> None:
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"x" * 1000)
    att = attach_file(fresh_db, tmp_path / "files", 1, activity_id, photo)
    photo.unlink()
    stored = stored_path(tmp_path / "files", att)
    assert stored is not None and stored.read_bytes().startswith(b"\xff\xd8\xff")
    [row] = repo.list_attachments(fresh_db, activity_id=activity_id)
    assert (row.original_name, row.mime, row.size) == ("现场照片.jpg", "image/jpeg", 1003)
    assert row.is_image


def test_same_content_twice_is_stored_once(fresh_db: Database, tmp_path: Path, activity_id: int) -> None:
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    a.write_bytes(b"%PDF same")
    b.write_bytes(b"%PDF same")
    attach_file(fresh_db, tmp_path / "files", 1, activity_id, a)
    attach_file(fresh_db, tmp_path / "files", 1, activity_id, b)
    blobs = [p for p in (tmp_path / "files").rglob("*") if p.is_file()]
    assert len(blobs) == 1
    assert len(repo.list_attachments(fresh_db, activity_id=activity_id)) == 2


def test_removing_a_row_keeps_the_other_reference(
    fresh_db: Database, tmp_path: Path, activity_id: int
) -> None:
    a = tmp_path / "a.txt"
    a.write_text("总结")
    first = attach_file(fresh_db, tmp_path / "files", 1, activity_id, a)
    second = attach_file(fresh_db, tmp_path / "files", 1, None, a)
    repo.remove_attachment_row(fresh_db, first.id or 0)
    assert [x.id for x in repo.list_attachments(fresh_db, plan_id=1)] == [second.id]
    assert stored_path(tmp_path / "files", second) is not None


def test_too_large_and_missing_files_are_refused(
    fresh_db: Database, tmp_path: Path, activity_id: int
) -> None:
    big = tmp_path / "big.mp4"
    big.write_bytes(b"0" * 2048)
    with pytest.raises(AttachmentError, match="超过附件上限"):
        attach_file(fresh_db, tmp_path / "files", 1, activity_id, big, max_bytes=1024)
    with pytest.raises(AttachmentError, match="找不到文件"):
        attach_file(fresh_db, tmp_path / "files", 1, activity_id, tmp_path / "nope.jpg")
    assert repo.list_attachments(fresh_db, activity_id=activity_id) == []


def test_storing_a_large_file_reports_progress_and_stops_cleanly(tmp_path: Path) -> None:
    """The slow part runs on a worker: it tells how far it is and leaves nothing half-copied when stopped."""
    from models.evidence import store_file

    video = tmp_path / "活动现场.mp4"
    video.write_bytes(b"v" * (3 * 1024 * 1024 + 5))  # a little over three read chunks
    seen: list[tuple[int, int]] = []
    att = store_file(tmp_path / "files", 1, None, video, progress=lambda d, t: seen.append((d, t)))
    total = 3 * video.stat().st_size
    assert seen[-1] == (total, total) and all(a[0] < b[0] for a, b in pairwise(seen))
    assert att.id is None and att.size == video.stat().st_size  # stored, not yet recorded
    assert stored_path(tmp_path / "files", att) is not None

    class Stop(Exception):
        pass

    def stop_while_copying(done: int, all_bytes: int) -> None:
        if done > all_bytes // 2:
            raise Stop

    other = tmp_path / "另一段.mp4"
    other.write_bytes(b"w" * (3 * 1024 * 1024))
    with pytest.raises(Stop):
        store_file(tmp_path / "files", 1, None, other, progress=stop_while_copying)
    assert [p.name for p in (tmp_path / "files").rglob("*") if p.is_file()] == [
        stored_path(tmp_path / "files", att).name
    ]  # type: ignore[union-attr]
