"""From the notice to the table: plan text (pasted, .txt, .docx, .pdf) → a proposed plan with activities."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from models.records import Activity, Plan
from models.textnorm import clean_name, fold_key, split_units


@dataclass
class ProposedActivity:
    """An activity the parser proposes, with the text it came from and the fields it is unsure of."""

    activity: Activity
    source: str
    unsure: set[str] = field(default_factory=set)


@dataclass
class PlanProposal:
    """What the parser found; nothing is written until the clerk accepts it."""

    plan: Plan
    activities: list[ProposedActivity]
    messages: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- cleaning

#: OCR misreadings seen in these documents; each is unambiguous in context.
OCR_FIXES: tuple[tuple[str, str], ...] = (
    ("质士", "质量"), ("质童", "质量"), ("捉升", "提升"), ("牡查", "抽查"), ("牡检", "抽检"), ("支拧", "支撑"),
    ("帮挟", "帮扶"), ("提南站位", "提高站位"), ("统年谋划", "统筹谋划"), ("2·0", "20"),
)
QUOTES = "“”\"'‘’「」『』"
#: Page numbers as printed ("-6-", "— 6 —", "第6页"); a bare number may be a table's 序号 and stays.
_PAGE_NUMBER = re.compile(r"^[-—–_]+\s*\d{1,3}\s*[-—–_]+$|^第\s*\d+\s*页(共\s*\d+\s*页)?$")
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_PUNCT = r"，。、；：？！“”‘’《》（）【】〔〕…—·"


def clean_ocr(text: str) -> str:
    """Repair OCR and copy-paste noise: lone quotes, page numbers, stray spaces, known misreadings.

    Lines are kept (tables given one cell per line need them); blank lines are dropped.
    """
    text = unicodedata.normalize("NFKC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\u3000", " ")
    # a tab or a wide gap separates table cells: keep it as one tab, whatever the spacing
    text = re.sub(r"[ ]*\t[ \t]*|(?<=\S) {2,}(?=\S)", "\t", text)
    # NFKC turns full-width punctuation into ASCII; plans are written with full-width marks.
    text = text.replace(",", "，").replace(";", "；").replace("(", "（").replace(")", "）")
    text = re.sub(r"(?<=[" + _CJK + r"])[:](?=\S)|[:](?=[" + _CJK + r"])", "：", text)
    for wrong, right in OCR_FIXES:
        text = text.replace(wrong, right)
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line and not _PAGE_NUMBER.match(line)]
    merged: list[str] = []
    glue_next = False
    for line in lines:
        only_quotes = all(ch in QUOTES or ch in "’‘ " for ch in line)
        if only_quotes and merged:
            merged[-1] += line.replace(" ", "")
            glue_next = True
            continue
        if glue_next and merged:
            merged[-1] += line
        else:
            merged.append(line)
        glue_next = only_quotes
    result = []
    for line in merged:
        # spaces inside Chinese text are noise ("质量 强国", "（一 ）", "《 纲要》")
        line = re.sub(r"(?<=[" + _CJK + _PUNCT + r"]) +(?=[" + _CJK + _PUNCT + r"])", " ", line)
        line = re.sub(r"(?<=[" + _PUNCT + r"]) +| +(?=[" + _PUNCT + r"])", "", line)
        line = re.sub(r"(?<=\d)\s+(?=[年月日])|(?<=[年月])\s+(?=\d)", "", line)
        result.append(line)
    return "\n".join(result)


def _squash(text: str) -> str:
    """Join broken lines of running text and drop the spaces OCR left between Chinese characters."""
    text = re.sub(r"\s*\n\s*", "", text)
    return re.sub(r"(?<=[" + _CJK + r"])\s+(?=[" + _CJK + r"])", "", text).strip()


# ---------------------------------------------------------------- plan metadata

_OFFICE = re.compile(r"^(.{2,24}?(?:市场监督管理局|市场监管局|市场监督管理分局|质量技术监督局))$")
_DOC_NO = re.compile(r"([" + _CJK + r"]{1,10}[〔\[［【（(]\d{4}[〕\]］】）)]\s*\d{1,4}\s*号)")


def _plan_meta(lines: list[str], text: str) -> Plan:
    plan = Plan()
    head = lines[:30]
    for line in head:
        m = _OFFICE.match(line.replace(" ", "")) or re.match(r"^(.{2,20}?(?:市场监督管理局|市场监管局))(?:办公室|关于)",
                                                               line.replace(" ", ""))
        if m:
            plan.office = m[1]
            break
    for line in head[:12]:
        m = _DOC_NO.search(line)
        if m and "关于" not in line and "《" not in line:
            plan.doc_number = re.sub(r"\s+", "", m[1])
            break
    squashed = _squash(text)
    titles = re.findall(r"《([^《》]{4,60}?方案)》", squashed)
    notice = re.search(r"关于(?:开展|组织开展|做好)(.{4,40}?)(?:工作)?的通知", squashed)
    if titles:
        plan.title = re.sub(r"\s+", "", titles[0])
    elif notice:
        plan.title = f"{notice[1]}方案"
    else:
        for line in lines[:40]:
            if line.endswith("方案") and 6 <= len(line) <= 60 and not line.startswith(("关于", "现将")):
                plan.title = line
                break
    if not plan.office and plan.title:
        m = re.match(r"(.{2,20}?(?:市场监督管理局|市场监管局))", plan.title)
        if m:
            plan.office = m[1]
    year = re.search(r"(20\d{2})\s*年", plan.title) or re.search(r"(20\d{2})\s*年", squashed[:600])
    plan.year = int(year[1]) if year else None
    m = re.search(r"(?:主题|活动主题)[：:]?\s*\n?\s*(?:全国统一主题[：:])?\s*([^\n。]{4,40})", text)
    if m:
        theme = re.sub(r"^(全国统一主题|主题)[：:]", "", m[1].strip())
        if not re.match(r"^[一二三四五六七八九十]+、", theme):
            plan.theme = re.sub(r"\s+", " ", theme).strip()
    m = re.search(r"活动时间\s*\n\s*((?:20\d{2}年)?\s*\d{1,2}月(?:[^\n]{0,12}))", text)
    if m:
        plan.period_text = re.sub(r"\s+", "", m[1])
    m = re.search(r"(\d{1,2}月\d{1,2}日)前[^。\n]{0,30}?报送([^\s，。,、]{0,4}?)([" + _CJK + r"]{2,12}?(?:科|股|室|处|办公室))",
                  squashed)
    if m:
        plan.report_deadline = f"{m[1]}前"
        plan.report_to = f"{m[2]}{m[3]}".replace("至", "")
    else:
        m = re.search(r"报送(?:至|到)?([" + _CJK + r"]{2,12}?(?:科|股|室|处))", squashed)
        if m:
            plan.report_to = m[1]
    m = re.search(r"联系人[：:]\s*([" + _CJK + r"]{2,4})", text)
    if m:
        plan.report_contact = f"联系人：{m[1]}"  # the name only: phone numbers and e-mail are not kept
    plan.slogans = _slogans(lines)
    return plan


def _slogans(lines: list[str]) -> list[str]:
    heads = [i for i, line in enumerate(lines) if "口号" in line and len(line) <= 20
             and not line.startswith("附件") and not re.match(r"^\d", line)]
    start = heads[-1] if heads else None
    if start is None:
        return []
    result = []
    for line in lines[start + 1:start + 30]:
        m = re.match(r"^\d{1,2}\s*[.、，．]\s*(.+)$", line)
        if m:
            slogan = re.sub(r"[‘’'\"]*\s*附\s*件\s*\d*\s*$", "", m[1])
            result.append(re.sub(r"\s+", " ", slogan).strip())
        elif result and ("附件" in line or re.match(r"^[一二三四五六七八九十]、", line)):
            break
    return result


# ---------------------------------------------------------------- fields

LABELS: dict[str, tuple[str, ...]] = {
    "time_text": ("活动时间", "完成时间", "完成时限", "时间安排", "时间节点", "实施时间", "办结时限"),
    "location": ("活动地点", "活动范围", "地点", "范围", "实施范围"),
    "lead": ("牵头部门", "牵头单位", "牵头科室", "负责单位", "负责部门", "主办单位"),
    "resp": ("责任单位", "责任部门", "责任科室"),
    "coop": ("配合部门", "配合单位", "配合科室", "协办单位", "参与单位", "协助单位"),
}
_ALL_LABELS = sorted((w for ws in LABELS.values() for w in ws), key=len, reverse=True)
_LABEL_RE = re.compile("(" + "|".join(_ALL_LABELS) + r")\s*[：:]\s*")
_RESP_PAREN = re.compile(r"（([^（）]{0,80}?(?:负责|牵头|配合|实施|协助|参与|责任单位|责任部门)[^（）]{0,60}?)）")


def _field_value(text: str) -> str:
    """Cut a labelled value at the end of its clause; a ）closing a （ inside the value (各县（市）局) stays."""
    depth = 0
    for i, ch in enumerate(text):
        if ch == "（":
            depth += 1
        elif ch == "）":
            if depth == 0:
                return text[:i].strip(" ，")
            depth -= 1
        elif ch in "；;。\n\t":
            return text[:i].strip(" ，")
    return text.strip(" ，")


def _labelled(text: str) -> dict[str, str]:
    """Return labelled fields found in text ("活动时间：9月 活动地点：全市 …")."""
    found: dict[str, str] = {}
    matches = list(_LABEL_RE.finditer(text))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = _field_value(text[m.end():end].strip(" ；;。，\n\t"))
        for key, words in LABELS.items():
            if m[1] in words and value:
                found.setdefault(key, value)
    return found


def _responsibility(text: str) -> tuple[list[str], list[str], bool]:
    """Read "(质量发展科负责，各县市区局实施)"-style notes: (lead units, co-operating units, found)."""
    lead: list[str] = []
    coop: list[str] = []
    found = False
    for m in _RESP_PAREN.finditer(text):
        found = True
        inner = m[1]
        inner = re.sub(r"^(责任单位|责任部门)[：:]", "", inner)
        for part in re.split(r"[，；;,]", inner):
            part = part.strip()
            if not part:
                continue
            if re.search(r"(配合|实施|协助|参与)$", part):
                coop += split_units(re.sub(r"(配合|实施|协助|参与)$", "", part))
            elif re.search(r"(负责|牵头|牵头负责)$", part):
                lead += split_units(re.sub(r"(牵头负责|负责|牵头)$", "", part))
            else:
                lead += split_units(part)
    return _dedupe(lead), _dedupe([u for u in coop if u not in lead]), found


def _dedupe(names: list[str]) -> list[str]:
    return list(dict.fromkeys(n for n in names if n))


# ---------------------------------------------------------------- numbered items

_ITEM = re.compile(r"^(?:[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]|([一二三四五六七八九十]{1,3})\s*[、.．]"
                   r"|(\d{1,2})\s*[、.．]|[（(]\s*(\d{1,2})\s*[）)])\s*(.*)$")
ACTIVITY_SECTIONS = ("活动内容", "重点安排", "主要活动", "活动安排", "工作安排", "重点任务", "主要任务", "工作任务",
                     "重点工作", "具体安排", "活动项目", "工作措施")
OTHER_SECTIONS = ("活动要求", "工作要求", "保障措施", "指导思想", "活动主题", "组织领导", "总体要求", "目标任务",
                  "活动时间", "工作目标", "有关要求", "组织保障")


@dataclass
class _Item:
    level: str  # "cn" (一、), "paren" ((一)), "num" (1.), "paren_num" ((1))
    head: str
    lines: list[str]
    section: str


def _items(lines: list[str]) -> list[_Item]:
    items: list[_Item] = []
    section = ""
    current: _Item | None = None
    for line in lines:
        if re.match(r"^附\s*件", line) and len(line) <= 12:
            break
        m = _ITEM.match(line)
        if m:
            cn, cn2, num, _pnum, rest = m.groups()
            if cn2 is not None:  # 一、 heading: a section
                section = rest
                current = None
                if any(word in rest for word in ACTIVITY_SECTIONS) or len(rest) > 20:
                    current = _Item("cn", rest, [rest], section) if len(rest) > 20 else None
                    if current:
                        items.append(current)
                continue
            level = "paren" if cn else "num" if num else "paren_num"
            current = _Item(level, rest, [rest] if rest else [], section)
            items.append(current)
            continue
        if current is not None:
            current.lines.append(line)
    return items


def _item_activity(item: _Item, known: list[str] | None) -> ProposedActivity | None:
    source_lines = [line for line in item.lines if line]
    field_lines: list[str] = []
    body_lines: list[str] = []
    for line in source_lines:
        (field_lines if _LABEL_RE.match(line) else body_lines).append(line)
    body = _squash("\n".join(body_lines))
    fields = _labelled("\n".join(field_lines)) or {}
    inline = _labelled(body)
    for key, value in inline.items():
        fields.setdefault(key, value)
    if inline:
        body = body[: min(m.start() for m in _LABEL_RE.finditer(body))].strip()
    lead, coop, has_paren = _responsibility(body)
    if fields.get("lead") or fields.get("resp"):
        lead = split_units(fields.get("lead") or fields.get("resp", ""))
        coop = split_units(fields.get("coop", ""))
        if fields.get("lead") and fields.get("resp"):  # both: the responsible units co-operate
            coop = _dedupe(coop + split_units(fields["resp"]))
    elif fields.get("coop"):
        coop = split_units(fields["coop"])
    is_activity = bool(fields) or has_paren or any(word in item.section for word in ACTIVITY_SECTIONS)
    if any(word in item.section for word in OTHER_SECTIONS) and not fields and not has_paren:
        is_activity = False
    if not is_activity or not body:
        return None
    body_clean = _RESP_PAREN.sub("", body).strip()
    name, content = _split_name(body_clean)
    unsure: set[str] = set()
    if not lead:
        unsure.add("lead_units")
    if len(name) > 40:
        unsure.add("name")
    activity = Activity(
        name=name, content=content, time_text=clean_name(fields.get("time_text", "")),
        location=clean_name(fields.get("location", "")), lead_units=_match_units(lead, known),
        coop_units=_match_units(coop, known),
    )
    return ProposedActivity(activity, "\n".join(source_lines), unsure)


def _split_name(body: str) -> tuple[str, str]:
    """The name is a bracketed title or the first sentence; the rest is the content."""
    m = re.match(r"^【([^】]{2,60})】(.*)$", body)
    if m:
        return m[1].strip(), m[2].strip()
    depth = 0
    for i, ch in enumerate(body):
        if ch in "“《（":
            depth += 1
        elif ch in "”》）":
            depth = max(0, depth - 1)
        elif (ch in "。；！？" and depth == 0) or (ch == "：" and depth == 0 and i <= 30):
            return body[:i].strip(), body[i + 1:].strip()
    return body.strip("。 "), ""


def _match_units(names: list[str], known: list[str] | None) -> list[str]:
    if not known:
        return names
    index = {fold_key(k): k for k in known}
    return _dedupe([index.get(fold_key(n), n) for n in names])


# ---------------------------------------------------------------- an annex table given as text

_TABLE_WORDS = {
    "position": ("序号",), "name": ("活动名称", "项目名称", "名称", "工作任务", "重点任务"),
    "content": ("活动主要内容", "主要内容", "活动内容", "工作内容", "具体内容", "具体措施"),
    "time_text": ("活动时间", "时间安排", "完成时限", "完成时间", "时间"),
    "location": ("活动地点", "活动范围", "地点", "范围"), "lead": ("牵头部门", "牵头单位", "责任单位", "责任部门"),
    "coop": ("配合部门", "配合单位"), "remarks": ("备注",),
}
_CONTENT_START = ("开展", "积极", "对", "到", "深入", "制定", "组织", "展板", "围绕", "针对", "加强", "推进", "通过",
                  "按照", "结合", "发布", "举办", "持续", "全面", "督促", "指导", "做好", "落实", "邀请", "利用")


def _table_header(line: str) -> list[str] | None:
    cells = [c for c in re.split(r"\s+", line.strip()) if c]
    if len(cells) < 2 or cells[0] not in ("序号", "编号"):
        return None
    keys = []
    for cell in cells:
        key = next((k for k, words in _TABLE_WORDS.items() if cell in words), None)
        if key is None:
            return None
        keys.append(key)
    return keys if "name" in keys else None


def _row_number(token: str) -> int | None:
    token = token.strip()
    token = token.replace("l", "1").replace("I", "1").replace("O", "0").replace("o", "0")
    return int(token) if token.isdigit() and len(token) <= 3 else None


def _text_table(lines: list[str]) -> tuple[list[ProposedActivity], str] | None:
    """Find an annex activity table written as text; return its rows and the table's title."""
    for h, line in enumerate(lines):
        keys = _table_header(line)
        if keys is None:
            continue
        title = next((lines[i] for i in range(h - 1, max(-1, h - 4), -1) if "表" in lines[i]), "")
        body = lines[h + 1:]
        end = next((i for i, x in enumerate(body) if re.match(r"^(附\s*件|相关解读|相关文件|扫一扫)", x)), len(body))
        body = body[:end]
        rows = _rows(body)
        if not rows:
            continue
        proposals = [_tabbed_row(n, r, keys) if _is_tabbed(r, keys) else _stacked_row(n, r, keys) for n, r in rows]
        return [p for p in proposals if p is not None], title
    return None


def _is_tabbed(lines: list[str], keys: list[str]) -> bool:
    """A row whose cells are separated by tabs, or one line of single-space-separated cells, one per column."""
    joined = " ".join(lines)
    return "\t" in joined or (len(lines) == 1 and len(keys) > 2 and len(joined.split()) == len(keys) - 1)


def _rows(body: list[str]) -> list[tuple[int, list[str]]]:
    """Split the lines after a table header into rows at sequential row numbers (1, 2, 3 …)."""
    rows: list[tuple[int, list[str]]] = []
    expected = 1
    for line in body:
        first, _, rest = line.replace("\t", " ").partition(" ")
        number = _row_number(line) if _row_number(line) is not None else _row_number(first)
        if "\t" in line:
            number = _row_number(line.split("\t")[0])
            rest = line.split("\t", 1)[1] if "\t" in line else rest
        if number is not None and number in (expected, expected + 1):
            if number == expected + 1 and rows:
                _split_missing_row(rows, expected)
            rows.append((number, [rest.strip()] if _row_number(line) is None and rest.strip() else []))
            expected = number + 1
            continue
        if rows:
            rows[-1][1].append(line)
    return rows


def _split_missing_row(rows: list[tuple[int, list[str]]], missing: int) -> None:
    """OCR dropped a row number: split the previous row where a sentence ends and a short title follows."""
    number, lines = rows[-1]
    for i in range(1, len(lines) - 1):
        if lines[i - 1].endswith("。") and not re.search(r"[，。；、]", lines[i]) and len(lines[i]) <= 24:
            rows[-1] = (number, lines[:i])
            rows.append((missing, lines[i:]))
            return


def _tabbed_row(number: int, lines: list[str], keys: list[str]) -> ProposedActivity | None:
    joined = "\t".join(lines)
    cells = [c.strip() for c in (joined.split("\t") if "\t" in joined else joined.split())]
    values = dict(zip(keys[1:], cells, strict=False))
    name = _squash(values.get("name", ""))
    if not name:
        return None
    activity = Activity(name=name, content=_squash(values.get("content", "")),
                        time_text=clean_name(values.get("time_text", "")), location=clean_name(values.get("location", "")),
                        lead_units=split_units(values.get("lead", "")), coop_units=split_units(values.get("coop", "")),
                        remarks=_squash(values.get("remarks", "")))
    return ProposedActivity(activity, f"{number}\t" + "\n".join(lines))


def _stacked_row(number: int, lines: list[str], keys: list[str]) -> ProposedActivity | None:
    """A row whose cells were flattened one after another (OCR, or copying a table from a PDF)."""
    parts: list[str] = []
    for line in lines:
        gap = re.split(r"\s+", line.strip(), maxsplit=1)
        if len(gap) == 2 and re.search(r"[" + _CJK + r"]$", gap[0]) and len(gap[0]) >= 4 and "name" in keys:
            parts += gap
        else:
            parts.append(line.strip())
    name_parts: list[str] = []
    rest: list[str] = []
    depth = 0
    for part in parts:
        if not name_parts:
            name_parts.append(part)
        elif rest:
            rest.append(part)
        else:
            previous = "".join(name_parts)
            depth = previous.count("《") - previous.count("》") + previous.count("“") - previous.count("”")
            starts_content = part.startswith(_CONTENT_START) or bool(re.search(r"[。；]", part))
            continues = depth > 0 or previous.endswith(("，", "、", "和", "与", "及")) or part.startswith(("“", "”", "》")) \
                or (len(part) <= 12 and not starts_content and not re.search(r"[，]", part))
            (name_parts if continues and not (starts_content and depth == 0 and not previous.endswith(("，", "、")))
             else rest).append(part)
    name = _squash("\n".join(name_parts)).strip("，")
    if not name:
        return None
    content = _squash("\n".join(rest))
    unsure = {"name", "content"} if len(name) > 40 or (rest and len(content) < 4) else set()
    return ProposedActivity(Activity(name=name, content=content), f"{number}\n" + "\n".join(lines), unsure)


# ---------------------------------------------------------------- the whole proposal

def parse_plan_text(text: str, known_units: list[str] | None = None) -> PlanProposal:
    """Propose a plan and its activities from a notice's text; never raises."""
    try:
        return _parse(text or "", known_units)
    except Exception as exc:  # noqa: BLE001 - the clerk gets an empty proposal and a message, never a crash
        return PlanProposal(Plan(), [], [f"无法识别该文本（{type(exc).__name__}），请检查后重试或手工录入。"])


def _parse(text: str, known: list[str] | None) -> PlanProposal:
    cleaned = clean_ocr(text)
    lines = cleaned.split("\n") if cleaned else []
    plan = _plan_meta(lines, cleaned)
    messages: list[str] = []
    table = _text_table(lines)
    items = [p for p in (_item_activity(i, known) for i in _items(lines)) if p is not None]
    if table and table[0]:
        proposals, title = table
        if title:
            plan.table_title = _squash(title)
            label = next((x for x in lines if re.fullmatch(r"附\s*件\s*\d+", x) and lines.index(x) < lines.index(title)),
                         "") if title in lines else ""
            plan.annex_label = re.sub(r"\s+", "", label)
        messages.append(f"已按附件中的活动安排表识别 {len(proposals)} 项活动。"
                        + (f"正文中另有 {len(items)} 个条目未作为活动导入。" if items else ""))
    else:
        proposals = items
        if proposals:
            messages.append(f"已从正文的编号条目中识别 {len(proposals)} 项活动。")
    if not proposals:
        messages.append("未找到活动条目。请确认文本包含编号的活动（如“（一）……”）或活动安排表。")
    for position, proposal in enumerate(proposals, start=1):
        proposal.activity.position = position
        if proposal.activity.time_text == "" and plan.period_text:
            proposal.unsure.add("time_text")
    if not plan.title and plan.table_title:
        base = re.sub(r"(重点|主要)?(活动)?(安排表|一览表|计划表)$", "", plan.table_title)
        plan.title = f"{base}活动方案" if base else plan.table_title
    if plan.title and plan.office and re.match(r"^\d{4}年", plan.title):
        plan.title = plan.office + plan.title
    if not plan.title and lines and len(lines[0]) <= 60 and re.search(r"(方案|安排|计划)$", lines[0]):
        plan.title = lines[0]
    if not plan.title:
        messages.append("未识别到方案标题，请在预览中填写。")
    return PlanProposal(plan, proposals, messages)
