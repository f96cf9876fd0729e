"""报送材料 (services.report_package and `main.py report`): the check first, then four files in a new folder."""

from __future__ import annotations

import datetime as dt
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlite_utils import Database

from models import store
from models.backup import evidence_dir_of
from models.db import open_database
from models.errors import Cancelled, ExportError
from models.evidence import attach_file
from models.records import Plan
from models.samples import seed_database
from services import editing, exporting
from services.report_package import (
    make_package,
    package_names,
    precheck,
    prepare_package,
    write_package,
)
from services.todo import campaign_name

TODAY = dt.date(2024, 9, 28)
STEM = "共青城市市场监督管理局2024年质量月活动"


def png(path: Path) -> Path:
    raw = b"".join(b"\x00" + b"\x30\x78\xe7" * 8 for _ in range(6))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 6, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    return path


@pytest.fixture
def plan_db(tmp_path: Path) -> tuple[Database, Path]:
    """The 共青城 sample (plan 2): activity 1 done with notes and a photo, activity 2 done without either."""
    path = tmp_path / "taizhang.db"
    db = open_database(path)
    seed_database(db)
    acts = store.list_activities(db, 2)
    editing.set_activity_fields(
        db, int(acts[0].id or 0), {"status": "已完成", "completion_notes": "举办宣传活动，发放资料3000份"}
    )
    editing.set_activity_fields(db, int(acts[1].id or 0), {"status": "已完成"})
    editing.set_activity_fields(db, int(acts[2].id or 0), {"status": "已取消"})
    attach_file(db, evidence_dir_of(path), 2, int(acts[0].id or 0), png(tmp_path / "现场.png"))
    attach_file(db, evidence_dir_of(path), 2, int(acts[0].id or 0), png(tmp_path / "现场2.png"))
    (tmp_path / "sub").mkdir()
    attach_file(db, evidence_dir_of(path), 2, None, png(tmp_path / "sub" / "现场.png"))
    return db, path


@pytest.mark.parametrize(
    ("title", "campaign"),
    [
        ("岳阳市市场监管系统2024年“质量月”活动方案", "质量月"),
        ("共青城市市场监督管理局2024年“质量月”活动方案", "质量月"),
        ("2024年安全生产月活动实施方案", "安全生产月"),
        ("关于开展2025年“3·15”国际消费者权益日活动的通知", "3·15国际消费者权益日"),
        ("食品安全宣传周工作方案", "食品安全宣传周"),
    ],
)
def test_campaign_from_the_title(title: str, campaign: str) -> None:
    assert campaign_name(title) == campaign


def test_names_as_offices_write_them() -> None:
    names = package_names(
        Plan(title="岳阳市市场监管系统2024年“质量月”活动方案", year=2024), "平江县市场监督管理局", TODAY
    )
    assert names.summary == "平江县市场监督管理局2024年质量月活动总结.pdf"
    assert names.progress == "平江县市场监督管理局2024年质量月活动进展情况表.xlsx"
    assert names.table == "平江县市场监督管理局2024年质量月活动安排表.pdf"
    assert names.evidence == "平江县市场监督管理局2024年质量月活动佐证材料.zip"
    assert names.folder == "平江县市场监督管理局2024年质量月活动报送材料"
    assert "/" not in package_names(Plan(title="a/b:c 方案", year=2024), "", TODAY).folder


def test_precheck_lists_what_is_missing(plan_db: tuple[Database, Path]) -> None:
    db, _ = plan_db
    check = precheck(db, 2)
    assert check.total == 11  # the cancelled one is left out
    assert [a.position for a in check.no_notes] == [2, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    assert [a.position for a in check.no_photos] == [2, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    assert [a.position for a in check.not_done] == [4, 5, 6, 7, 8, 9, 10, 11, 12]
    lines = check.lines()
    assert lines[0] == "11 项活动中：9 项未完成，10 项无完成情况，10 项无照片。"
    assert lines[1] == "第 2 项“开展“计量服务中小企业行”活动”：无完成情况、无照片"
    assert not check.ok


def test_package_writes_four_files_in_a_folder_named_after_the_plan(
    plan_db: tuple[Database, Path], tmp_path: Path
) -> None:
    db, path = plan_db
    out = tmp_path / "out"
    out.mkdir()
    result = make_package(db, path, 2, out, today=TODAY)
    assert result.folder == out / f"{STEM}报送材料"
    assert sorted(p.name for p in result.folder.iterdir()) == sorted(
        [f"{STEM}总结.pdf", f"{STEM}进展情况表.xlsx", f"{STEM}安排表.pdf", f"{STEM}佐证材料.zip"]
    )
    summary = "".join(page.extract_text() for page in PdfReader(result.folder / f"{STEM}总结.pdf").pages)
    assert "完成情况总结" in summary and "发放资料3000份" in summary
    table = "".join(page.extract_text() for page in PdfReader(result.folder / f"{STEM}安排表.pdf").pages)
    assert "电子计价秤" in table
    sheet = load_workbook(result.folder / f"{STEM}进展情况表.xlsx").active
    assert sheet is not None and any(c.value == "已完成" for row in sheet.iter_rows() for c in row)
    with zipfile.ZipFile(result.folder / f"{STEM}佐证材料.zip") as archive:
        assert sorted(archive.namelist()) == [
            "00 方案总结材料/现场.png",
            "01 举办共青城市“质量月”宣传活动/现场.png",
            "01 举办共青城市“质量月”宣传活动/现场2.png",
        ]
        assert archive.testzip() is None
    assert result.notes == [] and not result.renamed
    assert [p for p in out.iterdir() if p.name.startswith(".")] == []  # no temporary folder left


def test_an_existing_folder_is_never_overwritten(plan_db: tuple[Database, Path], tmp_path: Path) -> None:
    db, path = plan_db
    first = make_package(db, path, 2, tmp_path, today=TODAY)
    (first.folder / f"{STEM}总结.pdf").write_bytes(b"the clerk's edited copy")
    second = make_package(db, path, 2, tmp_path, today=TODAY)
    assert second.folder.name == f"{STEM}报送材料（2）" and second.renamed
    assert "已存在" in second.notes[0] and "原有文件未改动" in second.notes[0]
    assert (first.folder / f"{STEM}总结.pdf").read_bytes() == b"the clerk's edited copy"
    assert make_package(db, path, 2, tmp_path, today=TODAY).folder.name == f"{STEM}报送材料（3）"


def test_a_failure_midway_leaves_nothing(
    plan_db: tuple[Database, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, path = plan_db
    out = tmp_path / "out"
    out.mkdir()
    job = prepare_package(db, path, 2, out, today=TODAY)
    real = exporting.run_export
    calls = {"n": 0}

    def failing(request: object, material: object, progress: object) -> object:
        calls["n"] += 1
        if calls["n"] == 2:
            raise ExportError("磁盘已满")
        return real(request, material, progress)  # type: ignore[arg-type]

    monkeypatch.setattr("services.report_package.run_export", failing)
    with pytest.raises(ExportError, match="磁盘已满"):
        write_package(job)
    assert list(out.iterdir()) == []


def test_cancel_leaves_nothing(plan_db: tuple[Database, Path], tmp_path: Path) -> None:
    db, path = plan_db
    (tmp_path / "c").mkdir()
    job = prepare_package(db, path, 2, tmp_path / "c", today=TODAY)
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if done > total // 2:
            raise Cancelled()

    with pytest.raises(Cancelled):
        write_package(job, progress)
    assert list(job.parent.iterdir()) == []
    assert all(total == 4000 for _, total in seen)


def test_a_folder_that_does_not_exist_is_a_message(plan_db: tuple[Database, Path], tmp_path: Path) -> None:
    db, path = plan_db
    with pytest.raises(ExportError, match="不存在"):
        prepare_package(db, path, 2, tmp_path / "nope", today=TODAY)


def test_missing_evidence_files_are_told(plan_db: tuple[Database, Path], tmp_path: Path) -> None:
    db, path = plan_db
    for stored in evidence_dir_of(path).rglob("*.png"):
        stored.unlink()
    result = make_package(db, path, 2, tmp_path, today=TODAY)
    assert any("已缺失" in n and "现场2.png" in n for n in result.notes)
    with zipfile.ZipFile(result.files[3]) as archive:
        assert archive.namelist() == ["说明.txt"]


def test_cli_report(
    plan_db: tuple[Database, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from main import main

    db, path = plan_db
    db.close()
    out = tmp_path / "报送"
    assert main(["report", "--db", str(path), "--plan", "2", "--out", str(out), "--today", "2024-09-28"]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == str(out / f"{STEM}报送材料")
    assert "检查：11 项活动中" in captured.err and f"已写入 {STEM}总结.pdf" in captured.err
    assert main(["report", "--db", str(path), "--plan", "2", "--out", str(out)]) == 0
    assert "已存在" in capsys.readouterr().err
    assert main(["report", "--db", str(path), "--plan", "99", "--out", str(out)]) == 2
    assert "没有编号为 99 的方案" in capsys.readouterr().err
    (tmp_path / "file.txt").write_text("x")
    assert main(["report", "--db", str(path), "--plan", "2", "--out", str(tmp_path / "file.txt")]) == 2
    assert "不是文件夹" in capsys.readouterr().err
