"""How Chinese documents name each field, and the label Taizhang shows for each field.

One table for every reader (spreadsheet headers, text tables, labelled lines such as “活动时间：9月”,
responsibility brackets, Word tables). Adding a wording is one line in `FIELDS`; every reader understands
it from then on, because readers ask this module at the time they read (patterns are built from the
current words and cached). Writers take every label — a field's, a property's, a statistic's — from
`models.labels.label`, which reads the fields' labels here.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    """A field of an activity: its key, the label Taizhang shows, and the words documents use for it."""

    key: str
    label: str
    words: tuple[str, ...] = ()  # most specific first; matched after removing spaces and punctuation


#: Every activity field, in table order. `responsible` (责任单位) is not a field of its own: it is the lead
#: units, unless the same table or item also names 牵头 units, and then the units that co-operate.
FIELDS: dict[str, Field] = {
    f.key: f
    for f in (
        Field("position", "序号", ("序号", "编号", "序", "编码")),
        Field(
            "name",
            "活动名称",
            (
                "活动名称",
                "活动项目",
                "项目名称",
                "工作任务",
                "重点任务",
                "任务名称",
                "工作名称",
                "活动主题",
                "计划名称",
                "事项名称",
                "名称",
                "项目",
                "活动",
                "抽查领域",
            ),
        ),
        Field(
            "content",
            "活动主要内容",
            (
                "活动主要内容",
                "主要内容",
                "工作内容",
                "具体内容",
                "活动内容",
                "工作措施",
                "具体措施",
                "主要措施",
                "抽查事项",
                "检查事项",
                "内容",
            ),
        ),
        Field(
            "time_text",
            "活动时间",
            (
                "活动时间",
                "时间安排",
                "完成时限",
                "时间节点",
                "实施时间",
                "办结时限",
                "时限要求",
                "起止时间",
                "实施时段",
                "时间段",
                "时限",
                "时间",
                "时段",
            ),
        ),
        Field(
            "location",
            "活动地点",
            ("活动地点", "地点范围", "活动范围", "地点", "范围", "实施范围"),
        ),
        Field(
            "lead_units",
            "牵头部门",
            (
                "牵头部门",
                "牵头单位",
                "牵头科室",
                "牵头股室",
                "负责单位",
                "负责部门",
                "负责科室",
                "主办单位",
                "承办单位",
                "组织单位",
                "发起部门",
                "主责部门",
                "主责单位",
                "实施单位",
                "股室",
                "牵头",
                "主办",
                "承办",
            ),
        ),
        Field(
            "responsible",
            "责任单位",
            ("责任单位", "责任部门", "责任科室", "责任股室", "责任处室", "实施部门", "实施单位"),
        ),
        Field(
            "coop_units",
            "配合部门",
            (
                "配合部门",
                "配合单位",
                "配合科室",
                "协办单位",
                "参与单位",
                "参加单位",
                "协助单位",
                "协助部门",
                "协同单位",
                "参与部门",
                "联查部门",
                "联查单位",
                "协办部门",
                "协同部门",
                "配合",
            ),
        ),
        Field("remarks", "备注", ("备注", "说明")),
        Field("status", "状态", ("状态", "完成状态", "进展状态", "完成情况状态")),
        Field("progress", "进度", ("进度", "完成进度", "进度%", "完成比例")),
        Field("completed_on", "完成时间", ("完成时间", "完成日期", "实际完成时间")),
        Field(
            "completion_notes",
            "完成情况",
            ("完成情况", "进展情况", "工作成效", "落实情况", "推进情况", "工作进展"),
        ),
        # computed from the time text (or set by hand); never read from a document
        Field("planned", "计划时间"),
        Field("light", "亮灯"),  # computed
    )
}

#: Fields a labelled line inside a plan's item may carry ("活动时间：9月上旬", "责任单位：质量股").
LABELLED_FIELDS = ("time_text", "location", "lead_units", "responsible", "coop_units")


def words(key: str) -> tuple[str, ...]:
    """Return the wordings documents use for a field."""
    return FIELDS[key].words


def word_table() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Return (field, words) for every field that documents name, in table order."""
    return tuple((f.key, f.words) for f in FIELDS.values() if f.words)


_PUNCT = re.compile(r"[\s\u3000:：()（）%％*＊/、]+")


def header_key(text: object) -> str:
    """Return a header cell's text as compared with the words (width folded, spaces and marks removed)."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", str(text or "")))


def match_header(cells: list[object]) -> dict[str, int]:
    """Map fields to column indexes for one candidate header row of a table.

    Each cell is read as the field whose word it matches best: the word itself, the word followed by at
    most four more characters (“牵头单位（部门）”), or, failing both, the word after at most four
    (“年度计划名称”, “检查内容”), the longest word winning — so “活动内容” is the content, not a name
    that starts with “活动”. Where two cells name one field the one that names it best counts (`_rank`).
    责任单位 is the lead units, unless a 牵头 column is there too: then the units that co-operate.
    完成时间 in a table with no other time column and no status is the period.
    """
    found: dict[str, int] = {}
    rank: dict[str, tuple[int, int]] = {}
    for col, cell in enumerate(cells):
        field_name = cell_field(cell)
        if field_name is None:
            continue
        this = _rank(header_key(cell), field_name)
        if field_name not in found or this < rank[field_name]:
            found[field_name], rank[field_name] = col, this
    _resolve_roles(found)
    if "completed_on" in found and "time_text" not in found and "status" not in found:
        found["time_text"] = found.pop("completed_on")
    return found


def cell_field(cell: object) -> str | None:
    """The field one header cell names (its best-matching word), or None."""
    key = header_key(cell)
    if not key or len(key) > 24:  # a header cell is short; prose is never one
        return None
    return _field_of_key(key, word_table())


@functools.lru_cache(maxsize=4096)
def _field_of_key(key: str, table: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    best: tuple[int, int, str] | None = None  # (2 exact / 1 prefix / 0 suffix, length of the word, field)
    for field_name, field_words in table:
        for word in field_words:
            exact = key == word
            near = len(word) >= 2 and len(key) <= len(word) + 4
            if exact or (near and key.startswith(word)) or (near and key.endswith(word)):
                candidate = (2 if exact else 1 if key.startswith(word) else 0, len(word), field_name)
                if best is None or candidate[:2] > best[:2]:
                    best = candidate
    return best[2] if best else None


def _rank(key: str, field_name: str) -> tuple[int, int]:
    """How well a header cell names its field, smaller is better: the word itself before a word with more
    around it, then the word's place in the field's list (most specific first) — so of 计划名称 and
    任务名称 in one header the task names the activity, and of two equal cells the first counts."""
    field_words = FIELDS[field_name].words
    for index, word in enumerate(field_words):
        if key == word:
            return (0, index)
    for index, word in enumerate(field_words):
        if len(word) >= 2 and (key.startswith(word) or key.endswith(word)):
            return (1, index)
    return (2, len(field_words))


def _resolve_roles(found: dict[str, int]) -> None:
    responsible = found.pop("responsible", None)
    if responsible is None:
        return
    if "lead_units" not in found:
        found["lead_units"] = responsible
    elif "coop_units" not in found:
        found["coop_units"] = responsible


def exact_field(cell: str) -> str | None:
    """Return the field a whole cell names exactly, or None."""
    key = header_key(cell)
    for field_name, field_words in word_table():
        if key in field_words:
            return field_name
    return None


def exact_header(cells: list[str]) -> list[str] | None:
    """Return the field of every cell of a header row written as text, or None unless every cell is a
    field word (prose must not pass for a table's header). The same role rules as `match_header`."""
    keys = [exact_field(cell) for cell in cells]
    if any(k is None for k in keys):
        return None
    fields = [k for k in keys if k is not None]
    found = {k: i for i, k in reversed(list(enumerate(fields)))}
    _resolve_roles(found)
    if "completed_on" in found and "time_text" not in found and "status" not in found:
        found["time_text"] = found.pop("completed_on")
    by_column = {i: k for k, i in found.items()}
    return [by_column.get(i, "") for i in range(len(fields))]


def resolve_labelled(found: dict[str, str]) -> dict[str, str]:
    """Turn labelled values found in one item into fields: 责任单位 becomes the lead units, or, beside a
    牵头 label, joins the co-operating units."""
    result = dict(found)
    responsible = result.pop("responsible", "")
    if responsible:
        if not result.get("lead_units"):
            result["lead_units"] = responsible
        else:
            result["coop_units"] = "、".join(x for x in (result.get("coop_units", ""), responsible) if x)
    return result


@functools.lru_cache(maxsize=8)
def _label_pattern(table: tuple[tuple[str, tuple[str, ...]], ...]) -> re.Pattern[str]:
    labelled = sorted((w for key, ws in table if key in LABELLED_FIELDS for w in ws), key=len, reverse=True)
    return re.compile("(" + "|".join(map(re.escape, labelled)) + r")\s*[：:]\s*")


def label_pattern() -> re.Pattern[str]:
    """Return the pattern of a field label followed by a colon ("活动时间：", "牵头单位:")."""
    return _label_pattern(word_table())


def labelled_field(word: str) -> str | None:
    """Return the field a label word names (for labelled lines)."""
    for key in LABELLED_FIELDS:
        if word in FIELDS[key].words:
            return key
    return None


#: Verbs after a unit name in a responsibility note ("质量股负责，各分局配合", "由X组织实施", "Y协同"):
#: every reader (table cells, brackets, sentences) takes them from here. Longest first within each.
LEAD_VERBS = (
    "负责组织实施",
    "执行承办",  # the unit that carries out the hosting: a kind of 承办
    "牵头负责",
    "共同负责",
    "负责组织",
    "负责落实",
    "负责实施",
    "具体负责",
    "组织实施",
    "负责",
    "牵头",
    "主办",
    "承办",
)
COOP_VERBS = ("配合", "协助", "协办", "参与", "参加", "协同", "实施")  # 实施: the offices that carry it out


#: How the name of a unit ends ("县市场监管局", "质量股", "县消协", "市日报社"): the prose readers find units
#: written inside sentences by these endings.
UNIT_ENDINGS = (
    *("市场监督管理局", "市场监管局", "市场监管所", "监管所", "分局", "局", "科", "股", "室", "所", "处"),
    *("中心", "委员会", "委", "办公室", "办", "院", "会", "站", "队", "部门", "单位", "政府", "协会", "集团"),
    *("公司", "学校", "馆", "厅", "部", "大队", "支队", "中队", "日报", "报社", "电视台", "广播电台"),
    *("供销社", "科协", "消协", "妇联", "文联", "侨联", "残联", "工商联"),
)
#: A table's unit cell may also name a township, a street office or a working group; in a sentence these
#: words end too many other phrases (“…的乡镇”, “分组”) to be read as a unit there.
CELL_UNIT_ENDINGS = (*UNIT_ENDINGS, "社", "街道", "镇街", "镇", "乡", "组")


def verb_pattern(verbs: tuple[str, ...]) -> str:
    """A regular-expression alternation of verbs, longest first (so 组织实施 wins over 实施)."""
    return "|".join(sorted(verbs, key=lambda v: (-len(v), v)))


#: Words that mark a bracket as a responsibility note rather than an aside.
RESPONSIBILITY_MARKS = (
    "负责",
    "牵头",
    "主办",
    "承办",
    "配合",
    "实施",
    "协助",
    "协办",
    "协同",
    "参与",
    "责任单位",
    "责任部门",
)
