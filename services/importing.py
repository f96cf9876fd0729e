"""Importing a file as a plan: read and previewed (nothing written), then written in one transaction.

A returned progress report instead updates the plan it came from. Before anything is written the
database is backed up. What the readers could not read comes back as warnings, never silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from models import store
from models.errors import ReadError, ValidationError
from models.records import Activity, Plan
from services import editing
from services.safety import backup_before

MAX_IMPORT_BYTES = 50 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000
TEXT_SUFFIXES = (".txt", ".docx", ".pdf")
SHEET_SUFFIXES = (".xlsx", ".xlsm")


#: A file that cannot be imported (unreadable, or nothing in it to import); readers raise its subclasses.
ImportFailed = ReadError


@dataclass
class FieldChange:
    """One value a returned progress report would change."""

    activity_id: int
    position: int
    name: str
    field: str
    old: object
    new: object


@dataclass
class ImportPreview:
    """What an import would create (or change), before anything is written."""

    kind: str  # "table" | "text" | "progress"
    plan: Plan
    activities: list[Activity]
    warnings: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field -> header found (tables)
    sources: list[str] = field(default_factory=list)  # source text per activity (texts)
    unsure: list[set[str]] = field(default_factory=list)  # fields the parser was unsure of, per activity
    report_plan_id: int | None = None
    changes: list[FieldChange] = field(default_factory=list)  # progress report: what would change
    updates: list[object] = field(default_factory=list)


@dataclass
class ImportOutcome:
    """What an import wrote."""

    plan_id: int
    message: str
    warnings: list[str]


def preview_path(
    db: Database, path: Path, *, update_plan: int | None = None, detect_report: bool = False
) -> ImportPreview:
    """Read and parse a file without writing anything.

    A returned progress report updates a plan when `update_plan` names it, or (with `detect_report`)
    when the report names a plan of this database; otherwise every file becomes a new plan.
    """
    path = Path(path)
    if not path.is_file():
        raise ImportFailed(f"找不到文件“{path}”。")
    suffix = path.suffix.lower()
    if suffix in SHEET_SUFFIXES:
        return _preview_sheet(db, path, update_plan, detect_report)
    if suffix in TEXT_SUFFIXES:
        return _preview_text(db, path)
    if suffix == ".xls":
        raise ImportFailed("不支持旧版 Excel（.xls）文件，请在 Excel 或 WPS 中另存为 .xlsx 后再导入。")
    raise ImportFailed(f"不支持的文件类型“{suffix or '无扩展名'}”。可导入 .xlsx、.txt、.docx、.pdf。")


def _preview_sheet(db: Database, path: Path, update_plan: int | None, detect_report: bool) -> ImportPreview:
    from exports.xlsx_import import read_workbook

    table = read_workbook(path, max_rows=MAX_IMPORT_ROWS, max_bytes=MAX_IMPORT_BYTES)
    preview = ImportPreview("table", table.plan, table.activities, list(table.warnings), dict(table.columns))
    target = update_plan if update_plan is not None else table.report_plan_id if detect_report else None
    if table.updates and target is not None:
        if not store.plan_exists(db, target):
            if update_plan is not None:
                raise ImportFailed(f"没有编号为 {update_plan} 的方案。") from None
            return preview  # a report from another database: import it as a new plan
        preview.kind = "progress"
        preview.report_plan_id = target
        preview.updates = list(table.updates)
        preview.changes = progress_changes(db, target, table.updates)
    elif update_plan is not None:
        raise ImportFailed("该文件不是本程序导出的进展情况表，不能用于更新已有方案。")
    return preview


def _preview_text(db: Database, path: Path) -> ImportPreview:
    from exports.plan_sources import read_plan_source

    text = read_plan_source(path, max_bytes=MAX_IMPORT_BYTES)
    return preview_text(db, text, name=path.stem)


def preview_text(db: Database, text: str, *, name: str = "") -> ImportPreview:
    """Parse pasted plan text into a preview."""
    from models.plan_text import parse_plan_text

    known = [u.name for u in store.list_units(db)]
    proposal = parse_plan_text(text, known)
    plan = proposal.plan
    if not plan.title:
        plan.title = name or "导入的方案"
    return ImportPreview(
        "text",
        plan,
        [p.activity for p in proposal.activities],
        list(proposal.messages),
        sources=[p.source for p in proposal.activities],
        unsure=[set(p.unsure) for p in proposal.activities],
    )


def progress_changes(db: Database, plan_id: int, updates: Sequence[object]) -> list[FieldChange]:
    """Compare a returned progress report with the plan: which fields of which activities would change."""
    activities = store.list_activities(db, plan_id)
    by_id: dict[object, Activity] = {a.id: a for a in activities}
    by_pos: dict[tuple[object, object], Activity] = {(a.position, a.name): a for a in activities}
    changes: list[FieldChange] = []
    for u in updates:
        a = by_id.get(getattr(u, "activity_id", None)) or by_pos.get(
            (getattr(u, "position", None), getattr(u, "name", ""))
        )
        if a is None:
            continue
        for name in ("status", "progress", "completed_on", "completion_notes"):
            new = getattr(u, name, None)
            if new is None or new == getattr(a, name):
                continue
            changes.append(FieldChange(a.id or 0, a.position, a.name, name, getattr(a, name), new))
    return changes


def apply_preview(db: Database, preview: ImportPreview) -> ImportOutcome:
    """Write a previewed import in one transaction: a new plan, or the changes to an existing one."""
    if preview.kind == "progress" and preview.report_plan_id is not None:
        with db.atomic():
            for change in preview.changes:
                editing.set_activity_fields(db, change.activity_id, {change.field: change.new})
        return ImportOutcome(
            preview.report_plan_id,
            f"已更新方案中 {len({c.activity_id for c in preview.changes})}"
            f" 项活动的 {len(preview.changes)} 处进展。",
            preview.warnings,
        )
    if not preview.activities:
        raise ImportFailed(
            "文件中没有找到任何活动，未创建方案。" + ("；".join(preview.warnings) if preview.warnings else "")
        )
    plan = store.create_plan_with_activities(db, preview.plan, preview.activities)
    return ImportOutcome(
        int(plan.id or 0),
        f"已创建方案“{plan.title}”，共 {len(preview.activities)} 项活动。",
        preview.warnings,
    )


def import_path(
    db: Database,
    path: Path,
    *,
    update_plan: int | None = None,
    backup_of: Path | None = None,
) -> ImportOutcome:
    """Read, preview and write in one go (the command line); with `backup_of` (the database's path) a backup
    is made first, and a backup that fails stops the import."""
    backup_before(db, backup_of, "import")
    try:
        return apply_preview(db, preview_path(db, path, update_plan=update_plan))
    except ValidationError as exc:
        raise ImportFailed(f"导入失败：{exc}数据库未改变。") from exc
