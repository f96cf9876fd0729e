"""One outline item → one proposed activity: its name, its time, who leads and who co-operates.

Where each field is found, in the order tried:
- time: a labelled line or sub-item ("活动时间：9月"), a date the item begins with ("3月5日，召开…"), a
  date in brackets ("进社区（6月3日-7日）"), else the first time phrase of the item's first sentence;
- units: labelled lines ("牵头单位：…", "组织单位：…"), responsibility brackets ("（X负责，Y配合）"), then
  sentences ("由X牵头，Y配合", "X负责", "X承办", the subject of a clause: models/plan_text/sentence_units.py);
- name: the heading up to its first full stop or colon (a bracketed 【title】 wins), without the date it
  began with or the brackets already read; a long first sentence is cut at its first clause.
"""

from __future__ import annotations

import re

from models import vocabulary
from models.plan_text.brackets import first_comma, first_sentence
from models.plan_text.cleaning import squash
from models.plan_text.fields import (
    dedupe,
    labelled_fields,
    labelled_units,
    read_roles,
    responsibilities,
    responsibility_bracket,
)
from models.plan_text.node import Node
from models.plan_text.not_items import is_request
from models.plan_text.outline import is_label, label_words, labelled_kind
from models.plan_text.proposal import ProposedActivity
from models.plan_text.sentence_units import (
    UNIT,
    UNITS,
    match_units,
    opens_with_subject,
    sentence_units,
    subject_units,
    unit_bracket,
)
from models.records import Activity
from models.textnorm import clean_name

NAME_LIMIT = 40

_N = r"(?:\d{1,2}|[xX×]{1,2})"  # xx: a date a 范文 site blanked ("xx月xx日")
# a day may keep a 年 whose digits a repost deleted ("于年9月27日"): written as it stands
_DAY = rf"(?:(?:\d{{4}}|20[xX×]{{2}}|(?<![\u4e00-\u9fff\d])|(?<=[于在自从]))年)?{_N}月(?:{_N}(?:日|号|(?=\s*[—\-–~～至到])))?(?:[上中下]旬|初|底|中|末)?"
_CN_CLOCK = r"(?:[一二三四五六七八九十]{1,3}[点时](?:[一二三四五六七八九十]{1,3}分|半)?)"  # 上午九时
_CLOCK = rf"(?:上午|下午|晚上|晚|全天|中午)?(?:\d{{1,2}}[:：]\d{{2}}|\d{{1,2}}[点时](?:\d{{1,2}}分?|半)?|{_CN_CLOCK})?"
_WEEKDAY = r"(?:[（(](?:星期|周)[一二三四五六日天][）)])?"
# "6月9日（周三）上午10:00—11:10": a weekday may stand before the clock, a range may end at a clock
_RANGE = (
    rf"{_DAY}{_WEEKDAY}{_CLOCK}"
    rf"(?:\s*[—\-–~～至到]\s*(?:{_DAY}|\d{{1,2}}[:：]\d{{2}}|\d{{1,2}}(?:日|号)?){_CLOCK})?"
)
_SUFFIX = r"(?:前|以前|之前|底前|前后|左右|期间|中旬|下旬|上旬|起|开始|截止|止|(?:活动)?当天)?"
TIME = re.compile(
    rf"(?:{_RANGE}{_WEEKDAY}{_SUFFIX}|\d{{1,2}}\s*[—\-–~～至到]\s*\d{{1,2}}月(?:份)?{_SUFFIX}|全年|长期|常态化|"
    rf"(?:春节|元旦|清明|五一|端午|中秋|国庆|国庆节|元宵)(?:节)?(?:前|期间|前后)|[“\"]?\d{{1,2}}[·.]\d{{1,2}}[”\"]?期间|"
    rf"每(?:月|季度|年|周)\d{{0,2}}日?(?:前)?|"
    rf"(?:全国|全省|全市)?“[^”]{{2,10}}”(?:活动)?(?:期间|前后)|[\u4e00-\u9fff]{{2,6}}(?:月|周|日)(?:活动)?期间)"
)
_LEADING_TIME = re.compile(rf"^\s*({TIME.pattern})\s*[，,、：:]?\s*")
#: An item opening with the named period it falls in, perhaps with its dates: "在今年的质量月期间（9月1日至
#: 30日），…".
_LEADING_PERIOD = re.compile(r"^(?:在|于)([^，,。；（(]{2,16}期间(?:[（(][^（）()]{2,24}[）)])?)[，,]\s*")
_BRACKET_TIME = re.compile(rf"[（(]\s*((?:{TIME.pattern})(?:[、，,]\s*(?:{TIME.pattern}))*)\s*[）)]")

#: A note the text stops in, its list of units unfinished: "…专项抽查（责任单位：稽查局、各区（市）县局、".
_CUT_NOTE = re.compile(r"（((?:[^（）]|（[^（）]{1,8}）)*[、，,；;])\s*$")
#: A paragraph that opens with its date ("6月29日，市局举办…").
_DATE_OPENS = re.compile(rf"^{_RANGE}[，,]")
#: The heading of an item glued to its paragraph, ended by a space: at most 40 characters, no full stop.
_SPACED_HEADING = re.compile(r"^([^\s。；;！？!?]{6,40}?[^\s，,、]) (?=[\u4e00-\u9fff])")


def node_activity(node: Node, known: list[str] | None) -> ProposedActivity | None:
    """The activity an outline item describes, or None when it says nothing."""
    head = node.head.strip()
    body_lines = _own_lines(head, [line for line in node.lines if line])
    label_children = [c for c in node.children if is_label(c.head)]
    other_children = [c for c in node.children if not is_label(c.head)]
    if not head and body_lines:
        head, body_lines = body_lines[0], body_lines[1:]
    if body_lines and not re.search(r"[。；;！？!?：:）)]$", head):
        first = re.split(r"[。；;，,：:]", body_lines[0], maxsplit=1)[0]
        # a heading broken by OCR or copy-paste; a line that begins with its date is the item's paragraph
        if len(first) <= 8 and first != body_lines[0] and not _DATE_OPENS.match(body_lines[0]):
            head, body_lines = head + body_lines[0], body_lines[1:]
    if not head or is_request(head):
        return None
    m = _SPACED_HEADING.match(head)
    if m and len(head) > 60 and head[: m.end() + 40].count(" ") == 1:
        # a glued paragraph: "一、健全组织网络，夯实基础 进一步完善…" (one space: not OCR's scattered ones)
        head, body_lines = m[1], [head[m.end() :], *body_lines]
    fields, head, plain_body = _item_labels(head, body_lines, label_children)
    text = squash("\n".join([head, *plain_body]))
    everything = squash("\n".join([text, *(c.all_text() for c in other_children)]))
    cut_note = _CUT_NOTE.search(everything)
    if cut_note and any(w in cut_note[1] for w in vocabulary.RESPONSIBILITY_MARKS):
        # the text stops inside the item's note ("（责任单位：稽查局、各区县局、"): its roles are not said
        everything = everything[: cut_note.start()]
        fields = {k: v for k, v in fields.items() if k not in ("lead_units", "coop_units")}

    time_text, name_source = _item_time(fields, _without_purpose(head), plain_body, text)
    time_text = time_text or node.period
    lead, coop, name_source = _item_units(fields, everything, text, name_source, [head, *plain_body], node)
    name_source = responsibility_bracket().sub("", name_source).strip()
    name = _name(name_source, dated=bool(time_text))
    if not name:
        return None
    unsure: set[str] = set()
    if not lead:
        unsure.add("lead_units")
    if len(name) > NAME_LIMIT:
        unsure.add("name")
    content = squash("\n".join([*plain_body, *(c.all_text() for c in other_children)]))
    rest = _after_name(name_source, name)
    activity = Activity(
        name=name,
        content="\n".join(x for x in (rest, content) if x),
        time_text=time_text,
        location=clean_name(fields.get("location", "")),
        lead_units=match_units(lead, known),
        coop_units=match_units([u for u in coop if u not in lead], known),
    )
    source = "\n".join([node.head, *node.lines, *(c.all_text() for c in node.children)]).strip()
    return ProposedActivity(activity, source, unsure)


def _item_labels(
    head: str, body_lines: list[str], label_children: list[Node]
) -> tuple[dict[str, str], str, list[str]]:
    """The labelled values of an item (its lines, its label sub-items, the heading, brackets in its
    paragraphs): the fields they give, the heading without its labels, the lines that are no labels."""
    label_re = vocabulary.label_pattern()
    field_lines = [line for line in body_lines if label_re.match(line)]
    fields: dict[str, str] = labelled_fields("\n".join(field_lines))
    for child in label_children:
        kind = labelled_kind(child.head)
        said = re.match(r"^[^：:。.，,]*[：:。.，,]\s*", child.head)  # "活动时间：9月" / a bare "时间和主题"
        # "1.组织单位" over "主办：…" "承办：…": the lines under it are labelled themselves (read below)
        own = [line for line in child.lines if not label_re.match(line)]
        value = (child.head[said.end() :].strip() if said else "") or squash("\n".join(own))
        if kind == "time_text" and len(value) > 20:  # "时间和主题" over a sentence: the date it begins with
            lead_time = _LEADING_TIME.match(value)
            value = lead_time[1] if lead_time else value
        if kind is None and re.match(r"^(?:参加|参会|出席)(?:人员|对象)", re.sub(r"\s+", "", child.head)):
            # "参加人员：市、区领导，各街道办事处、…": the units among those attending co-operate (not people)
            kind, value = (
                "coop_units",
                "、".join(u for u in re.split(r"[、，,；;。]", value) if re.fullmatch(UNIT, u)),
            )
        if kind and value:
            fields.setdefault(kind, value.rstrip("。；;"))
        fields.update({k: v for k, v in labelled_fields(child.text()).items() if k not in fields})
    inline = labelled_fields(head)
    for key, value in inline.items():
        fields.setdefault(key, value)
    if inline:
        cut = min(m.start() for m in label_re.finditer(head))
        head = head[:cut].strip(" ，,；;。") or head
    plain_body = [line for line in body_lines if not label_re.match(line)]
    for line in plain_body:
        # "完成时间：9月" (a label inside a longer word); a label inside a responsibility bracket is read
        # with the bracket's roles ("（责任单位：X牵头，Y承办）")
        for key, value in labelled_fields(responsibility_bracket().sub("", line)).items():
            fields.setdefault(key, value)
    fields = vocabulary.resolve_labelled(fields)
    return fields, head, plain_body


def _item_time(fields: dict[str, str], name_source: str, plain_body: list[str], text: str) -> tuple[str, str]:
    """The item's time: a labelled one, else the date its heading starts with or holds in brackets (taken
    out of the name), else the date its paragraph begins with, else the first date of its first sentence."""
    time_text = clean_name(fields.get("time_text", ""))
    m = _LEADING_TIME.match(name_source) or _LEADING_PERIOD.match(name_source)
    if m and len(name_source) > m.end() + 2:
        time_text = time_text or _tidy_time(m[1])
        name_source = name_source[m.end() :]
    b = _BRACKET_TIME.search(name_source)
    if b:
        time_text = time_text or _tidy_time(b[1])
        name_source = (name_source[: b.start()] + name_source[b.end() :]).strip()
    if not time_text and plain_body:
        m = _LEADING_TIME.match(squash(plain_body[0]))
        if m:
            time_text = _tidy_time(m[1])
    if not time_text:
        first = re.split(r"[。；;]", text, maxsplit=1)[0]
        found = TIME.search(first) or TIME.search(text[:150])
        if found:
            time_text = _tidy_time(found[0])

    return time_text, name_source


def _item_units(
    fields: dict[str, str], everything: str, text: str, name_source: str, own: list[str], node: Node
) -> tuple[list[str], list[str], str]:
    """The item's lead and co-operating units, in order of how plainly the text says them: a responsibility
    bracket or a closing bracket of unit names (taken out of the name), labelled lines (with what the
    sentence adds), a sentence's verbs, a clause's subject. `own`: the heading and the lines that are no
    labels."""
    lead, coop, has_bracket = responsibilities(everything)
    if not has_bracket:
        units_only = unit_bracket(everything)
        if units_only is not None:
            lead, coop = read_roles(units_only[1])
            has_bracket = True
            name_source = name_source.replace(units_only[0], "")
    if fields.get("lead_units"):
        lead = labelled_units(fields["lead_units"])
        coop = labelled_units(fields.get("coop_units", "")) or coop
        if not has_bracket:
            # the sentence may say more than the 责任单位 line: "X、Y牵头…" leads too, "Z配合…" co-operates
            said_lead, said_coop = sentence_units(text)
            lead = dedupe(lead + [u for u in said_lead if u not in coop])
            coop = dedupe(coop + [u for u in said_coop if u not in lead])
    elif fields.get("coop_units"):
        coop = labelled_units(fields["coop_units"])
    if not lead and not coop and not has_bracket:
        lead, coop = sentence_units(everything)
    if not lead and not coop and not has_bracket:
        lead, coop = subject_units(
            "\n".join([own[0], squash("\n".join(own[1:])), *(c.all_text() for c in node.children)])
        )

    return lead, coop, name_source


def _own_lines(head: str, lines: list[str]) -> list[str]:
    """An item that is one finished sentence ("4、各县局要按方案开展宣传活动。") ends where a bare label line
    follows it ("活动时间" alone, then its value): that part is the section's, not the item's."""
    if not head.endswith("。"):
        return lines
    words = set(label_words())
    bare = next((i for i, x in enumerate(lines) if x.strip(" ：:") in words), None)
    return lines if bare is None else lines[:bare]


def _tidy_time(text: str) -> str:
    text = text.strip(" ，,、：:")
    if text.count("“") != text.count("”") or text.count('"') % 2:
        text = text.strip('“”"')  # a quote left open by the cut; a quoted day ("“3·15”前后") keeps its pair
    return clean_name(text)


#: A clause that frames the action rather than naming it: a purpose ("为震慑…，营造…。"), a theme or a
#: means ("围绕…年主题，", "以…为载体，", "结合…，").
_FRAMING = re.compile(
    r"^(?:围绕|结合|按照|根据|依托|借助|紧扣|聚焦|立足|以[^，]{2,40}?为(?:载体|契机|抓手|主题|重点|依托|平台|主线|切入点)"
    r"|以[^，]{2,40}为[\u4e00-\u9fff]{1,4}(?=，))"  # "以…典型事故为素材，": the whole clause is the means
)
_PURPOSE = re.compile(
    r"^为(?:了|更好|进一步|深入|切实|确保|推动|营造|加强|提高|提升|增强|震慑|保障|维护|促进|落实|贯彻|做好)"
)
_ACTION = re.compile(r"开展|举办|举行|召开|组织|启动|发布|设立|印发|实施|进行|公布|展示")
#: A clause naming only the units that act, perhaps with when or where: "市工商局", "市消协将在3月15日当天".
_HM = r"\d{1,2}[:：]\d{2}"  # a clock, 9:00
_ONLY_WHO = re.compile(
    rf"{UNITS}(?:还|也|将|要){{0,2}}(?:提前)?(?:(?:在|于)?(?:{TIME.pattern})(?:的?{_HM}[—\-–~～至到?？]{_HM})?)?"
)  # "…所还将提前于5月19日上午的9:00—11:30": a clock after the day


def _without_purpose(text: str) -> str:
    """An item opening with a sentence of purpose ("为震慑…，保护…。3月15日，集中销毁…"): what follows it."""
    first, stop, rest = text.partition("。")
    if stop and rest.strip() and _PURPOSE.match(first) and not _ACTION.search(first):
        return rest.strip()
    return text


def _purpose(clauses: list[str], at: int) -> bool:
    """The first clause is a purpose with no action ("为更好地方便群众，"), the next says who acts."""
    return at == 0 and bool(_PURPOSE.match(clauses[0])) and not _ACTION.search(clauses[0])


def _without_framing(text: str) -> str:
    """The name begins where the action does: a purpose sentence and framing clauses before it are skipped,
    and so are clauses that only say who ("市工商局，市消协将在3月15日当天，公布…") or where ("在西广场北门口，
    行政路，…门口开展…": the name begins at the verb)."""
    text = _without_purpose(text)
    for _ in range(2):
        comma = first_comma(text)
        if comma > 0 and _FRAMING.match(text) and text[comma + 1 :].strip():
            text = text[comma + 1 :].strip()
    sentence = first_sentence(text)
    sentence_rest = text[len(sentence) :]
    clauses = sentence.split("，")
    if len(sentence) > NAME_LIMIT and len(clauses) > 1:
        skipped = 0
        while skipped < len(clauses) - 1 and (
            _ONLY_WHO.fullmatch(clauses[skipped]) or _purpose(clauses, skipped)
        ):
            skipped += 1
        if skipped:
            rest = "，".join(clauses[skipped:])
            last = re.match(rf"(?:{UNIT})(?=在|于)", rest)  # the list's last unit glued to "在…进行…"
            text = rest[last.end() :] if last else rest
            text += sentence_rest
        elif text.startswith("在") and not _ACTION.search(clauses[0]):
            verb = _ACTION.search(sentence)
            if verb and "，" in sentence[: verb.start()]:
                text = text[verb.start() :]
    return text


#: A clause saying by what means the action of the clause before it is done.
_MEANS = re.compile(r"(?:通过|采取|采用|运用)[^。；;]{2,30}?(?:方式|形式|手段)")
_MOJIBAKE = re.compile(r"\ufffd[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]*[）)]?")


def _shared(text: str, comma: int) -> bool:
    """Tell whether the clause after the first comma belongs with the first one in the name: it has a subject
    of its own ("市局成立服务队，各县局分别成立…"), the first clause only names the directive carried out
    ("落实…部署，"), or the comma stands inside a theme the first clause opens with a dash
    ("宣传世界标准日——标准营造公平环境，标准构建统一规则主题活动")."""
    if re.match(r"^(?:认真|深入|全面)?(?:落实|贯彻)", text):
        return True  # "落实党中央决策部署，以质量提升服务…大局": what is implemented, then how
    return opens_with_subject(text[comma + 1 :]) or bool(re.search(r"--|——|—", text[:comma]))


#: A clause that tells what happens at the event just named ("…发布活动公告，届时局长将发表讲话"): not its name.
_DETAIL_CLAUSE = re.compile(r"[，,](?=届时)")


def _name(text: str, dated: bool = False) -> str:
    text = text.strip(" ，,、：:")
    m = re.match(r"^【([^】]{2,60})】", text)
    if m:
        return m[1].strip()
    whole = _without_framing(text)
    text = first_sentence(whole)
    # a sentence known to end (a copy cut short may stop inside it: then its length is not known)
    ended = len(whole.rstrip(" 。，,；;！？!?")) > len(text) or whole.rstrip()[-1:] in ("。", "；", ";")
    comma = first_comma(text)
    # a long sentence is named by its first clause, and so is one that goes on to say by what means
    # ("在广场设立宣传点，通过悬挂横幅、发放资料等方式进行宣传")
    means = comma > 0 and len(text) > 30 and _MEANS.match(text[comma + 1 :]) is not None
    size = len(_MOJIBAKE.sub("", text))  # "当\ufffdshù）亟逃部门": a repost's garbled gloss is no text
    if ended and 30 < size <= NAME_LIMIT and comma > 0 and not _shared(text, comma):
        means = True  # a sentence over 30 characters is named by its first clause
    if dated and len(text) > NAME_LIMIT and comma > 0 and not _ACTION.search(text[:comma]):
        # a dated item is an event: "继续深入巩固大检查成果，由县安委办制定方案，牵头组织开展…大检查工作" is
        # named by the clause that opens with the event when the first clause holds none (a task list's
        # undated "巩固…成果，…，举办…" keeps its first clause)
        event = next((c for c in _clauses(text)[1:] if _OPENS_EVENT.match(c) and len(c) <= NAME_LIMIT), "")
        if event:
            return event
    # a clause listing 《…》 titles is measured without their words (the titles are names, not wording)
    if (
        (len(text) > NAME_LIMIT or means)
        and comma > 0
        and len(_TITLES.sub("《》", text[:comma])) <= NAME_LIMIT
    ):
        text = text[:comma]
    return _DETAIL_CLAUSE.split(text, maxsplit=1)[0].strip()


_TITLES = re.compile(r"《[^《》]{1,60}》")
_OPENS_EVENT = re.compile(r"^(?:牵头)?(?:组织|集中)?(?:开展|举办|举行|召开)")


def _clauses(text: str) -> list[str]:
    """The clauses of a sentence, split at the commas outside quotes and brackets."""
    out: list[str] = []
    while (comma := first_comma(text)) >= 0:
        out.append(text[:comma])
        text = text[comma + 1 :]
    return [*out, text]


def _after_name(source: str, name: str) -> str:
    index = source.find(name)
    if index < 0:
        return ""
    before = source[:index].strip(
        " ，,"
    )  # a purpose or framing clause the name left out stays in the content
    after = source[index + len(name) :].strip(" 。：:；;，,")
    return "，".join(x for x in (before, after) if x)
