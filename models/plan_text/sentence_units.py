"""Units written in an item's sentences: "由X牵头，Y配合", "X负责", a bracket of unit names closing the item,
the subject of a clause ("市局成立…", "X联合Y举办…")."""

from __future__ import annotations

import re

from models import vocabulary
from models.plan_text.fields import LEVELS_ONLY, dedupe, join_levels
from models.textnorm import fold_key, split_units

_UNIT_END = vocabulary.verb_pattern(vocabulary.UNIT_ENDINGS)  # longest first
#: xx: a name a 范文 site blanked; a short name in brackets may follow ("教育厅（教委）")
UNIT = rf"[\u4e00-\u9fff（）()xX]{{1,24}}?(?:{_UNIT_END})(?:（[\u4e00-\u9fff]{{1,6}}）)?"
_LEVELS = r"(?:各?(?:自治区|直辖市|自治州|[省市县区乡镇]{1,3})、)*"  # "市、县局": levels sharing the unit's last word
UNITS = rf"{_LEVELS}{UNIT}(?:[、，,]{_LEVELS}{UNIT})*"
_LEAD = rf"(?:{vocabulary.verb_pattern(vocabulary.LEAD_VERBS)})(?!人)"  # 负责人 is a person, not a verb
_COOP = vocabulary.verb_pattern(tuple(v for v in vocabulary.COOP_VERBS if v != "实施"))  # “…组织实施” is lead
_LEAD_SENTENCE = re.compile(rf"(?:由|请)?({UNITS})(?:共同|具体|统一)?(?:{_LEAD})")
#: The co-operating run may end with participants named by kind ("…成员单位及相关企业参加").
_COOP_SENTENCE = re.compile(
    rf"({UNITS}(?:[、和及与](?:相关|有关)[\u4e00-\u9fff]{{2,4}}?)?)(?:等单位|等部门)?(?:{_COOP})"
)
_LEAD_AFTER = re.compile(
    rf"由({UNITS})(?:共同|具体|统一)?(?:{_LEAD}|组织)((?:[、，,](?:{UNITS})(?:{_LEAD}))*)"
)
_MORE_LEAD = re.compile(rf"({UNITS})(?:{_LEAD})")
#: What follows a unit that is the subject of its clause: a modal, a place or time word, "jointly with", or an
#: action verb ("市局成立…", "各县局要…", "总局将于…举办", "省局联合省教育厅…").
_SUBJECT_FOLLOW = (
    "将|要|应|须|需|已|在|于|联合|会同|与|同步|联动|分别|共同|统一|重点|积极|结合|组织|开展|举办|举行|召开|"
    "设立|成立|启动|发布|公布|面向|深入|利用|通过|按照|根据|围绕|继续|向|确定|设置|开设|推出|印发|编制|"
    "邀请|进行|派出|安排|提供|播出|播放|刊登|刊发|开辟|制作|发放|悬挂|张贴|走进"
)
_SUBJECT = re.compile(
    rf"(?:^|(?<=[。；;！？!?，,\n]))(?P<with>与|同|和|协同|联合|会同|配合|协助)?(?:由)?(?P<units>{UNITS})(?:等单位|等部门)?"
    rf"(?=(?:{_SUBJECT_FOLLOW}))(?:将|要|应)?(?:(?:联合|会同|与)(?P<joined>{UNITS}))?"
)
#: "联合农业、林业等部门发放…": the plan's office works with departments named by their field only.
_JOINED_SECTORS = re.compile(
    r"(?:^|(?<=[，,]))(?:联合|会同|协同)((?:[\u4e00-\u9fff]{2,8}、)+[\u4e00-\u9fff]{2,8}?等(?:有关|相关)?(?:部门|单位))"
)
_OBJECT_VERB = re.compile(r"^(?:组织|邀请|动员|指导|督促|要求|发动|带领|召集)")
#: What units form together ("联合组成宣讲队", "联合成立工作组"): a body they make, not a partner.
_FORMS = re.compile(r"^(?:组成|成立|组建|设立)")
#: The issuing office speaking of itself ("我局将于…", "本局…"): not a unit's name.
_PRONOUN = re.compile(r"^(?:我|本)[\u4e00-\u9fff]{0,2}$")


def sentence_units(text: str) -> tuple[list[str], list[str]]:
    """Units a sentence marks with a verb: "由X牵头，Y配合", "X负责…", "Y协助…" (lead, co-operating)."""
    lead: list[str] = []
    coop: list[str] = []
    for m in _LEAD_AFTER.finditer(text):
        lead += _plausible(split_units(m[1]))
        lead += [u for x in _MORE_LEAD.finditer(m[2]) for u in _plausible(split_units(x[1]))]
    if not lead:
        for m in _LEAD_SENTENCE.finditer(text):
            lead += _plausible(split_units(_trim_unit_list(m[1])))
            break
    for m in _COOP_SENTENCE.finditer(text):
        coop += _plausible(split_units(_trim_unit_list(m[1])))
        break
    # “X主办，Y协同”: the co-operating run began with the leading clause; its unit keeps its verb
    for unit in list(coop):
        verb = next((v for v in vocabulary.LEAD_VERBS if unit.endswith(v) and len(unit) > len(v) + 1), None)
        if verb is not None:
            coop.remove(unit)
            lead.append(unit[: -len(verb)])
    return dedupe(lead), dedupe([u for u in coop if u not in lead])


_LAST_BRACKET = re.compile(r"（([^（）]{2,160})）[。；;]?$")


def unit_bracket(text: str) -> tuple[str, str] | None:
    """A bracket closing the item that holds nothing but unit names ("…落到实处。（消保股、县供销社）"), as
    task-division plans write the units once they have said how to read them: (the bracket, its inside)."""
    m = _LAST_BRACKET.search(text.rstrip())
    if m is None:
        return None
    pieces = [p for p in re.split(r"[、，,；;]", m[1]) if p]
    if not pieces or not all(re.fullmatch(UNIT, p) or LEVELS_ONLY.match(p) for p in pieces):
        return None
    return m[0], m[1]


def subject_units(text: str) -> tuple[list[str], list[str]]:
    """Units that are the subject of a clause ("市局成立服务队，各县局结合实际…", "X联合Y举办…"): they do
    the work and lead it; a unit joined by 联合/会同/与 co-operates.

    The units are read from the first sentence that has such a subject (the clauses of that sentence
    may name several); a clause beginning "与X联合…" names X as co-operating with the plan's office.
    """
    found = _first_subjects(text)
    if found is None:
        return [], []
    lead, coop = found
    # a later paragraph opening with units of its own as subject ("各级市场监管部门及相关单位要…") adds them
    for paragraph in text.split("\n")[1:]:
        m = _SUBJECT.match(paragraph.strip())
        if m and not m["with"] and m.end("units") < len(paragraph.strip()):
            more = _first_subjects(re.split(r"[。！？!?]", paragraph.strip(), maxsplit=1)[0])
            if more is not None:
                lead += [u for u in more[0] if u not in coop]
                coop += [u for u in more[1] if u not in lead]
    return dedupe(lead), dedupe([u for u in coop if u not in lead])


def _first_subjects(text: str) -> tuple[list[str], list[str]] | None:
    """The units of the first sentence that has units as a subject."""
    for sentence in re.split(r"[。！？!?\n]", text):
        lead: list[str] = []
        coop: list[str] = []
        for m in _SUBJECT.finditer(sentence):
            if _OBJECT_VERB.match(m["units"]):
                continue  # "组织人民医院、中医院…在广场义诊": the units are organised, not the organiser
            units = [
                u
                for u in join_levels(_plausible(split_units(_trim_unit_list(m["units"]))))
                if not _PRONOUN.match(u)
            ]
            # "与X联合…", "协同X…": X works beside the plan's office; "配合X…": the office supports X, who leads
            (coop if m["with"] and m["with"] not in ("配合", "协助") else lead).extend(units)
            if m["joined"] and not _FORMS.match(m["joined"]):  # "X、Y联合组成宣讲队": the team is formed
                coop += _plausible(split_units(m["joined"]))
        if not lead and not coop:
            coop = [u for m in _JOINED_SECTORS.finditer(sentence) for u in split_units(m[1])]
        if lead or coop:
            return dedupe(lead), dedupe([u for u in coop if u not in lead])
    return None


def opens_with_subject(clause: str) -> bool:
    """Tell whether a clause begins with units as its subject ("各县局结合实际分别成立…")."""
    m = _SUBJECT.match(clause)
    if m is None or m["with"] or _OBJECT_VERB.match(m["units"]):
        return False
    return bool(_plausible(split_units(_trim_unit_list(m["units"]))))


def _split_and(units: list[str]) -> list[str]:
    """ "质量技术监督部门和教育行政部门" names two units when both sides of 和 end as a unit's name does
    (工业和信息化厅 does not: 工业 is no unit)."""
    out: list[str] = []
    for unit in units:
        parts = unit.split("和")
        whole = len(parts) > 1 and all(len(p) >= 3 and re.fullmatch(UNIT, p) for p in parts)
        out += parts if whole else [unit]
    return out


#: What no unit's name holds: a place or time word first, an object verb first ("组织重点企业召开座谈会" ends
#: in 会 as 协会 does; 组织部 is a unit), an action inside, an action verb last.
_NOT_A_UNIT = re.compile(
    r"^(?:在|于|到|向|对|从)|^(?:组织|邀请|动员|督促|发动|带领|召集)(?!部)|召开|开展|举行|(?:举办|开办|创办|筹办|停办|督办)$"
    # an event named by its 会 ("展会将…", "发布会由…"): no unit, though it ends like 协会
    r"|^(?:展|大|晚|年|峰|例|盛|庙)会$|(?:博览|运动|座谈|发布|推介|展销|研讨|观摩|表彰|招聘)会$"
)


def _plausible(units: list[str]) -> list[str]:
    """Drop what the unit pattern took from the sentence around the units ("在广场举办" ends in 办 too, "代表
    （区工商局" opens a bracket it does not close)."""
    units = [_before_towards(u) for u in _split_and(units)]
    return [u for u in units if not _NOT_A_UNIT.search(u) and u.count("（") == u.count("）")]


def _before_towards(unit: str) -> str:
    """ "市局各位领导向服务队（授旗）": who acts stands before 向, the unit after it receives."""
    before, toward, after = unit.rpartition("向")
    return before if toward and len(before) >= 3 and re.fullmatch(UNIT, after) else unit


def _trim_unit_list(text: str) -> str:
    """A run of units found by pattern may begin with the sentence's verb ("组织各所…"): cut before it."""
    text = re.sub(r"^.*?(?:由|请|要求|组织|会同|联合|指导|督促)(?=[\u4e00-\u9fff])", "", text)
    return text.strip("，,、")


def match_units(names: list[str], known: list[str] | None) -> list[str]:
    names = dedupe([n.strip() for n in names if n.strip()])
    if not known:
        return names
    index = {fold_key(k): k for k in known}
    return dedupe([index.get(fold_key(n), n) for n in names])
