"""Ordinary plans that rules fitted to corpus documents must not misread (found by review, in our own wording)."""

from models.plan_text import parse_plan_text


def _acts(text: str) -> list[tuple[str, str, list[str], list[str]]]:
    return [
        (p.activity.name, p.activity.time_text, p.activity.lead_units, p.activity.coop_units)
        for p in parse_plan_text(text).activities
    ]


def test_an_activity_headed_with_a_discipline_word_is_an_activity() -> None:
    text = """关于开展2025年质量月活动的通知
三、活动内容
（一）举办质量月启动仪式。9月1日在市民广场举行，由质量发展科牵头，各分局配合。
（二）开展计量器具专项检查。9月上旬，计量科牵头，对集贸市场的电子秤进行检查。
（三）严明检查纪律。9月全月，机关纪委牵头，对执法人员廉洁情况开展明察暗访。
（四）明确执法规范要求。9月中旬，法规科牵头，组织执法人员开展规范执法培训。
"""
    names = [a[0] for a in _acts(text)]
    assert len(names) == 4, names
    assert "严明检查纪律" in names[2] and "明确执法规范要求" in names[3]


def test_long_numbered_items_that_end_with_their_unit_are_items() -> None:
    item = (
        "组织开展{0}专项整治行动，聚焦群众反映强烈的突出问题，围绕生产、流通、消费各环节，加大监督检查力度，"
        "依法查处违法违规行为，曝光一批典型案例，形成有力震慑，切实维护市场秩序和消费者合法权益，推动企业落实主体"
        "责任，建立健全长效机制，确保整治工作取得实效，让人民群众有更多获得感、幸福感、安全感，为全市经济社会高质量"
        "发展营造良好的市场环境和消费环境。牵头单位：市市场监管局{1}；配合单位：各县区市场监管局"
    )
    pairs = [("食品安全", "食品科"), ("药品安全", "药品科"), ("特种设备", "特设科")]
    text = "任务分工\n" + "\n".join(f"{i}、{item.format(w, s)}" for i, (w, s) in enumerate(pairs, 1))
    acts = _acts(text)
    assert len(acts) == 3, acts
    assert all(a[2] for a in acts)


def test_a_spaced_table_row_without_its_last_cell_keeps_its_columns() -> None:
    text = """2025年食品安全宣传周活动安排表
序号 活动内容 活动时间 牵头单位 配合单位 备注
1 食品安全进校园 6月10日 食品科 县教育局 需提前报送方案
2 食品安全知识竞赛 6月12日 宣传科 各市场监管所
3 食品抽检结果发布 6月15日 抽检科 县融媒体中心 在县政府网站发布
"""
    acts = _acts(text)
    assert acts[1] == ("食品安全知识竞赛", "6月12日", ["宣传科"], ["各市场监管所"]), acts


def test_a_spaced_table_row_whose_content_opens_with_a_quote_is_a_row() -> None:
    text = """序号 活动内容 活动时间 牵头单位 配合单位
1 食品安全进校园 6月10日 食品科 县教育局
2 “食品安全你我共享”主题宣传 6月12日 宣传科 各市场监管所
3 食品抽检结果发布 6月15日 抽检科 县融媒体中心
"""
    acts = _acts(text)
    assert len(acts) == 3, acts
    assert acts[1][1:] == ("6月12日", ["宣传科"], ["各市场监管所"])


def test_an_action_is_no_unit() -> None:
    text = """二、活动内容
（一）集中宣传。县局将于3月15日在人民广场设立咨询台，邀请县消费者协会、县电视台等单位参加，现场受理消费投诉。
（二）组织企业座谈。县工商联、县商务局将联合组织重点企业召开座谈会，听取企业意见建议。
"""
    acts = _acts(text)
    assert len(acts) == 2
    units = acts[1][2] + acts[1][3]
    assert not any("召开" in u or "组织" in u for u in units), units


def test_a_reporting_deadline_is_no_activity() -> None:
    text = """四、活动安排
3月10日，召开全县3·15活动动员部署会。
3月15日，在人民广场举办消费维权集中宣传咨询活动。
3月31日前，各所将活动总结报送县局消保股。
五、工作要求
各单位要高度重视。
"""
    names = [a[0] for a in _acts(text)]
    assert len(names) == 2, names


def test_a_stacked_table_keeps_rows_past_999() -> None:
    text = "序号\n活动内容\n活动时间\n牵头单位\n" + "\n".join(
        f"{i}\n开展宣传{i}\n3月{i % 28 + 1}日\n消保科" for i in range(1, 1251)
    )
    assert len(parse_plan_text(text).activities) == 1250


def test_work_that_is_reported_afterwards_is_still_an_activity() -> None:
    from models.plan_text.not_items import is_report_duty

    assert is_report_duty("3月31日前，各所将活动总结报送县局消保股。")
    assert is_report_duty("6月30日前，各单位将工作开展情况上报县局。")
    assert not is_report_duty("3月20日前，开展集贸市场计量检查，并将检查情况报送县局。")
    assert not is_report_duty("3月15日，在人民广场举办宣传活动。")
