"""Parts of a notice that are not its items although they are numbered or dated: the list of annexes sent
along, requests a letter makes of its readers, and the date by which the work is reported."""

from __future__ import annotations

import re

#: The list of a notice's annexes at its end: "附件：1、活动主题建议反馈表" then "2、活动安排反馈表".
_ANNEX_LIST = re.compile(r"^附\s*件\s*[：:]\s*\d{1,2}\s*[、.．]\s*\S")
_ANNEX_NAME = re.compile(r"^\d{1,2}\s*[、.．]\s*[^。；;，,！？!?]{2,50}$")


def without_annex_list(lines: list[str]) -> list[str]:
    """The lines without the annex list ("附件：1、…" and the numbered annex names under it): the names of
    forms and tables sent along are not items of the notice."""
    out: list[str] = []
    in_list = False
    for line in lines:
        if _ANNEX_LIST.match(line):
            in_list = True
            continue
        if in_list and _ANNEX_NAME.match(line):
            continue
        in_list = in_list and not line.strip()  # a blank line may stand between the annex names
        out.append(line)
    return out


#: An item that asks the reader to send something back ("请提供你单位拟开展的活动安排", "请围绕…提出主题建议",
#: "请于3月27日前报送"): a request of a letter, not an activity the plan schedules. "请各县局组织开展…" asks
#: for an activity, and is one.
_REQUEST = re.compile(r"^请(?!示)")
_SEND = re.compile(r"提供|报送|上报|反馈|提出|填报|填写|推荐|报名|征集|提交|寄送|发送至|报至")
_EVENT = re.compile(r"开展|组织|举办|举行|召开|启动|实施|部署")


def is_request(head: str) -> bool:
    """Tell whether an item's heading is a request to the reader to send something rather than an activity."""
    text = re.sub(r"\s+", "", head)
    if not _REQUEST.match(text):
        return False
    first = re.split(r"[。；;！？!?]", text, maxsplit=1)[0]
    send = _SEND.search(first)
    event = _EVENT.search(first)
    return send is not None and (event is None or send.start() < event.start())


#: A line that only says when the work is reported ("3月31日前，各所将活动总结报送县局消保股"): a deadline of the
#: plan, not an activity. It sends a report (总结, 情况, 材料 …) and names no event before sending it.
_REPORT = re.compile(r"(?:总结|情况|材料|报告|信息|数据|报表|台账)")


def is_report_duty(line: str) -> bool:
    """Tell whether a dated line only sets when a report is sent (not an activity of the plan)."""
    first = re.split(r"[。；;！？!?]", re.sub(r"\s+", "", line), maxsplit=1)[0]
    # the report as one word: "工作开展情况" names what is reported, it schedules no 开展
    first = re.sub(r"[\u4e00-\u9fff]{0,6}?" + _REPORT.pattern, "※", first)
    send = _SEND.search(first)
    if send is None or "※" not in first[: send.start()]:
        return False
    event = _EVENT.search(first)
    return event is None or send.start() < event.start()
