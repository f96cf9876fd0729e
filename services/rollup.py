"""Roll-up use cases: 下发 one template per office, 回收 many returns (preview, then write), the board (汇总)
with 催报, and the office's side (import an upper office's template, reply in it).

Both the window and the command line call these; the window adds only progress, 取消 and messages.
Reading returns touches no database writes: `preview_returns` may run on a worker with its own
read-only connection; `apply_returns` writes each accepted file in its own transaction, so one bad file
never leaves half its values and never stops the others.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlite_utils import Database

from exports.returns_reader import SUFFIXES, ReturnFile, ReturnRow, read_return, text_of
from exports.rollout_xlsx import (
    ReplyValues,
    TemplateRow,
    TemplateSpec,
    template_name,
    write_reply,
    write_template,
)
from models import clock, rules, store
from models.errors import ReadError, TaizhangError, ValidationError
from models.records import (
    STATUS_CANCELLED,
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    STATUS_NOT_STARTED,
    Activity,
    FieldChange,
    Plan,
    Unit,
)
from models.store import offices as ostore
from models.store.offices import OfficeReturn, OfficeValues, Rollout
from models.textnorm import clean_name, clean_text, fold_key, join_units, split_units
from models.timeframe import parse_timeframe
from services import editing
from services.safety import BackupPolicy, backup_before, stop

if TYPE_CHECKING:
    from exports.offices_report import OfficesReport

Progress = Callable[[int, int], None]
MAX_FILES = 1_000


class RollupError(TaizhangError):
    """A roll-up request that cannot be done (no offices, an office the plan does not know)."""


# ---------------------------------------------------------------- who carries out what


def reporting_ids(db: Database) -> set[int]:
    """Units that report: those marked so, and every member of a group (members carry out its work)."""
    members = {m for ms in ostore.all_groups(db).values() for m in ms}
    active = {int(u.id or 0) for u in store.list_units(db, active_only=True)}
    return (ostore.office_ids(db) | members) & active


def activity_offices(db: Database, plan_id: int) -> dict[int, list[int]]:
    """The offices that carry out each activity of a plan (lead, co-operating, or through a group)."""
    units = {fold_key(u.name): int(u.id or 0) for u in store.list_units(db)}
    reporting = reporting_ids(db)
    groups = ostore.all_groups(db)

    def expand(unit_id: int, seen: frozenset[int]) -> list[int]:
        if unit_id in seen:
            return []
        if unit_id in groups:
            return [o for m in groups[unit_id] for o in expand(m, seen | {unit_id})]
        return [unit_id] if unit_id in reporting else []

    result: dict[int, list[int]] = {}
    for a in store.list_activities(db, plan_id):
        ids: list[int] = []
        for name in [*a.lead_units, *a.coop_units]:
            unit_id = units.get(fold_key(clean_name(name, join_cjk=True)))
            if unit_id is not None:
                ids.extend(expand(unit_id, frozenset()))
        result[int(a.id or 0)] = list(dict.fromkeys(ids))
    return result


def empty_groups(db: Database, plan_id: int) -> list[str]:
    """Notes on the plan's groups (各县市区局 …) that have no members yet: their activities reach nobody."""
    groups = ostore.all_groups(db)
    empty = {fold_key(u.name): u for u in store.list_units(db) if u.kind == "组合" and u.id not in groups}
    counts: dict[str, list[int]] = {}
    for a in store.list_activities(db, plan_id):
        for name in dict.fromkeys(
            fold_key(clean_name(n, join_cjk=True)) for n in [*a.lead_units, *a.coop_units]
        ):
            if name in empty:
                counts.setdefault(name, []).append(a.position)
    return [
        f"“{empty[k].name}”还没有设置成员（单位名录 → 组合成员），它承担的 {len(v)} 项活动"
        f"（{'、'.join(f'[{n}]' for n in v[:10])}）不会下发给任何单位。"
        for k, v in counts.items()
    ]


def plan_offices(db: Database, plan_id: int) -> list[Unit]:
    """The offices of a plan, in directory order."""
    involved = {o for ids in activity_offices(db, plan_id).values() for o in ids}
    return [u for u in store.list_units(db) if u.id in involved]


def office_activities(db: Database, plan_id: int) -> dict[int, list[int]]:
    """Each office's activity ids, in table order."""
    result: dict[int, list[int]] = {}
    for activity_id, ids in activity_offices(db, plan_id).items():
        for office in ids:
            result.setdefault(office, []).append(activity_id)
    return result


def suggest_members(db: Database, group: Unit) -> list[Unit]:
    """A group's likely members from its name: 各县市区局 → the 县市区局, 各分局 → the 分局, 各(市场监管)所 → the 所."""
    name = group.name
    units = [u for u in store.list_units(db, active_only=True) if u.id != group.id and u.kind != "组合"]
    if "县" in name or "区局" in name:
        return [u for u in units if u.kind == "县市区局"]
    if "分局" in name:
        return [u for u in units if u.kind == "分局"]
    if name.endswith("所"):
        from models.store.units import REPORTING_ENDINGS

        offices = [u for u in units if u.name.endswith(REPORTING_ENDINGS)]
        return offices or [u for u in units if u.name.endswith("所")]
    if "科" in name or "处室" in name:
        return [u for u in units if u.kind == "科室"]
    if "股" in name:
        return [u for u in units if u.kind == "股"]
    return []


# ---------------------------------------------------------------- 下发


@dataclass
class RolloutFile:
    """One template written."""

    office: str
    path: Path
    rows: int


def _fingerprint(activities: Sequence[Activity], assigned: dict[int, list[int]]) -> str:
    text = "\n".join(f"{a.id}|{a.position}|{a.name}|{assigned.get(int(a.id or 0), [])}" for a in activities)
    return hashlib.sha256(text.encode()).hexdigest()


def rollout(
    db: Database,
    plan_id: int,
    out_dir: Path,
    *,
    offices: Sequence[str] | None = None,
    deadline: str | None = None,
    progress: Progress | None = None,
) -> list[RolloutFile]:
    """Write one progress template per office (all of the plan's offices, or those named) into `out_dir`."""
    plan = store.get_plan(db, plan_id)
    chosen = _chosen_offices(db, plan_id, offices)
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise RollupError(f"文件夹“{out_dir}”不存在。")
    activities = store.list_activities(db, plan_id)
    assigned = activity_offices(db, plan_id)
    by_office = office_activities(db, plan_id)
    values = ostore.office_values(db, plan_id)
    with db.atomic():
        key = ostore.plan_key(db, plan_id)
        fingerprint = _fingerprint(activities, assigned)
        version = key.version + 1 if fingerprint != key.fingerprint or key.version == 0 else key.version
        when = (deadline if deadline is not None else key.deadline or plan.report_deadline).strip()
        ostore.update_plan_key(db, plan_id, version=version, fingerprint=fingerprint, deadline=when)
    by_id = {int(a.id or 0): a for a in activities}
    statuses = tuple(store.get_statuses(db))
    written: list[RolloutFile] = []
    try:
        for i, office in enumerate(chosen):
            if progress is not None:
                progress(i, len(chosen))
            office_id = int(office.id or 0)
            rows = [_template_row(by_id[a], values.get((a, office_id))) for a in by_office.get(office_id, [])]
            spec = TemplateSpec(
                key.uid,
                plan_id,
                plan.title,
                plan.office,
                office_id,
                office.name,
                version,
                when,
                statuses,
                rows,
                plan.table_title or plan.title,
            )
            path = write_template(out_dir / template_name(office.name, plan.title), spec)
            written.append(RolloutFile(office.name, path, len(rows)))
    finally:
        stamp = clock.timestamp()
        with db.atomic():
            for f in written:
                office_id = int(next(o.id or 0 for o in chosen if o.name == f.office))
                ostore.record_rollout(db, Rollout(0, plan_id, office_id, version, stamp, when, f.path.name))
    if progress is not None:
        progress(len(chosen), len(chosen))
    return written


def _template_row(a: Activity, own: OfficeValues | None) -> TemplateRow:
    return TemplateRow(
        int(a.id or 0),
        a.position,
        a.name,
        a.content,
        a.time_text,
        join_units(a.lead_units),
        join_units(a.coop_units),
        own.status if own else STATUS_NOT_STARTED,
        own.progress if own else 0,
        own.completed_on if own else None,
        own.completion_notes if own else "",
    )


def _chosen_offices(db: Database, plan_id: int, names: Sequence[str] | None) -> list[Unit]:
    offices = plan_offices(db, plan_id)
    if not offices:
        raise RollupError(
            "本方案的牵头或配合单位中没有报送单位。请在“单位名录”中把下级单位标为报送单位，或为“各县市区局”等设置成员。"
            + "".join(empty_groups(db, plan_id))
        )
    if not names:
        return offices
    by_key = {fold_key(u.name): u for u in offices}
    chosen: list[Unit] = []
    for name in names:
        unit = by_key.get(fold_key(clean_name(name, join_cjk=True)))
        if unit is None:
            raise RollupError(f"“{name}”不是本方案的报送单位。可选：{'、'.join(u.name for u in offices)}。")
        chosen.append(unit)
    return list({int(u.id or 0): u for u in chosen}.values())


# ---------------------------------------------------------------- 回收: preview


@dataclass
class RowMatch:
    """How one row of a return was matched to an activity."""

    excel_row: int
    activity_id: int
    position: int
    name: str
    how: str  # 行键 / 序号和名称 / 名称 / 序号


@dataclass
class ReturnPreview:
    """What one returned file would write; nothing is written before `apply_returns`."""

    path: Path
    sha256: str = ""
    office_id: int | None = None
    office: str = ""
    office_from: str = ""  # 标识页 / 行键 / 填报单位 / 文件名 / 选择
    refused: str = ""  # why the file cannot be collected ("" when it can)
    needs_office: bool = False  # the office could not be told: the clerk is asked
    version: int | None = None
    form: dict[str, str] = field(default_factory=dict)  # the form above the table, by key (FORM_KEYS)
    matches: list[RowMatch] = field(default_factory=list)
    values: dict[int, OfficeValues] = field(default_factory=dict)
    changes: list[FieldChange] = field(default_factory=list)
    images: list[tuple[int, bytes, str]] = field(default_factory=list)  # (activity id, content, extension)
    files: list[tuple[int, Path]] = field(default_factory=list)  # (activity id, file sent beside the return)
    warnings: list[str] = field(default_factory=list)
    source: ReturnFile | None = None

    @property
    def ok(self) -> bool:
        """Tell whether the file can be collected as it is."""
        return not self.refused and not self.needs_office and self.office_id is not None


@dataclass
class CollectPreview:
    """A batch of returns for one plan."""

    plan_id: int
    items: list[ReturnPreview]


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files given, and the workbooks inside folders given (Office's ~$ lock files left out)."""
    found: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found.extend(
                sorted(
                    f
                    for f in p.rglob("*")
                    if f.is_file() and f.suffix.lower() in SUFFIXES and not f.name.startswith("~$")
                )
            )
        else:
            found.append(p)
        if len(found) > MAX_FILES:
            raise RollupError(f"一次最多回收 {MAX_FILES} 个文件，请分批回收。")
    return list(dict.fromkeys(found))


@dataclass
class _Context:
    plan: Plan
    uid: str
    activities: dict[int, Activity]
    by_office: dict[int, list[int]]
    offices: dict[int, Unit]
    sent: dict[int, int]  # latest version sent to each office
    values: dict[tuple[int, int], OfficeValues]
    statuses: list[str]
    known_hashes: dict[str, str]


def _context(db: Database, plan_id: int) -> _Context:
    plan = store.get_plan(db, plan_id)
    sent: dict[int, int] = {}
    for r in ostore.list_rollouts(db, plan_id):
        sent[r.office_id] = max(sent.get(r.office_id, 0), r.version)
    return _Context(
        plan,
        ostore.plan_uid(db, plan_id) or "",
        {int(a.id or 0): a for a in store.list_activities(db, plan_id)},
        office_activities(db, plan_id),
        {int(u.id or 0): u for u in plan_offices(db, plan_id)},
        sent,
        ostore.office_values(db, plan_id),
        store.get_statuses(db),
        {
            r.sha256: f"{r.file_name}（{r.received_at.replace('T', ' ')[:16]}）"
            for r in ostore.list_returns(db, plan_id)
        },
    )


def preview_returns(
    db: Database, plan_id: int, paths: Iterable[str | Path], progress: Progress | None = None
) -> CollectPreview:
    """Read and match every file (folders are searched); nothing is written."""
    files = expand_paths(paths)
    ctx = _context(db, plan_id)
    items: list[ReturnPreview] = []
    seen: dict[str, str] = {}
    for i, path in enumerate(files):
        if progress is not None:
            progress(i, len(files))
        item = ReturnPreview(path)
        try:
            source = read_return(path)
        except ReadError as exc:
            item.refused = str(exc)
            items.append(item)
            continue
        except OSError as exc:
            item.refused = f"无法读取“{path.name}”：{exc.strerror or exc}"
            items.append(item)
            continue
        item.sha256, item.source, item.form = source.sha256, source, dict(source.form)
        if source.sha256 in seen:
            item.refused = f"与同批的“{seen[source.sha256]}”内容完全相同，不重复回收。"
        elif source.sha256 in ctx.known_hashes:
            item.refused = f"这份文件已经回收过：{ctx.known_hashes[source.sha256]}。"
        else:
            seen[source.sha256] = path.name
            _analyse(ctx, item, source)
        items.append(item)
    _attach_companions(ctx, items, paths)
    if progress is not None:
        progress(len(files), len(files))
    return CollectPreview(plan_id, items)


#: Files an office sends beside its return (photos, scans, documents) kept as evidence.
COMPANION_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".gif", ".pdf", ".doc", ".docx", ".wps", ".ofd")
MAX_COMPANIONS = 200
_ITEM_NUMBER = re.compile(r"^\s*(?:第\s*)?(\d{1,3})(?:\s*项|[\s._\-、，,（(])")


def _attach_companions(ctx: _Context, items: list[ReturnPreview], given: Iterable[str | Path]) -> None:
    """Photos and documents in a folder given to 回收, beside a return: evidence of that return's office and
    of the activity the file name points at (第2项…, 2-…, or the activity's name; the only one if just one)."""
    for folder in {Path(g) for g in given if Path(g).is_dir()}:
        found = sorted(
            f for f in folder.rglob("*") if f.is_file() and f.suffix.lower() in COMPANION_SUFFIXES
        )[:MAX_COMPANIONS]
        for f in found:
            near = [i for i in items if i.ok and i.path.parent == f.parent]
            if len(near) > 1:
                near = [i for i in near if i.office and i.office in f.stem]
            if len(near) != 1:
                continue  # no return beside it, or several and the name names none: not this batch's
            item = near[0]
            activity_id = _companion_activity(ctx, item, f.stem)
            if activity_id is None:
                item.warnings.append(
                    f"附件“{f.name}”未能对应到活动，未保存（文件名写明序号如“第2项”或活动名称即可）。"
                )
            else:
                item.files.append((activity_id, f))


def _companion_activity(ctx: _Context, item: ReturnPreview, stem: str) -> int | None:
    ids = list(dict.fromkeys(m.activity_id for m in item.matches))
    number = _ITEM_NUMBER.match(stem.removeprefix(item.office).lstrip(" -_"))
    if number:
        by_number = [a for a in ids if ctx.activities[a].position == int(number[1])]
        if by_number:
            return by_number[0]
    named = [a for a in ids if ctx.activities[a].name and fold_key(ctx.activities[a].name) in fold_key(stem)]
    if len(named) == 1:
        return named[0]
    return ids[0] if len(ids) == 1 else None


def choose_office(db: Database, plan_id: int, item: ReturnPreview, office_id: int) -> ReturnPreview:
    """Match a file again as the office the clerk chose (when it could not be told from the file)."""
    assert item.source is not None
    fresh = ReturnPreview(item.path, item.sha256, form=dict(item.form), source=item.source)
    _analyse(_context(db, plan_id), fresh, item.source, forced=office_id)
    return fresh


def _analyse(ctx: _Context, item: ReturnPreview, src: ReturnFile, forced: int | None = None) -> None:
    keys = [r.key for r in src.rows if r.key is not None]
    if src.meta_problem:
        item.refused = f"{src.meta_problem}，不能回收。请让该单位使用下发的原表重新填报。"
        return
    meta = src.meta or {}
    uid = str(meta.get("plan_uid") or (keys[0][0] if keys else ""))
    if uid and uid != ctx.uid:
        title = str(meta.get("plan_title") or "另一个方案")
        issuer = str(meta.get("issued_by") or "")
        if title == ctx.plan.title:  # a copy of the plan, or the same plan in another office's database
            item.refused = (
                f"这份表格是另一份同名方案《{title}》{f'（{issuer}）' if issuer else ''}下发的，"
                "不是本数据库中这个方案下发的表格，不能回收。"
            )
        else:
            item.refused = f"这份表格属于《{title}》，不是本方案《{ctx.plan.title}》下发的表格。"
        return
    office_id, item.office_from = _office_of(ctx, src, meta, keys, forced)
    if office_id is None:
        item.needs_office = True
        named = src.form.get("filling_unit", "")
        item.warnings.append(
            f"填报单位“{named}”不是本方案的报送单位，请选择。" if named else "无法确定填报单位，请选择。"
        )
        return
    if office_id not in ctx.offices:
        item.refused = f"“{ctx.offices.get(office_id, Unit(name=str(meta.get('office') or office_id))).name}”不是本方案的报送单位。"
        return
    item.office_id, item.office = office_id, ctx.offices[office_id].name
    version = meta.get("version")
    item.version = int(version) if isinstance(version, int) else (keys[0][3] if keys else None)
    latest = ctx.sent.get(office_id)
    if item.version is not None and latest is not None and item.version < latest:
        item.refused = (
            f"这是第 {item.version} 版下发的表格，方案已重新下发第 {latest} 版（活动有变动），"
            "请让该单位用新表填报。"
        )
        return
    try:
        _match_rows(ctx, item, src, office_id)
    except ValidationError as exc:
        item.refused = str(exc)
        item.values, item.changes = {}, []


def _office_of(
    ctx: _Context,
    src: ReturnFile,
    meta: dict[str, object],
    keys: list[tuple[str, int, int, int]],
    forced: int | None,
) -> tuple[int | None, str]:
    if forced is not None:
        return forced, "选择"
    if isinstance(meta.get("office_id"), int):
        return int(meta["office_id"]), "标识页"  # type: ignore[call-overload]
    offices_in_keys = {k[2] for k in keys}
    if len(offices_in_keys) == 1:
        return offices_in_keys.pop(), "行键"
    by_key = {fold_key(u.name): i for i, u in ctx.offices.items()}
    named = src.form.get("filling_unit", "")
    if named:
        return by_key.get(fold_key(clean_name(named, join_cjk=True))), "填报单位"
    stem = src.path.stem.split("-")[0]
    found = by_key.get(fold_key(clean_name(stem, join_cjk=True)))
    return (found, "文件名") if found is not None else (None, "")


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, fold_key(a), fold_key(b)).ratio()


def _match_rows(ctx: _Context, item: ReturnPreview, src: ReturnFile, office_id: int) -> None:
    expected = ctx.by_office.get(office_id, [])
    left = list(expected)
    office_name = ctx.offices[office_id].name
    by_row: dict[int, int] = {}
    for row in src.rows:
        match = _match_one(ctx, item, row, office_id, left)
        if match is None:
            continue
        left.remove(match.activity_id)
        item.matches.append(match)
        by_row[row.excel_row] = match.activity_id
        old = ctx.values.get((match.activity_id, office_id))
        new = _values(ctx, row, match.activity_id, office_id, old, src.path.name)
        item.values[match.activity_id] = new
        base = old or OfficeValues(match.activity_id, office_id)
        for name in ("status", "progress", "completed_on", "completion_notes"):
            if getattr(base, name) != getattr(new, name):
                a = ctx.activities[match.activity_id]
                item.changes.append(
                    FieldChange(a.id or 0, a.position, a.name, name, getattr(base, name), getattr(new, name))
                )
    if not item.matches:
        raise ValidationError(
            f"没有一行能对应到“{office_name}”在本方案中的活动（共 {len(expected)} 项），不能回收。"
        )
    if left:
        names = "、".join(f"[{ctx.activities[a].position}]" for a in left[:10])
        item.warnings.append(f"表中缺少 {len(left)} 项本单位的活动：{names}；这些活动的原值不变。")
    for excel_row, data, ext in src.images:
        activity_id = by_row.get(excel_row) or by_row.get(
            max((r for r in by_row if r <= excel_row), default=-1)
        )
        if activity_id is None:
            item.warnings.append(f"第 {excel_row} 行的图片不在任何活动行上，未保存。")
        else:
            item.images.append((activity_id, data, ext))


def _match_one(
    ctx: _Context, item: ReturnPreview, row: ReturnRow, office_id: int, left: list[int]
) -> RowMatch | None:
    where = f"第 {row.excel_row} 行"
    if row.key is not None:
        _uid, activity_id, key_office, _version = row.key
        if key_office != office_id:
            other = ctx.offices.get(key_office)
            item.warnings.append(f"{where}属于{other.name if other else '另一单位'}的表格，已忽略。")
            return None
        if activity_id not in ctx.activities:
            item.warnings.append(f"{where}“{row.name}”对应的活动已从方案中删除，已忽略。")
            return None
        if activity_id not in left:
            why = "重复出现" if activity_id in {m.activity_id for m in item.matches} else "已不由本单位承担"
            item.warnings.append(f"{where}“{row.name}”{why}，已忽略。")
            return None
        a = ctx.activities[activity_id]
        return RowMatch(row.excel_row, activity_id, a.position, a.name, "行键")
    if row.key_text:
        item.warnings.append(f"{where}的行键被改动过，改按序号和名称对应。")
    if not row.name and not row.position:
        return None
    candidates = [ctx.activities[a] for a in left]
    number = int(row.position) if row.position.isdigit() else None
    exact = [a for a in candidates if fold_key(a.name) == fold_key(row.name)]
    if exact:
        a = next((x for x in exact if x.position == number), exact[0])
        how = "序号和名称" if a.position == number else "名称"
    else:
        by_number = [a for a in candidates if a.position == number]
        if not by_number or _similar(by_number[0].name, row.name) < 0.5:
            item.warnings.append(f"{where}“{row.name or row.position}”未能对应到本单位的活动，已忽略。")
            return None
        a, how = by_number[0], "序号"
    return RowMatch(row.excel_row, int(a.id or 0), a.position, a.name, how)


def _progress(value: object, where: str) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, float) and 0 < value < 1:
        value = round(value * 100)  # a cell formatted as a percentage
    if isinstance(value, float) and not value.is_integer():
        value = round(value)
    try:
        return rules.validate_progress(value if not isinstance(value, float) else int(value))
    except ValueError:
        raise ValidationError(
            f"{where}的进度“{text_of(value)}”不是 0 到 100 的整数，整份文件未回收。"
        ) from None


def _values(
    ctx: _Context, row: ReturnRow, activity_id: int, office_id: int, old: OfficeValues | None, name: str
) -> OfficeValues:
    where = f"“{name}”第 {row.excel_row} 行"
    status = clean_name(unicodedata.normalize("NFKC", row.status).strip())
    if status and status not in ctx.statuses:
        raise ValidationError(
            f"{where}的状态“{status}”不在可选范围（{'、'.join(ctx.statuses)}）内，整份文件未回收。"
        )
    progress = _progress(row.progress, where)
    completed: dt.date | None
    raw = row.completed_on
    if isinstance(raw, dt.datetime):
        completed = raw.date()
    elif isinstance(raw, dt.date):
        completed = raw
    else:
        try:
            completed = rules.parse_date_text(text_of(raw))
        except ValidationError as exc:
            raise ValidationError(f"{where}的完成时间：{exc}整份文件未回收。") from None
    if not status:
        status = old.status if old else (STATUS_IN_PROGRESS if progress else STATUS_NOT_STARTED)
    if progress is None:
        progress = 100 if status == STATUS_DONE else old.progress if old else 0
    if status == STATUS_DONE and progress < 100:
        progress = 100
    notes = (
        clean_text(row.completion_notes)
        if row.completion_notes is not None
        else (old.completion_notes if old else "")
    )
    return OfficeValues(activity_id, office_id, status, progress, completed, notes)


# ---------------------------------------------------------------- 回收: write


@dataclass
class CollectOutcome:
    """What became of one file."""

    path: Path
    office: str = ""
    matched: int = 0
    changes: int = 0
    refused: str = ""
    return_id: int | None = None
    warnings: list[str] = field(default_factory=list)
    needs_office: bool = False  # refused only because nobody said which office sent it

    def line(self) -> str:
        """One line for the command line: file, office, rows matched, changes, or why it was refused."""
        if self.refused:
            return f"{self.path.name}\t拒收\t{self.refused}"
        return f"{self.path.name}\t{self.office}\t匹配 {self.matched} 行\t变化 {self.changes} 处"


def apply_returns(
    db: Database,
    preview: CollectPreview,
    evidence_dir: Path | None,
    progress: Progress | None = None,
    *,
    backup_of: Path | None = None,
    on_backup_failure: BackupPolicy = stop,
) -> list[CollectOutcome]:
    """Write every collectable file, each in its own transaction; refused files are reported, not written.

    With `backup_of` (the database's path) a backup is made first; when it fails, `on_backup_failure`
    decides (the default stops: BackupError, nothing written)."""
    backup_before(db, backup_of, "import", on_backup_failure)
    outcomes: list[CollectOutcome] = []
    for i, item in enumerate(preview.items):
        if progress is not None:
            progress(i, len(preview.items))
        outcome = CollectOutcome(
            item.path, item.office, len(item.matches), len(item.changes), warnings=list(item.warnings)
        )
        if item.refused or not item.ok:
            outcome.refused = item.refused
            if not outcome.refused:
                asked = next((w for w in outcome.warnings if w.endswith("请选择。")), "")
                if asked:
                    outcome.warnings.remove(asked)
                found = asked.removesuffix("请选择。").rstrip("，") or "无法确定填报单位"
                outcome.refused = f"{found}；未指定单位，未回收。"
                outcome.needs_office = True
        else:
            try:
                outcome.return_id = _write_one(db, preview.plan_id, item, evidence_dir)
            except TaizhangError as exc:
                outcome.refused = str(exc)
        outcomes.append(outcome)
    return outcomes


def _write_one(db: Database, plan_id: int, item: ReturnPreview, evidence_dir: Path | None) -> int:
    assert item.office_id is not None
    if ostore.find_return_by_hash(db, plan_id, item.sha256) is not None:
        raise RollupError("这份文件已经回收过，不重复回收。")
    rows = [
        {
            "excel_row": m.excel_row,
            "activity_id": m.activity_id,
            "position": m.position,
            "name": m.name,
            "how": m.how,
            "status": item.values[m.activity_id].status,
            "progress": item.values[m.activity_id].progress,
            "completed_on": item.values[m.activity_id].completed_on,
            "completion_notes": item.values[m.activity_id].completion_notes,
        }
        for m in item.matches
    ]
    with db.atomic():
        return_id = ostore.add_return(
            db,
            OfficeReturn(
                None,
                plan_id,
                item.office_id,
                item.path.name,
                item.sha256,
                version=item.version,
                filled_by=item.form.get("filled_by", ""),
                phone=item.form.get("phone", ""),
                filled_on=item.form.get("filled_on", ""),
                rows=rows,
            ),
        )
        for values in item.values.values():
            values.return_id = return_id
            ostore.write_office_values(db, values, plan_id, item.office)
        if evidence_dir is not None:
            _keep_images(db, plan_id, item, return_id, evidence_dir)
        update_activities(db, plan_id, list(item.values))
    return return_id


def _keep_images(db: Database, plan_id: int, item: ReturnPreview, return_id: int, evidence_dir: Path) -> None:
    from models.evidence import store_file

    assert item.office_id is not None
    for activity_id, path in item.files:
        try:
            stored = store_file(evidence_dir, plan_id, activity_id, path)
        except (TaizhangError, OSError):
            continue  # a file too large or gone since the preview: the return itself is still collected
        att = store.add_attachment_row(db, stored)
        ostore.link_return_attachment(db, int(att.id or 0), return_id, item.office_id)
    with tempfile.TemporaryDirectory() as folder:
        for n, (activity_id, data, ext) in enumerate(item.images, start=1):
            position = next(m.position for m in item.matches if m.activity_id == activity_id)
            source = (
                Path(folder) / f"{item.office}-第{position}项-{n}.{re.sub(r'[^a-z0-9]', '', ext) or 'png'}"
            )
            source.write_bytes(data)
            att = store.add_attachment_row(db, store_file(evidence_dir, plan_id, activity_id, source))
            ostore.link_return_attachment(db, int(att.id or 0), return_id, item.office_id)


def update_activities(db: Database, plan_id: int, activity_ids: Iterable[int]) -> None:
    """Set each activity's own status and progress from its offices' parts: done when every office is done
    (cancelled offices aside), in progress when any has started; progress the offices' mean."""
    assigned = activity_offices(db, plan_id)
    values = ostore.office_values(db, plan_id)
    for activity_id in activity_ids:
        offices = assigned.get(activity_id, [])
        if not offices:
            continue
        a = store.get_activity(db, activity_id)
        if a.status == STATUS_CANCELLED:
            continue
        parts = [values.get((activity_id, o)) for o in offices]
        counted = [p for p in parts if p is None or p.status != STATUS_CANCELLED]
        if not counted:
            continue
        done = [p for p in counted if p is not None and p.status == STATUS_DONE]
        mean = round(sum(p.progress if p else 0 for p in counted) / len(counted))
        change: dict[str, object] = {}
        if len(done) == len(counted):
            dates = [p.completed_on for p in done if p.completed_on]
            change = {"status": STATUS_DONE, "progress": 100}
            if dates and a.completed_on is None:
                change["completed_on"] = max(dates)
        elif mean > 0 or any(
            p is not None and p.status in (STATUS_IN_PROGRESS, STATUS_DONE) for p in counted
        ):
            change = {"status": STATUS_IN_PROGRESS, "progress": min(mean, 99)}
        if change:
            editing.set_activity_fields(db, activity_id, change)


def find_office(db: Database, plan_id: int, name: str) -> Unit:
    """The plan's office of that name; RollupError naming the choices when the plan has none such."""
    return _chosen_offices(db, plan_id, [name])[0]


def collect(
    db: Database,
    plan_id: int,
    paths: Iterable[str | Path],
    evidence_dir: Path | None,
    *,
    office: str | None = None,
    backup_of: Path | None = None,
    on_backup_failure: BackupPolicy = stop,
) -> list[CollectOutcome]:
    """Preview and write in one go (the command line): every file that can be collected is.

    `office` answers the question the window asks: the office of the files that do not tell theirs
    (never used for a file whose hidden sheet, keys or 填报单位 name a reporting office). With `backup_of`
    (the database's path) a backup is made first, and a backup that fails stops the collection unless
    `on_backup_failure` says to go on.
    """
    preview = preview_returns(db, plan_id, paths)
    backup_before(db, backup_of, "import", on_backup_failure)
    if office is not None:
        chosen = int(find_office(db, plan_id, office).id or 0)
        preview.items = [
            choose_office(db, plan_id, i, chosen) if i.needs_office and not i.refused else i
            for i in preview.items
        ]
    return apply_returns(db, preview, evidence_dir)


# ---------------------------------------------------------------- 汇总 (the board)

RETURNED, MISSING, LATE = "returned", "missing", "late"
STATE_LABELS = {RETURNED: "已报送", MISSING: "未报送", LATE: "逾期未报"}


@dataclass
class OfficeLine:
    """One office on the board."""

    office_id: int
    name: str
    state: str  # returned / missing / late
    received_at: str = ""
    file_name: str = ""
    filled_by: str = ""
    phone: str = ""
    total: int = 0
    done: int = 0
    in_progress: int = 0
    returns: int = 0

    @property
    def rate(self) -> float:
        """Done over all the office's activities."""
        return self.done / self.total if self.total else 0.0


@dataclass
class Board:
    """Who returned, who is late, and the activity × office matrix."""

    plan: Plan
    today: dt.date
    deadline_text: str
    deadline: dt.date | None
    offices: list[OfficeLine]
    activities: list[Activity]
    assigned: dict[int, list[int]]
    cells: dict[tuple[int, int], OfficeValues]

    @property
    def owing(self) -> list[OfficeLine]:
        """Offices still owing a return."""
        return [o for o in self.offices if o.state != RETURNED]

    def cell_text(self, activity_id: int, office_id: int) -> str:
        """A matrix cell: "已完成 100%", "未报送", or "" when the office has no part in the activity."""
        if office_id not in self.assigned.get(activity_id, []):
            return ""
        v = self.cells.get((activity_id, office_id))
        return f"{v.status} {v.progress}%" if v else "未报送"

    def combined_notes(self, activity_id: int) -> str:
        """The offices' 完成情况 of one activity, each named."""
        names = {o.office_id: o.name for o in self.offices}
        parts = []
        for office_id in self.assigned.get(activity_id, []):
            v = self.cells.get((activity_id, office_id))
            if v and v.completion_notes:
                parts.append(f"{names.get(office_id, '')}：{v.completion_notes}")
        return "\n".join(parts)


_MONTHLY = re.compile(r"每月\s*(\d{1,2})\s*[日号]")


def _month_day(year: int, month: int, day: int) -> dt.date:
    import calendar

    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _shift(d: dt.date, months: int, day: int) -> dt.date:
    index = d.year * 12 + d.month - 1 + months
    return _month_day(index // 12, index % 12 + 1, day)


def office_state(
    deadline_text: str, year: int, today: dt.date, received: list[dt.date], sent: dt.date | None
) -> tuple[str, dt.date | None]:
    """Return an office's state and the deadline it is measured against.

    "每月25日前": returned once something came in after the last deadline; late when nothing came in for a
    deadline that has passed since the template was sent. A one-off deadline ("10月12日前"): returned once
    anything came in, late after the date. No deadline: returned or not yet.
    """
    monthly = _MONTHLY.search(deadline_text or "")
    if monthly:
        day = int(monthly[1])
        current = _month_day(today.year, today.month, day)
        if today > current:
            current = _shift(current, 1, day)
        previous, before = _shift(current, -1, day), _shift(current, -2, day)
        if any(r > previous for r in received):
            return RETURNED, current
        missed = not any(before < r <= previous for r in received)
        due = sent is None or sent <= previous
        return (LATE if missed and due else MISSING), current
    tf = parse_timeframe(deadline_text, year) if deadline_text else None
    deadline = (tf.end or tf.start) if tf else None
    if received:
        return RETURNED, deadline
    return (LATE if deadline is not None and today > deadline else MISSING), deadline


def board(db: Database, plan_id: int, today: dt.date | None = None) -> Board:
    """The board of a plan on `today`."""
    today = today or clock.today()
    plan = store.get_plan(db, plan_id)
    key_deadline = ostore.plan_deadline(db, plan_id)
    deadline_text = key_deadline or plan.report_deadline
    assigned = activity_offices(db, plan_id)
    by_office = office_activities(db, plan_id)
    cells = ostore.office_values(db, plan_id)
    returns = ostore.list_returns(db, plan_id)
    sent: dict[int, dt.date] = {}
    for r in ostore.list_rollouts(db, plan_id):
        sent.setdefault(r.office_id, dt.date.fromisoformat(r.sent_at[:10]))
    lines: list[OfficeLine] = []
    deadline: dt.date | None = None
    for office in plan_offices(db, plan_id):
        office_id = int(office.id or 0)
        own = [r for r in returns if r.office_id == office_id]
        days = [dt.date.fromisoformat(r.received_at[:10]) for r in own]
        state, deadline = office_state(
            deadline_text, plan.year or today.year, today, days, sent.get(office_id)
        )
        ids = by_office.get(office_id, [])
        vals = [cells.get((a, office_id)) for a in ids]
        last = own[-1] if own else None
        lines.append(
            OfficeLine(
                office_id,
                office.name,
                state,
                last.received_at if last else "",
                last.file_name if last else "",
                last.filled_by if last else "",
                last.phone if last else "",
                len(ids),
                sum(1 for v in vals if v and v.status == STATUS_DONE),
                sum(1 for v in vals if v and v.status == STATUS_IN_PROGRESS),
                len(own),
            )
        )
    return Board(
        plan, today, deadline_text, deadline, lines, store.list_activities(db, plan_id), assigned, cells
    )


def status_lines(b: Board) -> list[str]:
    """`status --offices`: one line per office, <office>\\t<returned|missing|late>\\t<done>/<total>."""
    return [f"{o.name}\t{o.state}\t{o.done}/{o.total}" for o in b.offices]


def _cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def reminder_text(b: Board, offices: Sequence[OfficeLine] | None = None) -> str:
    """The 催报通知 to the offices still owing a return, ready to copy or save."""
    owing = list(offices if offices is not None else b.owing)
    if not owing:
        return "各单位均已报送，无需催报。"
    plan = b.plan
    deadline = b.deadline_text or "规定时间"
    if b.deadline is not None and not _MONTHLY.search(b.deadline_text):
        deadline = _cn_date(b.deadline)
    late = [o.name for o in owing if o.state == LATE]
    lines = [
        f"关于报送《{plan.title}》进展情况的催报通知",
        "",
        f"{'、'.join(o.name for o in owing)}：",
        f"    根据《{plan.title}》要求，各单位应于{deadline.removesuffix('前')}前报送进展情况表（电子版）及相关照片。"
        f"截至{_cn_date(b.today)}，你单位尚未报送"
        + (f"（{'、'.join(late)}已超过报送时限）" if late else "")
        + "。请抓紧填报下发的进展情况表，"
        + (f"报送{plan.report_to}。" if plan.report_to else "按要求报送。"),
    ]
    if plan.report_contact:
        lines.append(f"    联系方式：{plan.report_contact}")
    lines += ["", f"{plan.office or ''}".rstrip(), _cn_date(b.today)]
    return "\n".join(line for line in lines if line is not None)


# ---------------------------------------------------------------- the office's side


def is_upper_template(path: Path) -> bool:
    """Tell whether a file is a template an upper office sent (its hidden sheet intact).

    Asked of every file imported on the command line, so it first looks only at the sheet names.
    """
    from exports.returns_reader import has_meta_sheet

    if not has_meta_sheet(path):
        return False
    try:
        src = read_return(path)
    except (ReadError, OSError):
        return False
    return src.meta is not None and not src.meta_problem


def import_upper(
    db: Database, path: Path, *, backup_of: Path | None = None, on_backup_failure: BackupPolicy = stop
) -> int:
    """Create a plan from an upper office's template, keeping the template and each row's key; return its id.

    With `backup_of` (the database's path) a backup is made first (once the file is known to be such a
    template); a backup that fails stops the import unless `on_backup_failure` says to go on.
    """
    src = read_return(path)
    if src.meta is None or src.meta_problem:
        raise RollupError(
            f"“{path.name}”不是上级下发的进展情况表（或其隐藏标识已被改动），请用“导入”作为普通表格导入。"
        )
    meta = src.meta
    rows = [r for r in src.rows if r.key is not None and r.name]
    if not rows:
        raise RollupError(f"“{path.name}”中没有可导入的活动行。")
    backup_before(db, backup_of, "import", on_backup_failure)
    plan = Plan(
        title=str(meta.get("plan_title") or path.stem),
        office=str(meta.get("issued_by") or ""),
        report_deadline=str(meta.get("deadline") or ""),
        report_to=str(meta.get("issued_by") or ""),
        notes=f"由上级下发的表格“{path.name}”导入（填报单位：{meta.get('office') or ''}）。",
    )
    statuses = store.get_statuses(db)
    activities: list[Activity] = []
    for r in rows:
        t = r.texts
        a = Activity(
            name=clean_name(r.name, 400),
            content=clean_text(t.get("content", "")),
            time_text=clean_name(t.get("time_text", "")),
            location=clean_name(t.get("location", "")),
            lead_units=split_units(t.get("lead_units", "")),
            coop_units=split_units(t.get("coop_units", "")),
            remarks=clean_text(t.get("remarks", "")),
            completion_notes=clean_text(r.completion_notes or ""),
        )
        if r.status in statuses:
            a.status = r.status
        progress = _progress(r.progress, f"第 {r.excel_row} 行")
        a.progress = progress or 0
        activities.append(a)
    data = path.read_bytes()
    with db.atomic():
        created = store.create_plan_with_activities(db, plan, activities)
        ids = [int(a.id or 0) for a in store.list_activities(db, int(created.id or 0))]
        keys = {ids[i]: r.key_text for i, r in enumerate(rows)}
        ostore.save_upstream(db, int(created.id or 0), data, path.name, str(meta.get("office") or ""), keys)
    return int(created.id or 0)


def reply(
    db: Database,
    plan_id: int,
    out: Path,
    *,
    filled_by: str = "",
    phone: str = "",
    today: dt.date | None = None,
) -> tuple[Path, int]:
    """Write the office's part back into the upper office's own template; return the path and rows filled."""
    up = ostore.upstream(db, plan_id)
    if up is None:
        raise RollupError(
            "该方案不是由上级下发的进展情况表导入的，无法按上级模板回复。"
            "可用“导出 → 进展情况表”（export --report progress）导出本单位的进展情况表。"
        )
    template, _name, office, keys = up
    values = {
        keys[int(a.id or 0)]: ReplyValues(a.status, a.progress, a.completed_on, a.completion_notes)
        for a in store.list_activities(db, plan_id)
        if int(a.id or 0) in keys
    }
    form = {
        "filling_unit": office,
        "filled_by": filled_by,
        "phone": phone,
        "filled_on": (today or clock.today()).isoformat(),
    }
    return write_reply(template, out, values, form)


# ---------------------------------------------------------------- 汇总 out


def offices_report(b: Board) -> OfficesReport:
    """The consolidated report's content from the board."""
    from exports.offices_report import OfficesReport, ReportRow

    rows = [
        ReportRow(
            a.position,
            a.name,
            join_units(a.lead_units),
            [b.cell_text(int(a.id or 0), o.office_id) for o in b.offices],
            b.combined_notes(int(a.id or 0)),
        )
        for a in b.activities
    ]
    stats = [
        (
            o.name,
            STATE_LABELS[o.state],
            o.received_at.replace("T", " ")[:16],
            o.filled_by,
            o.phone,
            o.total,
            o.done,
            o.in_progress,
            o.rate,
        )
        for o in b.offices
    ]
    title = b.plan.title.removesuffix("活动方案").removesuffix("方案")
    return OfficesReport(title, b.today, b.deadline_text, [o.name for o in b.offices], rows, stats)


def export_offices(db: Database, plan_id: int, out: Path, *, today: dt.date | None = None) -> str:
    """Write the consolidated report to .xlsx or .pdf; return a note for the clerk ('' when none)."""
    from exports.offices_report import export_offices_pdf, export_offices_xlsx

    report = offices_report(board(db, plan_id, today))
    suffix = Path(out).suffix.lower()
    if suffix == ".xlsx":
        export_offices_xlsx(out, report)
        return ""
    if suffix != ".pdf":
        raise RollupError("汇总表可导出为 .xlsx 或 .pdf。")
    from exports.options import options_from_settings
    from models.settings import load_settings

    result = export_offices_pdf(out, report, options_from_settings(load_settings(db).pdf_settings()))
    missing = "".join(sorted(result.missing_chars))
    return f"以下字符在已安装的字体中都没有，打印时可能显示为空白：{missing}" if missing else ""
