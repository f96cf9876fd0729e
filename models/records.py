"""Domain records of Taizhang: small dataclasses with no persistence and no Qt."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

#: Statuses of an activity, in display order (the default list; offices may configure their own).
STATUSES: tuple[str, ...] = ("未开始", "进行中", "已完成", "已取消")
STATUS_NOT_STARTED, STATUS_IN_PROGRESS, STATUS_DONE, STATUS_CANCELLED = STATUSES

#: Roles in which a unit takes part in an activity.
ROLE_LEAD = "lead"
ROLE_COOP = "coop"

#: Kinds of unit in the office's directory.
UNIT_KINDS: tuple[str, ...] = ("科室", "股", "分局", "直属单位", "县市区局", "外部单位", "组合")


@dataclass
class Plan:
    """A campaign plan (活动方案) with its metadata."""

    id: int | None = None
    title: str = ""
    office: str = ""  # 发文单位
    doc_number: str = ""  # 文号
    theme: str = ""  # 活动主题
    year: int | None = None
    period_text: str = ""  # 活动时间, free text ("2024年9月")
    report_deadline: str = ""  # free text as written ("10月12日前")
    report_to: str = ""  # where the summary goes (报送市局质量发展科)
    report_contact: str = ""  # contact (a name or an office line; never a personal phone in samples)
    slogans: list[str] = field(default_factory=list)
    notes: str = ""
    annex_label: str = ""  # "附件2" printed top-left of the table, optional
    table_title: str = ""  # title above the table; empty → title + "主要活动安排表"
    created_at: str = ""
    updated_at: str = ""

    @property
    def display_table_title(self) -> str:
        """Return the title printed above the activity table."""
        if self.table_title:
            return self.table_title
        base = self.title.removesuffix("活动方案").removesuffix("方案")
        return f"{base}主要活动安排表" if base else "主要活动安排表"


@dataclass
class Activity:
    """One row of a plan's activity table, with its completion tracking."""

    id: int | None = None
    plan_id: int | None = None
    position: int = 0  # 1-based; shown as 序号
    name: str = ""
    content: str = ""
    time_text: str = ""
    location: str = ""
    lead_units: list[str] = field(default_factory=list)
    coop_units: list[str] = field(default_factory=list)
    remarks: str = ""
    status: str = STATUS_NOT_STARTED
    progress: int = 0  # 0–100
    completed_on: dt.date | None = None
    completion_notes: str = ""  # 完成情况
    planned_start: dt.date | None = None  # hand override; None → parsed from time_text
    planned_end: dt.date | None = None
    created_at: str = ""
    updated_at: str = ""


@dataclass
class Unit:
    """A unit of the office's directory (科室/股/分局/直属单位 or a group name such as 各分局)."""

    id: int | None = None
    name: str = ""
    kind: str = "科室"
    sort_order: int = 0
    active: bool = True


@dataclass
class ProgressEntry:
    """A dated entry of an activity's progress log."""

    id: int | None = None
    activity_id: int | None = None
    entry_date: dt.date | None = None
    text: str = ""
    author: str = ""
    created_at: str = ""


@dataclass
class Attachment:
    """Evidence attached to an activity (or, with no activity, to the plan's summary)."""

    id: int | None = None
    plan_id: int | None = None
    activity_id: int | None = None
    sha256: str = ""
    original_name: str = ""
    mime: str = ""
    size: int = 0
    added_at: str = ""

    @property
    def is_image(self) -> bool:
        """Tell whether the attachment is a picture that can have a thumbnail."""
        return self.mime.startswith("image/")


@dataclass
class Change:
    """One recorded change (留痕): what, old value, new value, when, who."""

    id: int | None = None
    at: str = ""
    user: str = ""
    entity: str = ""  # plan / activity / unit / progress / attachment
    entity_id: int | None = None
    plan_id: int | None = None
    activity_id: int | None = None
    action: str = ""  # create / update / delete
    field: str = ""
    old: str = ""
    new: str = ""


@dataclass
class FieldChange:
    """One value an import would change (a returned progress report, or an office's return in a roll-up)."""

    activity_id: int
    position: int
    name: str
    field: str
    old: object
    new: object
