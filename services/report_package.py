"""报送材料: the report package of a plan, written in one go into one new folder named after the plan.

The folder holds the completion summary PDF, the progress workbook, the activity table PDF and a zip of
the evidence, named the way offices name them: "<单位>2024年质量月活动总结.pdf",
"<单位>2024年质量月活动进展情况表.xlsx", "<单位>2024年质量月活动安排表.pdf",
"<单位>2024年质量月活动佐证材料.zip", in "<单位>2024年质量月活动报送材料". The office is the one
in the settings (the office that reports), else the plan's 发文单位.

Nothing is ever overwritten: when the folder exists, the package goes into "…（2）", "…（3）"… and the
result says so. The files are written into a temporary folder beside it that is renamed into place only
when all four are complete; a failure or 取消 leaves nothing. Like exporting, it is two steps:
`prepare_package` reads the database (its own thread), `write_package` writes (a worker may run it).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from models import clock, leftovers, store
from models.backup import evidence_dir_of
from models.errors import ExportError, describe_os_error
from models.records import STATUS_CANCELLED, STATUS_DONE, Activity, Plan
from models.settings import OfficeSettings, load_settings
from services.exporting import (
    ExportMaterial,
    ExportRequest,
    Progress,
    load_material,
    make_request,
    run_export,
)
from services.todo import campaign_name

_BAD_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_STORED_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".mp4", ".mov", ".avi", ".wmv", ".zip", ".rar", ".7z")
_STEP = 1000  # progress units per document; the zip gets as many, spread over its bytes


# ---------------------------------------------------------------- names


def _safe(text: str, limit: int = 100) -> str:
    text = _BAD_CHARS.sub("_", text).strip(" .")
    return text[:limit] or "报送材料"


@dataclass(frozen=True)
class PackageNames:
    """The folder and file names of a plan's package."""

    folder: str
    summary: str
    progress: str
    table: str
    evidence: str

    @property
    def files(self) -> tuple[str, str, str, str]:
        """The four file names in the order they are written."""
        return (self.summary, self.progress, self.table, self.evidence)


def package_names(plan: Plan, office: str, today: dt.date) -> PackageNames:
    """Name a plan's package: office, year and campaign, as in "XX局2024年质量月活动总结.pdf"."""
    year = plan.year or today.year
    stem = _safe(f"{office.strip()}{year}年{campaign_name(plan.title)}活动", 80)
    return PackageNames(
        f"{stem}报送材料",
        f"{stem}总结.pdf",
        f"{stem}进展情况表.xlsx",
        f"{stem}安排表.pdf",
        f"{stem}佐证材料.zip",
    )


def free_folder(parent: Path, name: str) -> Path:
    """Return `parent/name`, or `name（2）`, `name（3）`… when it exists (nothing is overwritten)."""
    target = parent / name
    number = 2
    while target.exists():
        target = parent / f"{name}（{number}）"
        number += 1
    return target


# ---------------------------------------------------------------- the check first


@dataclass
class PreCheck:
    """What the package would lack: activities without 完成情况, without photos, not yet done."""

    plan: Plan
    total: int
    no_notes: list[Activity] = field(default_factory=list)
    no_photos: list[Activity] = field(default_factory=list)
    not_done: list[Activity] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Tell whether nothing is missing."""
        return not (self.no_notes or self.no_photos or self.not_done)

    def missing(self) -> list[tuple[Activity, list[str]]]:
        """Each activity that lacks something, in table order, with what it lacks."""
        lacks: dict[int, tuple[Activity, list[str]]] = {}
        for items, what in (
            (self.not_done, "未完成"),
            (self.no_notes, "无完成情况"),
            (self.no_photos, "无照片"),
        ):
            for a in items:
                lacks.setdefault(int(a.id or 0), (a, []))[1].append(what)
        return sorted(lacks.values(), key=lambda pair: pair[0].position)

    def lines(self) -> list[str]:
        """The check as lines of text (the command line prints them; the dialog lists them)."""
        if self.ok:
            return [f"检查通过：{self.total} 项活动均已完成，都有完成情况和照片。"]
        head = (
            f"{self.total} 项活动中：{len(self.not_done)} 项未完成，{len(self.no_notes)} 项无完成情况，"
            f"{len(self.no_photos)} 项无照片。"
        )
        return [head, *(f"第 {a.position} 项“{a.name}”：{'、'.join(w)}" for a, w in self.missing())]


def precheck(db: Database, plan_id: int) -> PreCheck:
    """Check a plan before its package: 已取消 activities are left out of every count."""
    plan = store.get_plan(db, plan_id)
    activities = [a for a in store.list_activities(db, plan_id) if a.status != STATUS_CANCELLED]
    with_photos = {att.activity_id for att in store.list_attachments(db, plan_id=plan_id) if att.is_image}
    check = PreCheck(plan, len(activities))
    for a in activities:
        if a.status != STATUS_DONE:
            check.not_done.append(a)
        if not a.completion_notes.strip():
            check.no_notes.append(a)
        if a.id not in with_photos:
            check.no_photos.append(a)
    return check


# ---------------------------------------------------------------- the package


@dataclass
class PackageJob:
    """Everything the writing needs, read beforehand from the database (no connection is used later)."""

    parent: Path
    names: PackageNames
    material: ExportMaterial
    requests: tuple[ExportRequest, ExportRequest, ExportRequest]  # summary, progress, table
    evidence: list[tuple[Path | None, str]]  # (stored copy or None when missing, name inside the zip)

    @property
    def target(self) -> Path:
        """The folder the package will be written to (decided again at the end)."""
        return free_folder(self.parent, self.names.folder)


@dataclass(frozen=True)
class PackageResult:
    """What was written, and what the clerk should know."""

    folder: Path
    files: list[Path]
    notes: list[str]
    renamed: bool = False  # the plain folder name was taken: a numbered one was used


def _zip_names(
    plan_id: int, db: Database, evidence_dir: Path, activities: list[Activity]
) -> list[tuple[Path | None, str]]:
    from models.evidence import stored_path

    folders = {int(a.id or 0): _safe(f"{a.position:02d} {a.name}", 40) for a in activities}
    taken: set[str] = set()
    out: list[tuple[Path | None, str]] = []
    for att in store.list_attachments(db, plan_id=plan_id):
        folder = folders.get(int(att.activity_id or 0), "00 方案总结材料")
        name = f"{folder}/{_safe(att.original_name, 80)}"
        stem, dot, suffix = name.rpartition(".")
        number = 2
        while name in taken:
            name = f"{stem}（{number}）.{suffix}" if dot else f"{suffix}（{number}）"
            number += 1
        taken.add(name)
        out.append((stored_path(evidence_dir, att), name))
    return out


def prepare_package(
    db: Database,
    db_path: Path | None,
    plan_id: int,
    parent: Path,
    *,
    today: dt.date | None = None,
    settings: OfficeSettings | None = None,
) -> PackageJob:
    """Read what the package needs and name it; ExportError when the folder to write into is unusable."""
    settings = settings or load_settings(db)
    day = today or clock.today()
    parent = Path(parent)
    if not parent.is_dir():
        raise ExportError(f"保存位置“{parent}”不存在或不是文件夹，请选择其他文件夹。")
    plan = store.get_plan(db, plan_id)
    office = settings.office_name or plan.office
    names = package_names(plan, office, day)
    summary = make_request(Path(names.summary), "summary", settings, footer_line=office)
    progress = make_request(Path(names.progress), "progress", settings)
    table = make_request(Path(names.table), "table", settings, footer_line=office)
    material = load_material(db, db_path, plan_id, summary, today=day, settings=settings)
    evidence = _zip_names(plan_id, db, evidence_dir_of(db_path), material.activities) if db_path else []
    return PackageJob(parent, names, material, (summary, progress, table), evidence)


def _write_zip(
    path: Path, evidence: list[tuple[Path | None, str]], progress: Progress, base: int
) -> list[str]:
    missing = [name for source, name in evidence if source is None]
    present = [(s, n) for s, n in evidence if s is not None]
    sizes = [s.stat().st_size if s.exists() else 0 for s, _ in present]
    total, done = max(1, sum(sizes)), 0
    with zipfile.ZipFile(path, "w", allowZip64=True) as archive:
        if not present:
            archive.writestr("说明.txt", "本方案暂无佐证材料。\n")
        for (source, name), size in zip(present, sizes, strict=True):
            method = zipfile.ZIP_STORED if name.lower().endswith(_STORED_SUFFIXES) else zipfile.ZIP_DEFLATED
            archive.write(source, name, compress_type=method)
            done += size
            progress(base + _STEP * done // total, 4 * _STEP)
    return [f"以下材料的文件已缺失，未放入压缩包：{'、'.join(missing)}"] if missing else []


def write_package(job: PackageJob, progress: Progress | None = None) -> PackageResult:
    """Write the four files into a temporary folder, then rename it into place (safe on a worker)."""
    report: Progress = progress or (lambda _done, _total: None)
    try:
        tmp = leftovers.new_file(job.parent, f".{job.names.folder[:30]}-", ".part")
        tmp.unlink()
        tmp.mkdir()
    except OSError as exc:
        raise ExportError(f"无法在“{job.parent}”中写入：{describe_os_error(exc)}。") from exc
    notes: list[str] = []
    try:
        for step, request in enumerate(job.requests):

            def part(done: int, total: int, base: int = step * _STEP) -> None:
                report(base + _STEP * done // max(total, 1), 4 * _STEP)

            placed = dataclasses.replace(request, path=tmp / request.path.name)
            result = run_export(placed, job.material, part)
            if result.note and result.note not in notes:
                notes.append(result.note)
            report((step + 1) * _STEP, 4 * _STEP)
        notes += _write_zip(tmp / job.names.evidence, job.evidence, report, 3 * _STEP)
        target = job.target
        try:
            os.rename(tmp, target)
        except OSError as exc:
            raise ExportError(f"无法创建文件夹“{target.name}”：{describe_os_error(exc)}。") from exc
    except OSError as exc:
        raise ExportError(f"无法写入报送材料：{describe_os_error(exc)}。没有留下不完整的文件。") from exc
    finally:
        if tmp.exists():
            with contextlib.suppress(OSError):
                shutil.rmtree(tmp)
        leftovers.forget(tmp)
    report(4 * _STEP, 4 * _STEP)
    files = [target / name for name in job.names.files]
    renamed = target.name != job.names.folder
    if renamed:
        notes.insert(
            0, f"文件夹“{job.names.folder}”已存在，本次材料保存在“{target.name}”中，原有文件未改动。"
        )
    return PackageResult(target, files, notes, renamed)


def make_package(
    db: Database,
    db_path: Path | None,
    plan_id: int,
    parent: Path,
    *,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> PackageResult:
    """Read and write in one go (the command line)."""
    return write_package(prepare_package(db, db_path, plan_id, parent, today=today), progress)
