"""A notice's plan properties: issuing office, 文号, title, year, theme, period, report deadline, slogans."""

from __future__ import annotations

import re

from models.plan_text.cleaning import CJK, squash
from models.records import Plan

_OFFICE = re.compile(r"^(.{2,24}?(?:市场监督管理局|市场监管局|市场监督管理分局|质量技术监督局))$")
_DOC_NO = re.compile(r"([" + CJK + r"]{1,10}[〔\[［【（(]\d{4}[〕\]］】）)]\s*\d{1,4}\s*号)")


def plan_properties(lines: list[str], text: str) -> Plan:
    plan = Plan()
    head = lines[:30]
    for line in head:
        m = _OFFICE.match(line.replace(" ", "")) or re.match(
            r"^(.{2,20}?(?:市场监督管理局|市场监管局))(?:办公室|关于)", line.replace(" ", "")
        )
        if m:
            plan.office = m[1]
            break
    for line in head[:12]:
        m = _DOC_NO.search(line)
        if m and "关于" not in line and "《" not in line:
            plan.doc_number = re.sub(r"\s+", "", m[1])
            break
    squashed = squash(text)
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
    m = re.search(
        r"(\d{1,2}月\d{1,2}日)前[^。\n]{0,30}?报送([^\s，。,、]{0,4}?)(["
        + CJK
        + r"]{2,12}?(?:科|股|室|处|办公室))",
        squashed,
    )
    if m:
        plan.report_deadline = f"{m[1]}前"
        plan.report_to = f"{m[2]}{m[3]}".replace("至", "")
    else:
        m = re.search(r"报送(?:至|到)?([" + CJK + r"]{2,12}?(?:科|股|室|处))", squashed)
        if m:
            plan.report_to = m[1]
    m = re.search(r"联系人[：:]\s*([" + CJK + r"]{2,4})", text)
    if m:
        plan.report_contact = f"联系人：{m[1]}"  # the name only: phone numbers and e-mail are not kept
    plan.slogans = _slogans(lines)
    return plan


def _slogans(lines: list[str]) -> list[str]:
    heads = [
        i
        for i, line in enumerate(lines)
        if "口号" in line and len(line) <= 20 and not line.startswith("附件") and not re.match(r"^\d", line)
    ]
    start = heads[-1] if heads else None
    if start is None:
        return []
    result = []
    for line in lines[start + 1 : start + 30]:
        m = re.match(r"^\d{1,2}\s*[.、，．]\s*(.+)$", line)
        if m:
            slogan = re.sub(r"[‘’'\"]*\s*附\s*件\s*\d*\s*$", "", m[1])
            result.append(re.sub(r"\s+", " ", slogan).strip())
        elif result and ("附件" in line or re.match(r"^[一二三四五六七八九十]、", line)):
            break
    return result
