"""Exporting a plan: one typed request per kind of file, one dispatch, used by the window and the command line.

Exporting is two steps because of threads: `load_material` reads the records on the thread that owns
the database connection (quick), `run_export` writes the file and may run on a worker (slow; it touches
no database). `export_plan` does both in one go for the command line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from exports.columns import DEFAULT_TABLE_COLUMNS, PROGRESS_BASE_COLUMNS
from exports.options import PdfOptions, XlsxOptions, options_from_settings
from models import clock, store
from models.backup import evidence_dir_of
from models.errors import ExportError
from models.evidence import plan_photos, stored_path
from models.records import Activity, Plan
from models.settings import OfficeSettings, load_settings
from models.store.plans import is_archived
from models.tracking import compute_overview

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class TableXlsx:
    """The 活动安排表 as an Excel workbook (the 附件 sent upward)."""

    path: Path
    options: XlsxOptions = field(default_factory=XlsxOptions)


@dataclass(frozen=True)
class ProgressXlsx:
    """The 进展情况表: the table with status, progress and completion columns, for offices to fill in."""

    path: Path
    options: XlsxOptions = field(default_factory=XlsxOptions)


@dataclass(frozen=True)
class TablePdf:
    """The 活动安排表 as a PDF for meetings."""

    path: Path
    options: PdfOptions = field(default_factory=PdfOptions)


@dataclass(frozen=True)
class SummaryPdf:
    """The 完成情况总结: figures, chart, each activity's completion and photos."""

    path: Path
    options: PdfOptions = field(default_factory=PdfOptions)


@dataclass(frozen=True)
class OfficesXlsx:
    """The roll-up's consolidated workbook: activity × office, combined 完成情况, per-office statistics."""

    path: Path


@dataclass(frozen=True)
class OfficesPdf:
    """The same consolidated report as a PDF for the meeting."""

    path: Path
    options: PdfOptions = field(default_factory=PdfOptions)


ExportRequest = TableXlsx | ProgressXlsx | TablePdf | SummaryPdf | OfficesXlsx | OfficesPdf

#: The report names of the command line's --report and the export dialog, by file type.
REPORTS: dict[str, tuple[str, ...]] = {
    ".xlsx": ("table", "progress", "offices"),
    ".pdf": ("table", "summary", "offices"),
}
RequestKind = (
    type[TableXlsx]
    | type[ProgressXlsx]
    | type[TablePdf]
    | type[SummaryPdf]
    | type[OfficesXlsx]
    | type[OfficesPdf]
)
_KINDS: dict[tuple[str, str], RequestKind] = {
    (".xlsx", "table"): TableXlsx,
    (".xlsx", "progress"): ProgressXlsx,
    (".xlsx", "offices"): OfficesXlsx,
    (".pdf", "table"): TablePdf,
    (".pdf", "summary"): SummaryPdf,
    (".pdf", "offices"): OfficesPdf,
}


def make_request(
    path: Path,
    report: str,
    settings: OfficeSettings,
    *,
    columns: list[str] | None = None,
    annex_label: str | None = None,
    title: str | None = None,
    **pdf_choices: object,
) -> ExportRequest:
    """Build the request for `report` ("table", "progress", "summary") written to `path` (.xlsx / .pdf).

    PDF requests start from the office's PDF settings; `pdf_choices` (footer_line, pagesize, landscape,
    margins_mm, page_numbers) are the clerk's choices for this one file. Raises ExportError for a
    combination that does not exist, naming the ones that do.
    """
    kind = request_kind(path, report)
    if kind is OfficesXlsx:
        return OfficesXlsx(path)
    if kind in (TableXlsx, ProgressXlsx):
        default = PROGRESS_BASE_COLUMNS if kind is ProgressXlsx else DEFAULT_TABLE_COLUMNS
        xopts = XlsxOptions(
            columns=list(columns) if columns else list(default), annex_label=annex_label, title=title
        )
        return TableXlsx(path, xopts) if kind is TableXlsx else ProgressXlsx(path, xopts)
    chosen: dict[str, object] = {k: v for k, v in pdf_choices.items() if v is not None}
    if columns:
        chosen["columns"] = list(columns)
    chosen["annex_label"], chosen["title"] = annex_label, title
    popts = options_from_settings(settings.pdf_settings(), **chosen)
    if kind is OfficesPdf:
        return OfficesPdf(path, popts)
    return SummaryPdf(path, popts) if kind is SummaryPdf else TablePdf(path, popts)


def request_kind(path: Path, report: str) -> RequestKind:
    """Return the kind of request for a file name and report name; ExportError names the choices."""
    suffix = path.suffix.lower()
    if suffix not in REPORTS:
        raise ExportError("文件名须以 .xlsx 或 .pdf 结尾。")
    kind = _KINDS.get((suffix, report))
    if kind is None:
        raise ExportError(f"{suffix} 文件可选的内容为：{' 或 '.join(REPORTS[suffix])}。")
    return kind


@dataclass
class ExportMaterial:
    """What an export needs from the database, read beforehand on the database's own thread."""

    plan: Plan
    activities: list[Activity]
    today: dt.date
    due_soon_days: int
    photos: dict[int, list[Path]] = field(default_factory=dict)  # by activity id (the summary's pictures)
    archived: bool = False  # the plan is archived: no lights, nothing late
    plan_photos: list[Path] = field(default_factory=list)  # the plan's own materials
    captions: dict[Path, str] = field(default_factory=dict)  # a picture's file name and date
    offices: object | None = None  # the roll-up's consolidated report (exports.offices_report.OfficesReport)


@dataclass(frozen=True)
class ExportResult:
    """What was written, and anything the clerk should know about it."""

    path: Path
    note: str = ""  # e.g. characters no installed font has


def load_material(
    db: Database,
    db_path: Path | None,
    plan_id: int,
    request: ExportRequest,
    *,
    today: dt.date | None = None,
    settings: OfficeSettings | None = None,
) -> ExportMaterial:
    """Read a plan's records (and, for the summary, its pictures) for an export."""
    settings = settings or load_settings(db)
    material = ExportMaterial(
        store.get_plan(db, plan_id),
        store.list_activities(db, plan_id),
        today or clock.today(),
        settings.due_soon_days,
        archived=is_archived(db, plan_id),
    )
    if isinstance(request, OfficesXlsx | OfficesPdf):
        from services.rollup import board, offices_report

        material.offices = offices_report(board(db, plan_id, material.today))
    if isinstance(request, SummaryPdf) and db_path is not None:
        folder = evidence_dir_of(db_path)
        material.photos, material.plan_photos = plan_photos(db, folder, plan_id)
        for att in store.list_attachments(db, plan_id=plan_id):
            path = stored_path(folder, att) if att.is_image else None
            if path is not None:
                material.captions[path] = f"{att.original_name}　{att.added_at[:10]}"
    return material


def run_export(
    request: ExportRequest, material: ExportMaterial, progress: Progress | None = None
) -> ExportResult:
    """Write the file a request asks for (safe on a worker thread: no database, no widgets)."""
    plan, activities, today, days = material.plan, material.activities, material.today, material.due_soon_days
    if isinstance(request, OfficesXlsx | OfficesPdf):
        from exports.offices_report import OfficesReport, export_offices_pdf, export_offices_xlsx

        report = material.offices
        if not isinstance(report, OfficesReport):
            raise ExportError("没有读取到各单位的进展，无法导出汇总表。")
        if isinstance(request, OfficesXlsx):
            export_offices_xlsx(request.path, report)
            return ExportResult(request.path)
        offices_result = export_offices_pdf(request.path, report, request.options)
        missing = "".join(sorted(offices_result.missing_chars))
        note = f"以下字符在已安装的字体中都没有，打印时可能显示为空白：{missing}" if missing else ""
        return ExportResult(request.path, note)
    if isinstance(request, TableXlsx | ProgressXlsx):
        from exports import xlsx_export

        write = (
            xlsx_export.export_table if isinstance(request, TableXlsx) else xlsx_export.export_progress_report
        )
        write(
            request.path,
            plan,
            activities,
            request.options,
            progress,
            today=today,
            due_soon_days=days,
            archived=material.archived,
        )
        return ExportResult(request.path)
    if isinstance(request, SummaryPdf):
        from exports.pdf_summary import export_summary_pdf

        overview = compute_overview(plan, activities, today, days, archived=material.archived)
        result = export_summary_pdf(
            request.path,
            plan,
            activities,
            overview,
            material.photos,
            material.plan_photos,
            request.options,
            progress,
            captions=material.captions,
        )
    else:
        from exports.pdf import export_table_pdf

        result = export_table_pdf(request.path, plan, activities, request.options, progress)
    note = ""
    if result.missing_chars:
        note = (
            f"以下字符在已安装的字体中都没有，打印时可能显示为空白：{''.join(sorted(result.missing_chars))}"
        )
    return ExportResult(request.path, note)


def export_plan(
    db: Database,
    db_path: Path | None,
    plan_id: int,
    request: ExportRequest,
    *,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Read and write in one go (the command line)."""
    return run_export(request, load_material(db, db_path, plan_id, request, today=today), progress)


#: Modules each kind of export imports, so the window can import them on its own thread first.
MODULES: dict[type, tuple[str, ...]] = {
    OfficesXlsx: ("exports.offices_report", "openpyxl"),
    OfficesPdf: ("exports.offices_report", "reportlab.platypus"),
    TableXlsx: ("exports.xlsx_export",),
    ProgressXlsx: ("exports.xlsx_export",),
    TablePdf: ("exports.pdf", "reportlab.platypus"),
    SummaryPdf: (
        "exports.pdf_summary",
        "reportlab.platypus",
        "reportlab.graphics.charts.barcharts",
        "reportlab.lib.utils",
    ),
}
