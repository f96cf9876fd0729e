"""Items that carry no number of their own: lines under an activity heading that each begin with a date,
short heading lines under a "活动内容" label whose numbers were lost."""

from __future__ import annotations

import re

from models.plan_text.node import Node
from models.plan_text.not_items import is_report_duty

#: A line that begins with its date ("3月5日，…", "5月20日—25日，…", "xx月xx日，…" as a 范文 site blanks it).
_DATE_START = re.compile(
    r"^(?:(?:\d{4}|20[xX×]{2})年)?(?:\d{1,2}|[xX×]{1,2})月(?:(?:\d{1,2}|[xX×]{1,2})[日号])?"
    r"(?:\s*[—\-–~～至到]\s*(?:(?:\d{1,2}|[xX×]{1,2})月)?(?:\d{1,2}|[xX×]{1,2})[日号])?"
    r"(?:[上中下]旬|前|以前|之前|底|初|中|期间)?\s*[，,、：:]"
)


def dated_items(section: Node) -> list[Node]:
    """Lines under an activity heading with no numbers, each beginning with its date ("五、活动安排" then
    "4月20日，举办…" "4月22日—26日，开展…"): one item per dated line, an undated line continuing the one
    before it (lines before the first date are the section's introduction)."""
    out: list[Node] = []
    reporting = False  # under a line that only says when the work is reported ("3月31日前，各所将总结报送…")
    for line in section.lines:
        if _DATE_START.match(line):
            reporting = is_report_duty(line)
            if not reporting:
                out.append(Node("dated", line, line_no=section.line_no))
        elif out and not reporting:
            out[-1].lines.append(line)
    return out if len(out) >= 2 else []


def unnumbered_items(node: Node) -> list[Node]:
    """Lines under a "活动内容" label with their numbers lost: each short heading line and what follows."""
    out: list[Node] = []
    for line in node.lines:
        if len(line) <= 30 and not line.endswith(("，", "、")):
            out.append(Node("lost", line.rstrip("。"), line_no=node.line_no))
        elif out:
            out[-1].lines.append(line)
        else:
            out.append(Node("lost", line, line_no=node.line_no))
    return out


#: A sentence that begins with its own date ("3月12日至14日我局将…", "3月5日，召开…").
_DATED_SENTENCE = re.compile(r"^(?:\d{4}年)?\d{1,2}月\d{0,2}[日号]?")


def after_label_value(node: Node, word: str) -> list[Node]:
    """A labelled item that goes on after its value with an activity of its own ("1，活动时间。3月15日。
    3月12日至14日我局将在电视台发布公告，…。"): the label and its value describe the section, the dated
    sentences after them are an item."""
    text = re.sub(r"\s*\n\s*", "", node.text())
    if not word or not text.startswith(word):
        return []
    value, stop, rest = text[len(word) :].lstrip("：:。.，, ").partition("。")
    rest = rest.strip()
    if not stop or not value or len(value) > 30 or not _DATED_SENTENCE.match(rest) or len(rest) < 12:
        return []
    return [Node("dated", rest, line_no=node.line_no)]
