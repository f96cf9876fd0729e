"""回收: reading one returned 进展情况表 (.xlsx, .xls, WPS .et) into raw rows, with bounded work.

A return is untrusted: its size, what its zip would inflate to, its sheets and rows are limited before
and while it is read. Rows are found by meaning (the header may have been retyped, columns moved, rows
inserted, deleted or reordered); each row keeps its hidden key when the office left it intact. Values are
returned raw: the use case (services.rollup) checks them against the office's own status list.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exports.inputs import check_input, check_zip, sniff
from exports.rollout_xlsx import FORM_FIELDS, FORM_KEYS, KEY_HEADER, META_SHEET, meta_check, parse_row_key
from models.errors import ReadError
from models.vocabulary import match_header

MAX_BYTES = 30 * 1024 * 1024
MAX_SHEETS = 30
MAX_ROWS = 5_000
MAX_COLUMNS = 200
MAX_CELL = 20_000
MAX_IMAGES = 200
MAX_IMAGE_BYTES = 60 * 1024 * 1024
HEADER_SCAN_ROWS = 20
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et")


class ReturnReadError(ReadError):
    """A returned file that cannot be read; the message names the file and what is wrong."""


@dataclass
class ReturnRow:
    """One row of a returned table, as written."""

    excel_row: int
    key: tuple[str, int, int, int] | None  # (plan uid, activity id, office id, version) of an intact key
    key_text: str  # what the key cell holds (a damaged key is not empty)
    position: str
    name: str
    status: str
    progress: object
    completed_on: object
    completion_notes: str | None  # None: the table has no 完成情况 column
    texts: dict[str, str] = field(default_factory=dict)  # every other column found, as text


@dataclass
class ReturnFile:
    """What one returned file holds, before anything is matched or written."""

    path: Path
    kind: str  # "xlsx" | "xls"
    sha256: str
    sheet: str
    meta: dict[str, Any] | None
    meta_problem: str  # "" when the hidden sheet is intact or absent
    form: dict[str, str]  # the form above the table, by key (rollout_xlsx.FORM_KEYS)
    columns: dict[str, str]
    rows: list[ReturnRow]
    images: list[tuple[int, bytes, str]] = field(default_factory=list)  # (excel row, content, extension)
    warnings: list[str] = field(default_factory=list)


def _hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def text_of(value: Any) -> str:
    """A cell as text: whole numbers without .0, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def has_meta_sheet(path: Path) -> bool:
    """A cheap look: does the file name Taizhang's hidden key sheet among its sheets? (False if unsure.)"""
    try:
        if path.stat().st_size > MAX_BYTES:
            return False
        kind = sniff(path)
        if kind == "xlsx":
            import zipfile

            with zipfile.ZipFile(path) as zf:
                info = zf.getinfo("xl/workbook.xml")
                if info.file_size > 4 * 1024 * 1024:
                    return False
                return META_SHEET.encode() in zf.read(info)
        if kind in ("xls", "zip"):
            data = path.read_bytes()  # BIFF names its sheets in Latin-1 or UTF-16
            return META_SHEET.encode() in data or META_SHEET.encode("utf-16-le") in data
    except (OSError, KeyError, ValueError, RuntimeError, EOFError):
        return False
    except Exception:  # noqa: BLE001 - zipfile raises many kinds on a damaged file; then it is no template
        return False
    return False


def read_return(path: str | Path) -> ReturnFile:
    """Read a returned file; ReturnReadError (with a Chinese message) if it cannot be read."""
    p = Path(path)
    try:
        check_input(p, MAX_BYTES)
    except ReadError as exc:
        raise ReturnReadError(str(exc)) from exc
    kind = sniff(p)
    if kind == "encrypted":
        raise ReturnReadError(f"“{p.name}”设有打开密码，无法读取。请该单位取消密码后重新报送。")
    if kind == "xlsx":
        try:
            check_zip(p)
        except ReadError as exc:
            raise ReturnReadError(str(exc)) from exc
        _bounded(p)
        sheets, meta_rows, images = _openpyxl(p)
    elif kind in ("xls", "zip"):
        sheets, meta_rows, images = _calamine(p), None, []
        if META_SHEET in sheets:
            meta_rows = sheets.pop(META_SHEET)[1]
    else:
        raise ReturnReadError(f"“{p.name}”不是 Excel 或 WPS 表格文件（.xlsx/.xls/.et），无法回收。")
    result = _parse(p, "xls" if kind != "xlsx" else "xlsx", sheets, meta_rows)
    result.images = [i for i in images if i[0] > 0]
    return result


Grid = list[list[Any]]


def _bounded(p: Path) -> None:
    """Refuse, before the full read, a workbook whose cells or merged ranges reach beyond a return's size.

    openpyxl's full read (needed for the pictures) builds one object per cell of every merged range, so a
    2 KB file with one merge over a whole sheet would take gigabytes; the streaming pre-scan costs little.
    """
    from exports.sheets import SheetError, SheetTooBig, read_sheets

    try:
        book = read_sheets(p, max_bytes=MAX_BYTES, max_rows=MAX_ROWS + HEADER_SCAN_ROWS)
    except SheetTooBig as exc:
        raise ReturnReadError(str(exc)) from exc
    except SheetError:
        return  # damaged for the strict reader: the lenient one below decides
    for grid in [*book.sheets, *([book.meta] if book.meta else [])]:
        rows, columns = grid.extent
        if rows > MAX_ROWS + HEADER_SCAN_ROWS or columns > MAX_COLUMNS:
            raise ReturnReadError(
                f"“{p.name}”的工作表“{grid.name}”用到第 {rows} 行、第 {columns} 列（含合并单元格），"
                f"超过回收上限（{MAX_ROWS} 行、{MAX_COLUMNS} 列）。"
            )


def _openpyxl(p: Path) -> tuple[dict[str, tuple[bool, Grid]], Grid | None, list[tuple[int, bytes, str]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(p, data_only=True)
    except Exception:  # noqa: BLE001 - a strict reader's refusal; calamine reads what WPS wrote
        try:
            lenient = _calamine(p)
        except ReturnReadError:
            raise ReturnReadError(f"“{p.name}”已损坏，无法作为 Excel 工作簿读取。") from None
        meta_rows = lenient.pop(META_SHEET)[1] if META_SHEET in lenient else None
        return lenient, meta_rows, []
    try:
        if len(wb.worksheets) > MAX_SHEETS:
            raise ReturnReadError(f"“{p.name}”有 {len(wb.worksheets)} 个工作表，超过上限 {MAX_SHEETS} 个。")
        sheets: dict[str, tuple[bool, Grid]] = {}
        meta: Grid | None = None
        images: list[tuple[int, bytes, str]] = []
        total = 0
        for ws in wb.worksheets:
            if ws.max_row > MAX_ROWS or ws.max_column > MAX_COLUMNS:
                if ws.title == META_SHEET or ws.sheet_state == "visible":
                    raise ReturnReadError(
                        f"“{p.name}”的工作表“{ws.title}”有 {ws.max_row} 行、{ws.max_column} 列，超过回收上限"
                        f"（{MAX_ROWS} 行、{MAX_COLUMNS} 列）。"
                    )
                continue
            grid = _filled([list(r) for r in ws.iter_rows(values_only=True)], ws.merged_cells.ranges)
            if ws.title == META_SHEET:
                meta = grid
                continue
            sheets[ws.title] = (ws.sheet_state == "visible", grid)
            for image in getattr(ws, "_images", [])[:MAX_IMAGES]:
                try:
                    data = image._data()
                    row = int(image.anchor._from.row) + 1
                except Exception:  # noqa: BLE001 - a picture that cannot be read is left out, not fatal
                    continue
                total += len(data)
                if total > MAX_IMAGE_BYTES:
                    break
                images.append((row, data, str(getattr(image, "format", "png") or "png").lower()))
        return sheets, meta, images
    finally:
        wb.close()


def _filled(rows: Grid, merged: Any) -> Grid:
    """Fill merged ranges from their top-left cell (only the top-left cell holds the value)."""
    for rng in merged:
        if rng.min_row > len(rows):
            continue
        value = rows[rng.min_row - 1][rng.min_col - 1] if rng.min_col <= len(rows[rng.min_row - 1]) else None
        for r in range(rng.min_row, min(rng.max_row, len(rows)) + 1):
            line = rows[r - 1]
            for c in range(rng.min_col, rng.max_col + 1):
                if c <= len(line):
                    line[c - 1] = value
    return rows


def _calamine(p: Path) -> dict[str, tuple[bool, Grid]]:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(p))
    except Exception as exc:
        raise ReturnReadError(f"“{p.name}”已损坏或不是表格文件，无法读取（{type(exc).__name__}）。") from exc
    try:
        metadata = list(wb.sheets_metadata)
        if len(metadata) > MAX_SHEETS:
            raise ReturnReadError(f"“{p.name}”有 {len(metadata)} 个工作表，超过上限 {MAX_SHEETS} 个。")
        sheets: dict[str, tuple[bool, Grid]] = {}
        for info in metadata:
            sheet = wb.get_sheet_by_name(info.name)
            if sheet.total_height > MAX_ROWS + HEADER_SCAN_ROWS or sheet.total_width > MAX_COLUMNS:
                raise ReturnReadError(
                    f"“{p.name}”的工作表“{info.name}”超过回收上限（{MAX_ROWS} 行、{MAX_COLUMNS} 列）。"
                )
            grid = [list(r) for r in sheet.to_python(skip_empty_area=False)]
            visible = "hidden" not in str(getattr(info, "visible", "")).lower()
            sheets[info.name] = (visible, grid)
        return sheets
    except ReturnReadError:
        raise
    except Exception as exc:
        raise ReturnReadError(f"“{p.name}”无法读取（{type(exc).__name__}）。") from exc
    finally:
        wb.close()


def _meta(rows: Grid | None) -> tuple[dict[str, Any] | None, str]:
    if rows is None:
        return None, ""
    meta: dict[str, Any] = {}
    for row in rows[:40]:
        if row and row[0] not in (None, ""):
            value = row[1] if len(row) > 1 else None
            if isinstance(value, float) and value.is_integer():
                value = int(value)  # .xls stores every number as a float
            meta[str(row[0])] = value
    if meta.get("kind") != "rollout":
        return None, ""
    if meta.get("check") != meta_check(meta):
        return meta, "隐藏的标识页已被改动，无法确认这份表格属于哪个方案和单位"
    return meta, ""


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "").strip().rstrip(":：")


def _form(grid: Grid, header_index: int) -> dict[str, str]:
    """The 填报单位/填报人/联系电话/填报日期 fields above the table (label cell, value to its right), by key
    (`FORM_KEYS`: filling_unit, filled_by, phone, filled_on)."""
    found: dict[str, str] = {}
    for row in grid[:header_index]:
        cells = [text_of(v).strip() for v in row]
        for c, text in enumerate(cells):
            label = _norm(text)
            for key, name in zip(FORM_KEYS, FORM_FIELDS, strict=True):
                if key in found:
                    continue
                if label == name:
                    value = next((v for v in cells[c + 1 :] if v and _norm(v) not in FORM_FIELDS), "")
                    if value:
                        found[key] = value[:200]
                elif label.startswith(name) and len(label) > len(name):
                    found[key] = _norm(text)[len(name) :].lstrip(":：")[:200]
    return found


def _parse(p: Path, kind: str, sheets: dict[str, tuple[bool, Grid]], meta_rows: Grid | None) -> ReturnFile:
    meta, meta_problem = _meta(meta_rows)
    best: tuple[int, str, int, dict[str, int], int | None, Grid] | None = None
    for name, (visible, grid) in sheets.items():
        if not visible:
            continue
        for r, row in enumerate(grid[:HEADER_SCAN_ROWS]):
            mapping = match_header(list(row))
            key_col = next(
                (c for c, v in enumerate(row) if text_of(v).strip().startswith(KEY_HEADER[:4])), None
            )
            score = len(mapping) + (5 if key_col is not None else 0) + (3 if "name" in mapping else 0)
            if "name" in mapping and len(mapping) >= 2 and (best is None or score > best[0]):
                best = (score, name, r, mapping, key_col, grid)
    if best is None:
        raise ReturnReadError(f"“{p.name}”中没有找到进展情况表的表头（序号、活动名称、状态、进度等）。")
    _score, sheet, header_index, mapping, key_col, grid = best
    if not {"status", "progress", "completion_notes"} & set(mapping):
        raise ReturnReadError(f"“{p.name}”的表格没有“状态”“进度”或“完成情况”栏，不是进展情况表。")
    header = grid[header_index]
    rows: list[ReturnRow] = []
    for r in range(header_index + 1, len(grid)):
        line = grid[r]

        def cell(name: str, line: list[Any] = line) -> Any:
            c = mapping.get(name)
            return line[c] if c is not None and c < len(line) else None

        key_text = text_of(line[key_col]).strip() if key_col is not None and key_col < len(line) else ""
        texts = {f: text_of(cell(f)) for f in mapping}
        for f, t in texts.items():
            if len(t) > MAX_CELL:
                raise ReturnReadError(
                    f"“{p.name}”第 {r + 1} 行“{text_of(header[mapping[f]])}”一栏超过 {MAX_CELL} 个字符。"
                )
        if not key_text and not any(t.strip() for t in texts.values()):
            continue
        rows.append(
            ReturnRow(
                r + 1,
                parse_row_key(key_text),
                key_text,
                texts.get("position", "").strip(),
                texts.get("name", "").strip(),
                texts.get("status", "").strip(),
                cell("progress"),
                cell("completed_on"),
                texts["completion_notes"].strip() if "completion_notes" in mapping else None,
                texts,
            )
        )
    columns = {f: text_of(header[c]).strip() for f, c in mapping.items()}
    return ReturnFile(
        p, kind, _hash(p), sheet, meta, meta_problem, _form(grid, header_index), columns, rows, []
    )
