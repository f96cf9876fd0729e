"""Office settings: every key with its type, default, bounds and label, defined once; loaded and saved here.

They travel with the database file (an office's preferences, not one PC's). The window's own state
(geometry, last folder) lives in QSettings instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace
from typing import Any

from sqlite_utils import Database

from models.records import STATUSES
from models.store import all_settings, set_setting
from models.textnorm import clean_name


@dataclass(frozen=True)
class Spec:
    """How one setting is stored and shown."""

    key: str  # the row's key in the settings table
    label: str
    default: Any
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[tuple[str, str], ...] = ()  # (value, label)


SPECS: dict[str, Spec] = {
    s.key: s
    for s in (
        Spec("office_name", "单位名称", ""),
        Spec("due_soon_days", "“临期”提前", 7, 0, 60),
        Spec("pdf_title_font", "PDF 标题字体", ""),
        Spec("pdf_body_font", "PDF 正文字体", ""),
        Spec(
            "pdf_page_numbers",
            "PDF 页码",
            "dash",
            choices=(("dash", "— 1 —（公文样式）"), ("of", "第 1 页 共 N 页")),
        ),
        Spec("backup_keep_daily", "保留每日备份", 30, 1, 365),
        Spec("backup_keep_changes", "保留操作前备份", 10, 1, 100),
        Spec("statuses", "附加状态", ()),
    )
}


@dataclass(frozen=True)
class OfficeSettings:
    """The office's settings as typed values (defaults where nothing, or something unreadable, is stored)."""

    office_name: str = ""
    due_soon_days: int = 7
    pdf_title_font: str = ""
    pdf_body_font: str = ""
    pdf_page_numbers: str = "dash"
    backup_keep_daily: int = 30
    backup_keep_changes: int = 10
    statuses: tuple[str, ...] = ()  # statuses beyond the four base ones

    @property
    def all_statuses(self) -> list[str]:
        """The base statuses, then the office's own (the base ones drive lights and summaries)."""
        return list(dict.fromkeys([*STATUSES, *self.statuses]))

    def pdf_settings(self) -> dict[str, str]:
        """The settings that shape every PDF, by key."""
        return {
            "pdf_title_font": self.pdf_title_font,
            "pdf_body_font": self.pdf_body_font,
            "pdf_page_numbers": self.pdf_page_numbers,
        }


def _parse(spec: Spec, raw: str) -> Any:
    if isinstance(spec.default, int):
        number = int(raw.strip())
        if spec.minimum is not None and number < spec.minimum:
            return spec.minimum
        if spec.maximum is not None and number > spec.maximum:
            return spec.maximum
        return number
    if isinstance(spec.default, tuple):
        values = json.loads(raw) if raw else []
        if not isinstance(values, list):
            raise ValueError(raw)
        return tuple(
            dict.fromkeys(v for v in (clean_name(str(x)) for x in values) if v and v not in STATUSES)
        )
    if spec.choices and raw not in {value for value, _label in spec.choices}:
        raise ValueError(raw)
    return raw


def _format(spec: Spec, value: Any) -> str:
    if isinstance(spec.default, tuple):
        return json.dumps(list(value), ensure_ascii=False)
    return str(value)


def load_settings(db: Database) -> OfficeSettings:
    """Read the office's settings; a missing or unreadable value gives its default."""
    stored = all_settings(db)
    values: dict[str, Any] = {}
    for f in fields(OfficeSettings):
        spec = SPECS[f.name]
        raw = stored.get(spec.key)
        if raw is None:
            continue
        try:
            values[f.name] = _parse(spec, raw)
        except (ValueError, TypeError):
            continue  # a damaged value must not stop the program: the default stands
    return OfficeSettings(**values)


def save_settings(db: Database, settings: OfficeSettings) -> OfficeSettings:
    """Store every setting that differs from what is stored (one transaction); return what was stored."""
    current = load_settings(db)
    stored = all_settings(db)
    with db.atomic():
        for f in fields(OfficeSettings):
            value = getattr(settings, f.name)
            if value != getattr(current, f.name) or SPECS[f.name].key not in stored:
                set_setting(db, SPECS[f.name].key, _format(SPECS[f.name], value))
    return load_settings(db)


def with_changes(settings: OfficeSettings, **changes: Any) -> OfficeSettings:
    """Return settings with some values changed (values are bounded as when loading)."""
    checked = {key: _parse(SPECS[key], _format(SPECS[key], value)) for key, value in changes.items()}
    return replace(settings, **checked)
