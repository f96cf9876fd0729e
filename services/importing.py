"""Importing a file as a plan: read and previewed (nothing written), then written in one transaction.

A returned progress report instead updates the plan it came from. Before anything is written the
database is backed up. What the readers could not read comes back as warnings, never silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from models import store
from models.document import SourceDocument, TableBlock
from models.errors import ReadError, ValidationError
from models.records import Activity, FieldChange, Plan
from models.table_reader import TableRead
from services import editing
from services.safety import BackupPolicy, backup_before, stop

MAX_IMPORT_BYTES = 50 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000
SHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et")
Progress = Callable[[int, int], None]


#: A file that cannot be imported (unreadable, or nothing in it to import); readers raise its subclasses.
ImportFailed = ReadError


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
    document: SourceDocument | None = (
        None  # what a document reader read (pages, tables, scan) for the preview
    )
    ask_year: bool = False  # no year found: the clerk is asked before the plan is written
    doubtful: list[dict[str, list[str]]] = field(
        default_factory=list
    )  # scans: per activity, field -> characters the recogniser was unsure of


@dataclass
class ImportOutcome:
    """What an import wrote."""

    plan_id: int
    message: str
    warnings: list[str]


def preview_path(
    db: Database,
    path: Path,
    *,
    update_plan: int | None = None,
    detect_report: bool = False,
    progress: Progress | None = None,
) -> ImportPreview:
    """Read and parse a file without writing anything.

    What the file is decides how it is read, whatever its extension says: a workbook (.xlsx, .xls, WPS
    .et) as a table; a document (.txt, .docx, .doc, .wps, .pdf, .ofd, a scan) by its annex table when it
    has one with activities, else by its numbered items. A returned progress report updates a plan when
    `update_plan` names it, or (with `detect_report`) when the report names a plan of this database;
    otherwise every file becomes a new plan.
    """
    from exports.inputs import check_input, sniff

    path = Path(path)
    try:
        check_input(path, MAX_IMPORT_BYTES)
        kind = sniff(path)
    except OSError as exc:
        raise ImportFailed(f"无法读取“{path.name}”：{exc.strerror or exc}") from exc
    claims_sheet = path.suffix.lower() in SHEET_SUFFIXES
    if kind in ("xlsx", "xls") or (claims_sheet and kind in ("encrypted", "zip", "text", "unknown", "ole")):
        preview = _preview_sheet(db, path, update_plan, detect_report)
    else:
        if update_plan is not None:
            raise ImportFailed("该文件不是本程序导出的进展情况表，不能用于更新已有方案。")
        preview = _preview_document(db, path, progress)
    _complete_plan(db, preview, path)
    return preview


def _preview_sheet(db: Database, path: Path, update_plan: int | None, detect_report: bool) -> ImportPreview:
    from exports.xlsx_import import read_workbook

    table = read_workbook(path, max_rows=MAX_IMPORT_ROWS, max_bytes=MAX_IMPORT_BYTES)
    preview = ImportPreview("table", table.plan, table.activities, list(table.warnings), dict(table.columns))
    preview.sources = [f"工作表“{table.sheet}”第 {row} 行" for row in table.rows]
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


def _preview_document(db: Database, path: Path, progress: Progress | None) -> ImportPreview:
    from exports.plan_sources import read_document

    document = read_document(path, max_bytes=MAX_IMPORT_BYTES, progress=progress)
    preview = preview_document(db, document, name=path.stem)
    return preview


def preview_document(db: Database, document: SourceDocument, *, name: str = "") -> ImportPreview:
    """A read document as a preview: its annex table when one holds activities, else its numbered items."""

    preview = _preview_of_document(db, document, name)
    if getattr(document, "scan", None) is not None:
        _mark_doubtful(preview)
    return preview


def _preview_of_document(db: Database, document: SourceDocument, name: str) -> ImportPreview:
    text_preview = preview_text(db, document.text(), name=name)
    text_preview.document = document
    best: tuple[TableBlock, TableRead] | None = None
    for table, read in _document_tables(document.tables()):
        if read.activities and (best is None or len(read.activities) > len(best[1].activities)):
            best = (table, read)
    notes = list(document.notes)
    if best is None or (len(best[1].activities) < 2 and len(text_preview.activities) >= 2):
        text_preview.warnings[:0] = notes
        return text_preview
    table, read = best
    plan = text_preview.plan
    label = next((t for t in read.title_lines if re.fullmatch(r"附\s*件\s*\d*", t)), "")
    heading = next((t for t in read.title_lines if t != label and len(t) >= 4), "")
    if heading:
        plan.table_title = heading
    if label:
        plan.annex_label = re.sub(r"\s+", "", label)
    columns = "、".join(read.columns.values())
    warnings = [*notes, f"已按文件中的活动表识别 {len(read.activities)} 项活动（表头：{columns}）。"]
    in_table = {re.sub(r"\s+", "", a.name) for a in read.activities}
    items = sum(1 for a in text_preview.activities if re.sub(r"\s+", "", a.name) not in in_table)
    if items and text_preview.kind == "text":  # numbered items of the prose that the table does not hold
        warnings.append(f"正文中另有 {items} 个编号条目未作为活动导入。")
    if read.name_from_content:
        warnings.append("表格没有“活动名称”一栏，活动名称取自内容的第一句，请在预览中核对。")
    warnings += read.warnings
    where = f"第 {table.page} 页的表格" if table.page else "表格"
    preview = ImportPreview(
        "table",
        plan,
        read.activities,
        warnings,
        dict(read.columns),
        sources=[
            f"{where}第 {row + 1} 行：" + " | ".join(c for c in table.rows[row] if c) for row in read.rows
        ],
    )
    preview.document = document
    return preview


def _mark_doubtful(preview: ImportPreview) -> None:
    """A scan's fields holding characters the recogniser was unsure of are marked unsure, with those
    characters (the preview shows them; the clerk checks them against the page beside the table)."""
    from exports.scan import Locator, ScanResult

    result = getattr(preview.document, "scan", None)
    if not isinstance(result, ScanResult):
        return
    while len(preview.unsure) < len(preview.activities):
        preview.unsure.append(set())
    preview.doubtful = [{} for _ in preview.activities]
    locator = Locator(result)
    for row, activity in enumerate(preview.activities):
        for key in ("name", "content", "time_text", "location", "lead_units", "coop_units", "remarks"):
            value = getattr(activity, key)
            texts = value if isinstance(value, list) else [str(value or "")]
            chars: list[str] = []
            for text in texts:
                found = locator.find(text, fuzzy=False) if text.strip() else None
                if found is not None:
                    chars += found.doubtful
            if chars:
                preview.doubtful[row][key] = list(dict.fromkeys(chars))
                preview.unsure[row].add(key)


def _document_tables(tables: list[TableBlock]) -> list[tuple[TableBlock, TableRead]]:
    """Each table read; a table with no header of its own that is as wide as the one before continues it
    (a table broken over pages, or a scan read page by page)."""
    from models.document import TableBlock
    from models.table_reader import read_table

    out: list[tuple[TableBlock, TableRead]] = []
    for table in tables:
        read = read_table(table.rows)
        if read is None and out:
            previous, previous_read = out[-1]
            width = len(previous.rows[0]) if previous.rows else 0
            if table.rows and len(table.rows[0]) == width:
                header = previous.rows[previous_read.header_index]
                joined = TableBlock([*previous.rows, *table.rows], previous.page)
                merged = read_table(joined.rows)
                if merged is not None and header:
                    out[-1] = (joined, merged)
                    continue
        if read is not None:
            out.append((table, read))
    return out


def _complete_plan(db: Database, preview: ImportPreview, path: Path) -> None:
    """What the clerk is told before a new plan is written: the year (from the title, the file name or the
    activities' dates; else asked), and a plan of the same title already here."""
    if preview.kind == "progress":
        return
    plan = preview.plan
    if plan.year is None:
        for text in (plan.title, plan.table_title, path.stem, *(a.time_text for a in preview.activities)):
            m = re.search(r"(20\d{2})\s*年?", text or "")
            if m:
                plan.year = int(m[1])
                break
    if plan.year is None and preview.activities:
        preview.ask_year = True
        preview.warnings.append("未能从标题、文件名或活动时间判断方案年度，请在预览中填写年度。")
    same = [s.plan for s in store.list_plans(db) if s.plan.title == plan.title]
    if same:
        preview.warnings.append(
            f"已有同名方案“{plan.title}”（编号 {same[0].id}）。导入后会另建一个同名方案，请确认不是重复导入。"
        )


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


def apply_preview(
    db: Database,
    preview: ImportPreview,
    *,
    backup_of: Path | None = None,
    on_backup_failure: BackupPolicy = stop,
) -> ImportOutcome:
    """Write a previewed import in one transaction: a new plan, or the changes to an existing one.

    With `backup_of` (the database's path) a backup is made first; when it fails, `on_backup_failure`
    decides (the default stops: BackupError, nothing written)."""
    if preview.kind == "progress" and preview.report_plan_id is not None:
        backup_before(db, backup_of, "import", on_backup_failure)
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
    backup_before(db, backup_of, "import", on_backup_failure)
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
    on_backup_failure: BackupPolicy = stop,
) -> ImportOutcome:
    """Read, preview and write in one go (the command line); with `backup_of` (the database's path) a backup
    is made first, and a backup that fails stops the import unless `on_backup_failure` says to go on."""
    backup_before(db, backup_of, "import", on_backup_failure)
    try:
        return apply_preview(db, preview_path(db, path, update_plan=update_plan))
    except ValidationError as exc:
        raise ImportFailed(f"导入失败：{exc}数据库未改变。") from exc
