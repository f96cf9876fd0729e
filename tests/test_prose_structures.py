"""Plans written as prose: glued paragraphs, document-sharing copies, responsibility written in sentences.

Every text here is synthetic, written for the structure it shows (not copied from a corpus document)."""

from __future__ import annotations

from models.plan_text import parse_plan_text
from models.plan_text.cleaning import join_site_pages, unglue


def _fields(text: str) -> list[tuple[str, str, list[str], list[str]]]:
    return [
        (a.name, a.time_text, a.lead_units, a.coop_units)
        for a in (p.activity for p in parse_plan_text(text).activities)
    ]


def _page(text: str, width: int = 240) -> list[str]:
    """Cut a text into pages the way a document-sharing site shows them: fixed widths, mid-word."""
    return [text[i : i + width] for i in range(0, len(text), width)]


SHARED_PLAN = (
    "为做好本年度农资打假宣传工作，推动放心农资下乡进村，保障春耕生产顺利进行，经局务会研究，结合我县"
    "实际情况，制定本工作方案。一、主要任务（一）开展农资市场专项检查。对全县农资经营门店开展拉网式"
    "检查，重点查看进货查验、索证索票和购销台账制度落实情况，发现问题及时督促整改到位，对情节严重的"
    "依法立案查处，形成有力震慑。（农资监管股、县农业农村局、各乡镇市场监管所，列第一位的为牵头单位，"
    "下同。以下均需各乡镇、街道落实，不再列出）（二）举办放心农资下乡宣传。组织农资企业和经营户在各"
    "乡镇集市设立宣传咨询台，发放识假辨假资料，现场解答农民群众咨询，引导群众依法维权。（消费者权益"
    "保护股、县供销社）二、工作要求各单位要高度重视，精心组织，确保各项任务落到实处。"
)


def test_site_page_numbers_are_joined_not_items() -> None:
    pages = _page(SHARED_PLAN)
    text = "\n".join(
        ["《某县农资打假方案》由会员分享，可在线阅读。", *(f"{i}、{p}" for i, p in enumerate(pages, 1))]
    )
    joined = join_site_pages(text)
    assert SHARED_PLAN in joined.replace("\n", "")
    assert not any(line.startswith("2、") for line in joined.split("\n"))
    got = _fields(text)
    assert [g[0] for g in got] == ["开展农资市场专项检查", "举办放心农资下乡宣传"]
    # "列第一位的为牵头单位，下同": the first unit leads, the others co-operate; the note's rules are no units
    assert got[0][2:] == (["农资监管股"], ["县农业农村局", "各乡镇市场监管所"])
    assert got[1][2:] == (["消费者权益保护股"], ["县供销社"])


def test_numbered_items_that_are_long_lines_stay_items() -> None:
    """Real items "1、…" that each end their sentence are not pages, however long."""
    item = "组织开展专项检查，" * 30 + "确保取得实效。"
    text = f"一、主要任务\n1、{item}\n2、{item}\n3、{item}"
    assert join_site_pages(text) == text


def test_glued_markers_counting_on_are_broken_out() -> None:
    """（一）（二） glued straight after a heading's last word, and items numbered "1，" "2，"."""
    line = (
        "为加强民生计量监管，维护公平公正的市场秩序，保护消费者合法权益，结合本市工作实际，现制定方案如下。"
        "一、重点工作加强计量监督（一）开展集贸市场计量检查。对全市集贸市场的电子秤开展检定。"
        "（二）开展加油站计量专项检查。三，活动步骤 1，3月10日，召开动员会议，部署全月工作安排，明确"
        "各所任务。 2，3月15日，在人民广场举办计量咨询活动，接受群众的计量投诉和现场咨询服务。"
        "四、工作要求 各所要高度重视，精心组织，确保活动取得实效，并及时报送活动总结和图片资料。"
    )
    assert len(line) > 200  # a paragraph, not a line of an outline
    lines = unglue(line).split("\n")
    assert "（一）开展集贸市场计量检查。对全市集贸市场的电子秤开展检定。" in lines
    assert lines[1] == "一、重点工作加强计量监督"
    assert any(x.startswith("1，3月10日") for x in lines) and any(x.startswith("2，3月15日") for x in lines)


def test_a_comma_after_a_number_inside_text_is_not_a_marker() -> None:
    line = "全年共抽检样品1，200批次，其中合格1，150批次，" * 8 + "结果已经公布。"
    assert unglue(line) == line


def test_units_that_are_the_subject_of_the_sentence_lead() -> None:
    text = (
        "三、活动安排\n"
        "（一）启动仪式。5月20日，市场监管局、团市委联合在人民广场举办启动仪式。各乡镇所结合实际组织宣传。\n"
        "（二）进校园活动。县局联合县教育局于5月下旬组织专家走进中小学开展科普讲座。\n"
        "（三）标准化服务。市局成立服务队，各县局结合当地实际成立服务小组。\n"
        "（四）开放日。我局将于5月25日向社会开放实验室，与县科协联合组织参观。\n"
        "（五）发布白皮书。xx日报发布年度消费维权白皮书。\n"
    )
    got = {g[0]: g[2:] for g in _fields(text)}
    # the first sentence that has a subject names the units; a later sentence's subject is not added
    assert got["启动仪式"] == (["市场监管局", "团市委"], [])
    assert got["进校园活动"] == (["县局"], ["县教育局"])
    assert got["标准化服务"] == (["市局", "各县局"], [])
    # "我局" is the issuing office speaking of itself; "与X联合" with no subject: X co-operates
    assert got["开放日"] == ([], ["县科协"])
    assert got["发布白皮书"] == (["xx日报"], [])


def test_a_clause_opening_with_together_or_in_support() -> None:
    """ "协同X…" (together with X): X co-operates; "配合X开展…" (in support of X): X leads."""
    text = (
        "二、主要活动\n（一）协同县卫健局深入农贸市场开展食品安全检查。\n（二）配合市消协开展消费维权宣传。\n"
    )
    got = _fields(text)
    assert got[0][2:] == ([], ["县卫健局"])
    assert got[1][2:] == (["市消协"], [])


def test_sponsor_and_organiser_after_you() -> None:
    """ "由X主办、Y承办": both are named as doing the work."""
    text = (
        "一、活动内容\n（一）举办主场活动。主场活动由省局主办、市局承办。\n（二）开展宣传。（各县局负责）\n"
    )
    got = _fields(text)
    assert got[0][2:] == (["省局", "市局"], [])


def test_a_level_list_inside_a_unit_stays_one_unit() -> None:
    """ "各县市、区政府" is 各县（市、区）政府, one unit; "省局设立主会场，市、县局设立分会场"."""
    text = (
        "一、重点任务\n（一）优化营商环境。深化审批制度改革。（市发展改革委、各县市、区政府）\n"
        "（二）办好启动仪式。省局设立主会场，市、县局设立分会场。\n"
    )
    got = _fields(text)
    assert got[0][2] == ["市发展改革委", "各县市、区政府"]
    assert got[1][2] == ["省局", "市、县局"]


def test_unnumbered_lines_that_begin_with_their_date_are_the_activities() -> None:
    text = (
        "三、活动时间\n6月1日至6月30日\n四、活动安排\n宣传月期间各单位要按照以下安排开展工作：\n"
        "6月1日，在市民广场举行安全生产月启动仪式。\n"
        "6月10日—12日，组织开展危化品企业应急演练，检验各企业应急预案的可操作性和各部门协同配合能力，"
        "提高企业应急处置能力。\n演练结束后及时总结。\n"
        "xx月xx日，xx电视台播出安全生产专题节目。\n"
        "五、工作要求\n各单位要及时报送总结。\n"
    )
    got = _fields(text)
    assert [(g[0], g[1]) for g in got] == [
        ("在市民广场举行安全生产月启动仪式", "6月1日"),
        ("组织开展危化品企业应急演练", "6月10日—12日"),
        ("xx电视台播出安全生产专题节目", "xx月xx日"),
    ]
    assert got[2][2] == ["xx电视台"]  # a name a 范文 site blanked is still a unit


def test_a_sentence_adds_to_the_responsible_units_line() -> None:
    """The 责任单位 line names who answers for the item; the sentence may name a 牵头 or a 配合 unit more."""
    text = (
        "二、活动内容\n（一）6月5日，县应急局、县消防大队牵头，在文化广场开展消防咨询活动。\n"
        "责任单位：县应急局、各乡镇。\n（二）6月8日前，县交通局配合在高速路口设置宣传牌。\n责任单位：县公路段。\n"
    )
    got = _fields(text)
    assert got[0][2:] == (["县应急局", "各乡镇", "县消防大队"], [])
    assert got[1][2:] == (["县公路段"], ["县交通局"])


def test_a_purpose_or_a_framing_clause_is_not_the_name() -> None:
    text = (
        "三、活动安排\n"
        "1、为震慑制售假冒商品的违法行为，保护消费者的合法权益。3月15日，集中销毁一批假冒伪劣商品。\n"
        "2、3月15日，围绕“共促消费公平，共享美好生活”年度主题，在中心广场开展消费维权咨询服务，"
        "组织律师和执法人员解答群众的法律问题，发放宣传资料，现场受理投诉。\n"
        "3、以“质量月”活动为载体，深入开展质量提升行动。\n"
    )
    got = _fields(text)
    assert [g[0] for g in got] == [
        "集中销毁一批假冒伪劣商品",
        "在中心广场开展消费维权咨询服务",
        "深入开展质量提升行动",
    ]
    assert got[1][1] == "3月15日"
    # the content keeps what the name left out
    content = parse_plan_text(text).activities[1].activity.content
    assert "共促消费公平" in content and "现场受理投诉" in content


def test_a_work_plan_glued_into_one_paragraph_with_tasks_at_two_levels() -> None:
    """The title runs into "一、"; 一、 and 二、 are tasks written out (heading, a space, the paragraph),
    三、 groups two events (一)(二): four activities."""
    text = (
        "某县市场监管局普法工作计划一、健全普法组织网络，压实普法责任 进一步完善普法工作领导小组，形成主要"
        "负责人亲自抓、分管负责人具体抓的工作格局；建立普法责任清单，做到谁执法谁普法，逐项落实到科室和所。"
        "二、丰富普法宣传形式，扩大普法覆盖面 以门户网站和政务新媒体为主要平台，在辖区内广泛张贴普法宣传"
        "海报，定期组织执法人员走进企业和社区开展以案释法，不断增强群众的法治意识和维权能力。"
        "三、结合市场监管职能，开展主题普法活动（一）开展宪法宣传周活动。围绕宪法精神组织集中宣传。"
        "（责任单位：法规科、各市场监管所）（二）开展民法典进企业活动。以合同管理为重点，深入企业讲解。"
        "四、工作要求 各科室要高度重视，认真组织实施。"
    )
    got = _fields(text)
    assert [g[0] for g in got] == [
        "健全普法组织网络，压实普法责任",
        "丰富普法宣传形式，扩大普法覆盖面",
        "开展宪法宣传周活动",
        "开展民法典进企业活动",
    ]
    assert got[2][2] == ["法规科", "各市场监管所"]


def test_a_requirements_heading_inside_the_activities_holds_no_activities() -> None:
    text = (
        "四、具体内容\n（一）纪念大会：\n3月15日上午在会议中心召开纪念大会。\n（二）咨询活动：\n"
        "在广场设立咨询台，接受群众咨询。\n（三）几点要求：\n1、参加活动的人员要服从统一指挥，不得擅自离岗。\n"
        "2、着装要求：统一着制式服装。\n"
    )
    assert [g[0] for g in _fields(text)] == ["纪念大会", "咨询活动"]


def test_labelled_units_lose_their_note_and_their_verb() -> None:
    text = (
        "二、重点任务\n（一）规范招投标行为。清理不合理限制。\n"
        "责任单位：市发改委、市财政局（第一责任单位为牵头单位，下同）\n（二）规范收费行为。清理涉企收费。\n"
    )
    assert [g[2:] for g in _fields(text)] == [(["市发改委"], ["市财政局"]), ([], [])]
    text = (
        "二、重点任务\n（一）优化准入环境。推进一网通办。〔责任单位：市市场监管局、市数据局按职责分工负责。各区政府落实〕\n"
        "（二）培育消费新场景。（市商务局，各区、开发区按职责分工负责）\n"
    )
    got = _fields(text)
    assert got[0][2:] == (["市市场监管局", "市数据局"], [])
    # a bare unit and "Y按职责分工负责": no unit is marked as leading, so all lead
    assert got[1][2:] == (["市商务局", "各区", "开发区"], [])


def test_organised_participants_are_not_the_subject() -> None:
    text = (
        "三、活动安排\n1、3月15日，组织县人民医院、县中医院在中心广场开展义诊活动。\n"
        "2、3月15日，县消协在中心广场开展咨询活动。\n"
    )
    got = _fields(text)
    assert got[0][2] == [] and got[1][2] == ["县消协"]


def test_a_long_sentence_is_named_where_its_action_begins() -> None:
    """Clauses that only say who ("县局，县消协将在3月15日活动当天，") or only list places ("在东门广场，
    步行街，…门口开展…") come before the action: the name begins at it."""
    text = (
        "三、活动安排\n"
        "1、县市场监管局，县消费者协会将在3月15日活动当天，集中曝光一批侵害消费者权益的典型案例和投诉热点问题。\n"
        "2、3月15日，在东门广场，步行街，万达商场，新华书店门口开展消费维权宣传咨询活动，现场受理消费者投诉。\n"
        "3、组织县人民医院，县中医院，县妇幼保健院在东门广场开展大型义诊活动，免费为群众测量血压。\n"
    )
    got = _fields(text)
    assert [g[0] for g in got] == [
        "集中曝光一批侵害消费者权益的典型案例和投诉热点问题",
        "开展消费维权宣传咨询活动，现场受理消费者投诉",  # what remains is short: kept whole
        "在东门广场开展大型义诊活动，免费为群众测量血压",
    ]
    assert got[0][1] == "3月15日活动当天" and got[1][1] == "3月15日"


def test_an_item_the_text_stops_in_before_its_name_ends_is_left_out_and_said() -> None:
    """One page of a paginated repost: the last item is cut before its first sentence ends."""
    head = "三、活动安排\n（一）6月5日前，县应急局印发宣传提纲。\n责任单位：县应急局。\n"
    for cut in ("（二）组织开展应急疏散演", "（二）6月10日，组织县消防救援大队、", "（二）组织开展“安全"):
        proposal = parse_plan_text(head + cut)
        assert [p.activity.name for p in proposal.activities] == ["县应急局印发宣传提纲"]
        assert any("中途结束" in m for m in proposal.messages)
    # the name ended before the cut (a long first sentence is named by its first clause): kept
    text = (
        head
        + "（二）完善应急物资储备调拨机制，加强重点行业企业专兼职应急救援队伍建设，提高乡镇街道和村社区的先期处置能"
    )
    assert [p.activity.name for p in parse_plan_text(text).activities][1] == "完善应急物资储备调拨机制"
    # an item that is only a heading over its unfinished first sub-item goes with it
    text = (
        head
        + "（二）开展“进工地”活动\n1.6月15日至30日，通过现场宣讲形式开展安全生产知识讲座（讲座提纲见附件），县应急局组织"
    )
    assert [p.activity.name for p in parse_plan_text(text).activities] == ["县应急局印发宣传提纲"]
    # a complete text keeps its last item
    text = head + "（二）6月16日，在县城广场开展安全宣传咨询日活动。"
    assert len(parse_plan_text(text).activities) == 2


def test_a_mojibake_question_mark_ends_no_sentence() -> None:
    """A repost that could not encode a character writes "?" glued inside the words."""
    text = (
        "三、活动内容\n1、各县局要积极与当?shù)亟逃部门协商，开展安全知识进校园活动。\n2、市局举办培训班。\n"
    )
    got = _fields(text)
    assert got[0][0].startswith("各县局要积极与当") and got[0][0].endswith("开展安全知识进校园活动")


def test_a_time_label_item_that_goes_on_with_an_activity() -> None:
    """ "1，活动时间。5月20日。5月16日至18日…": the label and its value describe the section; the dated
    sentences after them are an activity. A "届时…" clause tells what happens then: not the name."""
    text = (
        "一、活动时间和内容\n1，活动时间。5月20日。5月16日至18日县局将在县广播电台播出活动预告，届时局长将发表讲话。\n"
        "2，5月20日，在人民广场开展计量咨询服务活动。\n"
    )
    got = _fields(text)
    assert [g[:2] for g in got] == [
        ("县局将在县广播电台播出活动预告", "5月16日至18日"),
        ("在人民广场开展计量咨询服务活动", "5月20日"),
    ]
    # a label with only its value is no activity
    text = "一、活动时间和内容\n1，活动时间。5月20日。\n2，5月20日，在人民广场开展计量咨询服务活动。\n"
    assert [g[0] for g in _fields(text)] == ["在人民广场开展计量咨询服务活动"]


def test_a_heading_line_is_not_glued_to_a_paragraph_that_opens_with_its_date() -> None:
    text = (
        "三、主要活动\n（一）举办“质量月”启动仪式\n9月1日，县局在文化广场举办启动仪式。\n"
        "（二）开展质量诊断服务\n9月10日至20日，组织专家走进企业开展质量诊断。\n"
    )
    got = _fields(text)
    assert [g[:2] for g in got] == [
        ("举办“质量月”启动仪式", "9月1日"),
        ("开展质量诊断服务", "9月10日至20日"),
    ]


def test_departments_named_by_their_field_after_jointly_with() -> None:
    text = (
        "三、活动内容\n1、开展标准进乡村活动，联合水利、交通等部门发放标准化宣传资料。\n"
        "2、举办标准化培训班。\n"
    )
    assert _fields(text)[0][3] == ["水利", "交通等部门"]


def test_units_of_every_province_level_region_and_two_joined_by_and() -> None:
    """ "各省、自治区、直辖市X局" is one unit; "X部门和Y部门" two; a short name in brackets stays with its unit;
    an item opening with its named period ("在今年的计量月期间（5月1日至31日），") has that as its time."""
    text = (
        "一、5月20日，由各省、自治区、直辖市市场监管局和科技厅（科委）确定1个计量实验室向公众开放。\n"
        "二、在今年的计量宣传月期间（5月1日至31日），市级市场监管部门和科技管理部门在当地开展计量进企业活动。\n"
        "三、工业和信息化厅举办计量技术培训。\n"
    )
    got = _fields(text)
    assert got[0][2] == ["各省、自治区、直辖市市场监管局", "科技厅（科委）"]
    assert got[1][1:3] == ("今年的计量宣传月期间（5月1日至31日）", ["市级市场监管部门", "科技管理部门"])
    assert got[1][0].startswith("市级市场监管部门和科技管理部门在当地")
    assert got[2][2] == ["工业和信息化厅"]


def test_one_sentence_items_end_before_a_bare_label_line() -> None:
    """Items that are one finished sentence each, then an unnumbered "活动时间" line with its value: that
    time is the section's, not the last item's. "由X向Y…": X acts."""
    text = (
        "三、活动内容\n1、县局成立3支计量服务队。\n2、由县局各位领导向服务队进行授旗。\n3、各所要按方案要求开展宣传活动。\n"
        "活动时间\n2024年5月20日上午9时，全县同时启动。\n四、活动地点\n县城广场。\n"
    )
    got = _fields(text)
    assert [g[1] for g in got] == ["", "", ""]
    assert got[1][2] == ["县局各位领导"]
    # an item written as a form keeps its labelled lines
    text = "三、活动内容\n（一）计量开放日\n活动时间\n5月20日\n活动地点\n县计量所\n（二）计量进校园\n活动时间\n5月22日\n"
    assert [g[1] for g in _fields(text)] == ["5月20日", "5月22日"]


def test_a_time_and_theme_sub_label_over_a_sentence_gives_its_date() -> None:
    """ "1.时间和主题" on its own line, then a sentence beginning with the date (here with the year's digits
    deleted by a repost: "年5月20日…", kept as written)."""
    text = (
        "三、活动安排\n（一）“计量宣传周”活动\n1.时间和主题\n年5月16日至20日，集中开展以“计量服务民生”为主题的宣传周活动。\n"
        "2.主要内容\n县局将于年5月16日在县城广场举办启动仪式。\n"
        "（二）“计量开放日”活动\n1.时间和主题\n2024年5月20日，开展计量开放日活动。\n"
    )
    got = _fields(text)
    assert [g[:2] for g in got] == [
        ("“计量宣传周”活动", "年5月16日至20日"),
        ("“计量开放日”活动", "2024年5月20日"),
    ]
    # "今年5月…": 今年 is no deleted year
    assert _fields("三、活动安排\n（一）今年5月开展计量宣传活动。\n（二）6月开展计量检查。\n")[0][1] == "5月"


def test_a_letter_of_requests_with_a_list_of_forms_has_no_activities() -> None:
    """A letter asking its readers for proposals: its numbered items are requests ("请提供…"), the annex
    list names feedback forms. None is an activity, and the reader says it found none."""
    text = (
        "关于征集本年度计量日宣传活动安排的函\n各会员单位：\n为办好本年度“世界计量日”宣传，现征集各单位活动安排。"
        "请你单位提供以下内容：\n一、请结合本单位实际，提出计量日宣传口号建议，每条不超过十五字。\n"
        "二、请提供你单位拟在宣传周期间开展的主要计量活动安排（包括活动名称、时间和地点），我们将择优推荐。\n"
        "请于4月10日前将材料反馈至协会秘书处。\n附件：1、宣传口号建议表\n\n2、计量活动安排反馈表\n\n某市计量协会\n"
        "2024年3月1日\n"
    )
    proposal = parse_plan_text(text)
    assert proposal.activities == []
    assert any("未找到活动条目" in m for m in proposal.messages)
    # a plan's items that ask nothing are still activities, and its annex list still is not one
    plan = text.replace("一、请结合本单位实际，提出", "一、举办计量知识竞赛。征集").replace(
        "二、请提供你单位拟在", "二、组织计量开放日，"
    )
    assert [g[0] for g in _fields(plan)] == ["举办计量知识竞赛", "组织计量开放日"]


def test_a_clause_saying_what_an_item_draws_on_is_not_its_name() -> None:
    """ "以…为素材，通过…开展…": the first clause only says what the item is made of; the name is the action."""
    text = (
        "二、主要活动\n（一）以近年来本地发生的典型火灾事故为素材，通过图片展览和案例讲评开展警示教育。\n"
        "（二）举办消防知识竞赛。\n"
    )
    assert [g[0] for g in _fields(text)] == ["通过图片展览和案例讲评开展警示教育", "举办消防知识竞赛"]


def test_a_note_marking_one_unit_to_lead_and_others_to_host() -> None:
    """ "（责任单位：X牵头，Y、Z承办）": the hosts support the leader (a unit may hold a bracket of its own,
    各县（区）局); a text that stops inside its last note ("（责任单位：A、B、") does not say who leads."""
    text = (
        "三、活动内容\n（一）举办计量宣传咨询活动\n5月20日，全市集中开展宣传咨询活动（责任单位：市局计量科牵头，"
        "各县（区）局、市计量所承办）。\n（二）开展计量专项检查\n对集贸市场在用计量器具开展检查（责任单位：执法支队、各县（区）局、"
    )
    got = _fields(text)
    assert got[0] == ("举办计量宣传咨询活动", "5月20日", ["市局计量科"], ["各县（区）局", "市计量所"])
    assert got[1][2:] == ([], [])
    # without a unit marked 牵头, the hosts lead
    text = "三、活动内容\n（一）举办计量宣传咨询活动（市计量所承办，各县局配合）\n（二）开展计量检查（执法支队负责）\n"
    assert _fields(text)[0][2:] == (["市计量所"], ["各县局"])


def test_participants_named_by_kind_after_the_leaders() -> None:
    """ "由X、Y牵头，Z及相关企业参加": Z and the firms co-operate; a clock written in words ("上午九时") is
    part of the time."""
    text = (
        "三、活动内容\n（一）举办消费维权宣传活动。3月15日上午九时，由县市场监管局、县消费者协会牵头，"
        "消协各成员单位及相关企业参加，在人民广场设立咨询台。\n（二）开展放心消费创建。\n"
    )
    got = _fields(text)[0]
    assert got == (
        "举办消费维权宣传活动",
        "3月15日上午九时",
        ["县市场监管局", "县消费者协会"],
        ["消协各成员单位", "相关企业"],
    )


def test_persons_in_charge_attending_do_not_lead() -> None:
    """ "…负责人参加": 负责人 is the person in charge of a unit, not the verb 负责."""
    text = (
        "三、活动内容\n（一）召开质量工作推进会。各乡镇政府和县局各股室负责人参加。\n"
        "（二）开展质量提升行动（县局质量股负责）。\n"
    )
    got = _fields(text)
    assert got[0][2] == []
    assert got[1][2] == ["县局质量股"]


def test_a_clause_of_means_after_the_action_is_not_part_of_the_name() -> None:
    """ "在X设立咨询台，通过…等方式开展宣传": the name is the action; the means are its content."""
    text = (
        "二、活动内容\n（一）在农贸市场门口设立咨询台，通过摆放展板、发放资料，现场答疑等方式宣传食品安全；\n"
        "（二）开展食品安全进校园，组织学生参观学校食堂；\n"
    )
    assert [g[0] for g in _fields(text)] == [
        "在农贸市场门口设立咨询台",
        "开展食品安全进校园，组织学生参观学校食堂",
    ]


def test_a_later_paragraph_with_units_of_its_own_as_subject() -> None:
    """Under a sub-label "2.主要内容", one paragraph says what the issuing office does and the next what the
    local offices do: both sets of units carry the item."""
    text = (
        "一、活动安排\n（一）计量宣传周活动\n1.时间和主题\n5月16日至22日，集中开展计量宣传周活动。\n2.主要内容\n"
        "省局将于5月16日在省会举办启动仪式，发布年度计量工作报告。\n"
        "各市场监管局及有关技术机构单位要结合实际组织开展计量服务进企业活动。\n（二）计量开放日活动\n"
    )
    assert _fields(text)[0][2] == ["省局", "各市场监管局", "有关技术机构单位"]


def test_a_copy_that_stops_inside_the_last_group_of_tasks_keeps_its_first_task() -> None:
    """Groups of numbered tasks, each task followed by "X负责落实。"; the copy stops inside the last group's
    first task, before its units: the task is still one (units unknown), judged by the groups beside it."""
    text = (
        "一、提升质量水平\n（一）提升产品质量\n1.推进企业质量管理体系认证。\n县局质量股、县工信局负责落实。\n"
        "2.开展重点产品质量攻关。\n县科技局、县局质量股负责落实。\n（二）提升服务质量\n"
        "1.完善服务业标准体系建设。加强对餐饮、住宿等行业的服务质量监测，推行服务承诺和"
    )
    got = _fields(text)
    assert [g[0] for g in got] == [
        "推进企业质量管理体系认证",
        "开展重点产品质量攻关",
        "完善服务业标准体系建设",
    ]
    assert got[2][2:] == ([], [])
    # a last group whose text ends as a finished sentence is not taken on its neighbours' word
    finished = text.replace("推行服务承诺和", "推行服务承诺。")
    assert len(_fields(finished)) == 2


def test_a_dated_item_is_named_by_the_clause_that_opens_with_its_event() -> None:
    """ "6月1日至30日，结合…，继续巩固检查成果，由县安委办制定方案，牵头组织开展…大检查工作。": the first
    clause is no event; the clause opening with one names the dated item. An undated task keeps its first
    clause."""
    text = (
        "三、活动安排\n（一）6月1日至30日，结合汛期安全检查，继续巩固隐患排查成果，由县安委办制定方案，"
        "牵头组织开展安全生产月期间隐患大排查工作。\n责任单位：县安委办。\n"
        "（二）巩固无烟机关、无烟医院和无烟学校建设成果，推进控烟宣传进社区，举办控烟主题宣传活动。\n"
        "责任单位：县卫健局。\n"
    )
    got = _fields(text)
    assert got[0][:2] == ("牵头组织开展安全生产月期间隐患大排查工作", "6月1日至30日")
    assert got[1][0] == "巩固无烟机关、无烟医院和无烟学校建设成果"


def test_an_item_asking_for_an_activity_is_one() -> None:
    """ "请各县局组织开展…，并于…前报送总结": the notice asks for an activity, which is one; only items asking the
    reader to send something back are requests."""
    text = (
        "二、活动安排\n（一）请各县局组织开展计量进社区活动，并于5月30日前报送活动总结。\n"
        "（二）请于5月10日前报送本单位活动联系人。\n（三）举办计量开放日活动。\n"
    )
    names = [g[0] for g in _fields(text)]
    assert len(names) == 2 and names[0].startswith("请各县局组织开展计量进社区活动")
    assert names[1] == "举办计量开放日活动"


def test_a_sentence_over_thirty_characters_is_named_by_its_first_clause() -> None:
    """A finished sentence of 31–40 characters is named by its first clause, unless the next clause has a
    subject of its own (one activity shared), the first only names the directive carried out, or the comma
    stands inside a theme after a dash; a copy that stops inside the sentence keeps it whole."""
    text = (
        "二、主要活动\n（一）组织各乡镇、各部门组建安全宣讲小分队，深入企业和村组集中开展安全宣讲活动。\n"
        "（二）县局成立3个计量服务小分队，各监管所结合辖区实际分别成立1至2支服务小分队。\n"
        "（三）落实县委县政府的工作部署，以质量提升服务全县经济社会高质量发展大局。\n"
        "（四）在县政府网站宣传世界标准日——标准助力公平竞争，标准促进统一市场主题活动。\n"
    )
    assert [g[0] for g in _fields(text)] == [
        "组织各乡镇、各部门组建安全宣讲小分队",
        "县局成立3个计量服务小分队，各监管所结合辖区实际分别成立1至2支服务小分队",
        "落实县委县政府的工作部署，以质量提升服务全县经济社会高质量发展大局",
        "在县政府网站宣传世界标准日——标准助力公平竞争，标准促进统一市场主题活动",
    ]
    # the copy stops inside the last item's first sentence: its name is not known, the item is left out
    cut = "二、主要活动\n（一）举办计量知识竞赛。\n（二）各县局要积极与当地教育部门沟通协商，在搞好今年安全宣传的同"
    assert [g[0] for g in _fields(cut)] == ["举办计量知识竞赛"]


def test_a_heading_that_gives_a_period_passes_it_to_its_items() -> None:
    """ "（一）第一周为“宣传周”，开展以下活动：" over numbered items, or a phase line with its dates in a
    bracket before a flat list: the heading is no activity, its period is each item's time unless the item
    says its own."""
    text = (
        "三、活动内容\n（一）第一周为“普法宣传周”，主要开展以下活动：\n1.举办质量法规知识讲座。\n"
        "（二）第二周为“隐患排查周”，主要开展以下活动：\n1.组织开展电梯安全隐患排查。\n"
        "2.6月12日召开排查情况通报会。\n"
    )
    assert [(g[0], g[1]) for g in _fields(text)] == [
        ("举办质量法规知识讲座", "第一周"),
        ("组织开展电梯安全隐患排查", "第二周"),
        ("召开排查情况通报会", "6月12日"),
    ]
    flat = (
        "活动从3月1日开始。\n第二阶段为集中宣传阶段（3月5日至3月18日）\n重点开展以下工作：\n"
        "1、印发消费维权宣传手册。\n2、举办消费维权知识竞赛。\n"
    )
    assert [(g[0], g[1]) for g in _fields(flat)] == [
        ("印发消费维权宣传手册", "3月5日至3月18日"),
        ("举办消费维权知识竞赛", "3月5日至3月18日"),
    ]


def test_sub_label_headings_with_their_values_on_the_next_lines_describe_one_item() -> None:
    """ "（一）主会场活动" over "1.组织单位" / "主办：…" / "承办：…", "2.时间地点" / "5月20日（周五）上午9:00—10:30，在…",
    "3.出席人员" with its own （1）（2）: the numbered lines are labels of the item, not activities; 主办 and
    承办 both lead; the time runs to its clock range."""
    text = (
        "一、活动安排\n（一）主会场活动\n5月20日上午，省局在省会举办宣传日主会场活动。\n1.组织单位\n"
        "主办：省市场监督管理局\n承办：省计量测试研究院\n2.时间地点\n5月20日（周五）上午9:00—10:30，在省局报告厅。\n"
        "3.出席人员\n（1）主会场\n省局领导及各处室负责人。\n（2）分会场\n各市局分管负责人。\n"
        "（二）各地宣传活动\n各市局在宣传日前后组织开展宣传活动。\n"
    )
    got = _fields(text)
    assert [g[0] for g in got] == ["主会场活动", "各地宣传活动"]
    assert got[0][1] == "5月20日（周五）上午9:00—10:30"
    assert got[0][2] == ["省市场监督管理局", "省计量测试研究院"]


def test_a_quoted_day_followed_by_around_is_a_time() -> None:
    """ "在“世界计量日”前后组织开展…": the quoted day with 前后 is the item's time, its quotes kept."""
    text = "二、活动安排\n（一）各地宣传活动\n各市局在“世界计量日”前后组织开展系列宣传活动。\n（二）举办计量知识竞赛。\n"
    assert _fields(text)[0][1] == "“世界计量日”前后"


MANGLED_SHARED_PLAN = (
    "为做好本年度计量惠民宣传工作，推动诚信计量进市场进商户，切实保护群众切身利益，经局务会研究，结合"
    "我区实际，制定本方案，具体安排如下。-总体要求坚持问题导向，聚焦集贸市场、加油站和眼镜店等重点领域，"
    "强化计量监督检查，提升计量服务水平，营造诚信计量良好氛围，让群众买得放心、用得安心。二.工作内容（-）"
    "计量惠民服务方面1开展集贸市场计量器具免费检定。组织技术人员深入各集贸市场，对在用电子秤进行免费"
    "检定和校准，发现问题当场调修。（责任部门：计量科）2 .举办诚信计量示范商户评选活动，各街道推荐商户，"
    "经现场核查后公布名单。（责任部门：计量科、办公室）3 .开展加油机计量专项检查。由稽查队、计量科、"
    "区计量所联合组成检查组，对辖区加油站逐一开展检查，严厉查处计量作弊行为，切实维护消费者合法权益。"
)


def test_a_shared_page_with_dotted_and_dotless_numbers() -> None:
    """A shared copy whose numbering was mangled: "二.工作内容" after a full stop, "（-）" for （一）, the first
    item glued to its group heading without a dot ("方面1开展…"), the others written "2 ." with a space; the
    units that 联合组成 a team lead it (the team is no partner)."""
    pages = _page(MANGLED_SHARED_PLAN)
    text = "\n".join(
        ["《计量惠民方案》由会员分享，可在线阅读。", *(f"{i}、{p}" for i, p in enumerate(pages, 1))]
    )
    got = _fields(text)
    assert [g[0] for g in got] == [
        "开展集贸市场计量器具免费检定",
        "举办诚信计量示范商户评选活动",
        "开展加油机计量专项检查",
    ]
    assert got[0][2] == ["计量科"] and got[1][2] == ["计量科", "办公室"]
    assert got[2][2:] == (["稽查队", "计量科", "区计量所"], [])


def test_a_page_that_holds_only_the_annex_is_read_there() -> None:
    """The second page of a repost: contact lines, a bare "附件：" line, the signing bodies and the date, then
    the annex's items; the notice has no items before its annex, so the annex is read. "执行承办" is a kind
    of 承办; an event named by its 会 ("展会将…") is no unit."""
    text = (
        "联系人：某某\n电话：（略）\n附件：全省质量月主要活动安排\n省市场监督管理局\n省教育厅\n省科学技术协会\n"
        "2024年8月20日\n附件：\n全省质量月主要活动安排\n一、质量月启动仪式\n9月2日上午，在省会举行质量月启动仪式，"
        "有关部门负责同志出席。（省市场监督管理局、省教育厅主办，省质量协会承办，省广播电视台执行承办）\n"
        "二、质量成果展览会\n9月3日至5日，在省展览馆举办质量成果展览会。展会将集中展示质量提升成果，"
    )
    got = _fields(text)
    assert [(g[0], g[1]) for g in got] == [
        ("质量月启动仪式", "9月2日上午"),
        ("质量成果展览会", "9月3日至5日"),
    ]
    assert got[0][2] == ["省市场监督管理局", "省教育厅", "省质量协会", "省广播电视台"]
    assert got[1][2:] == ([], [])


def test_target_headings_over_one_task_each_are_judged_together() -> None:
    """A target list: "㈠ target" headings (the parenthesised-numeral characters), each over one numbered task
    followed by a "责任部门：" line; no section holds two tasks, so the tasks are judged together."""
    text = (
        "㈠农贸市场计量器具检定率达到95%以上。\n5、开展农贸市场计量器具强制检定。对在用电子秤逐台检定。\n"
        "责任部门：市计量所、各区市场监管局\n㈡加油站计量作弊行为得到有效遏制。\n"
        "6、加强加油机计量监督检查。每季度开展一次专项抽查。\n责任部门：市稽查支队\n"
        "㈢诚信计量示范单位达到50家以上。\n7、推进诚信计量示范单位创建。组织商户自愿申报。\n责任部门：市计量科\n"
    )
    got = _fields(text)
    assert [g[0] for g in got] == [
        "开展农贸市场计量器具强制检定",
        "加强加油机计量监督检查",
        "推进诚信计量示范单位创建",
    ]
    assert [g[2] for g in got] == [["市计量所", "各区市场监管局"], ["市稽查支队"], ["市计量科"]]


def test_a_phase_written_out_as_a_paragraph_is_one_activity() -> None:
    """ "第一阶段为筹备阶段（…）拟定方案，…" with no items of its own, before a later phase's list: the phase is
    one activity, named after it, with its bracketed period."""
    text = (
        "活动分两个阶段进行。\n第一阶段为筹备阶段（2月1日至2月20日）拟定活动方案，征求有关单位意见，召开协调会议研究部署。\n"
        "第二阶段为实施阶段（3月1日至3月15日）\n主要开展以下活动：\n1、召开消费维权新闻发布会。\n2、举办消费维权知识竞赛。\n"
    )
    assert [(g[0], g[1]) for g in _fields(text)] == [
        ("筹备阶段", "2月1日至2月20日"),
        ("召开消费维权新闻发布会", "3月1日至3月15日"),
        ("举办消费维权知识竞赛", "3月1日至3月15日"),
    ]


def test_the_units_among_those_attending_co_operate() -> None:
    """ "3、参加人员：市、区领导，各社区居委会、区卫生健康局。" under an item: the units it names co-operate; the
    leaders and the teams taking part are people, no units."""
    text = (
        "四、活动内容\n（一）举办食品安全知识讲座\n1、时间：6月10日上午\n2、地点：区文化馆\n"
        "3、参加人员：市、区领导，12支参赛队伍，各社区居委会、区卫生健康局。\n承办单位：区市场监管局。\n"
        "（二）开展食品安全进校园活动\n1、时间：6月12日\n承办单位：区教育局。\n"
    )
    got = _fields(text)
    assert got[0][2:] == (["区市场监管局"], ["各社区居委会", "区卫生健康局"])
    assert got[1][2:] == (["区教育局"], [])


def test_a_first_clause_listing_titles_names_a_long_sentence() -> None:
    """A task whose first clause is a run of 《…》 titles, over forty characters with them: the titles are names,
    so the clause is short enough to name the sentence; a plain first clause over forty keeps the sentence."""
    text = (
        "二、重点任务\n1.推动修订《某某省产品质量监督管理条例》《某某省标准化管理条例实施办法》《某某省计量监督规定》，"
        "推动制定《某某省检验检测机构管理办法》。（省局法规处负责）\n2.举办计量知识竞赛。（省局计量处负责）\n"
    )
    got = _fields(text)
    assert (
        got[0][0]
        == "推动修订《某某省产品质量监督管理条例》《某某省标准化管理条例实施办法》《某某省计量监督规定》"
    )
    assert got[0][2] == ["省局法规处"]


def test_items_announced_by_the_lead_paragraph_keep_their_parts() -> None:
    """A lead paragraph ending "具体活动安排如下：" then items "1、" … "3、", some holding parts "1)" "2)" on their
    own lines: the items are the activities, their parts describe them (even where only the parts say 开展)."""
    text = (
        "为迎接质量月，县质监站决定向公众开放实验室，具体活动安排如下：\n"
        "1、在县检测中心大楼开展以下活动：\n1)开放纺织品实验室；\n2)为市民免费检测眼镜。\n"
        "2、开放县计量站并为市民免费校准家用秤；\n"
        "3、在县标准馆开展以下活动：\n1)开展标准知识展览；\n2)开展咨询活动：如何读懂产品标签。\n"
    )
    assert [g[0] for g in _fields(text)] == [
        "在县检测中心大楼开展以下活动",
        "开放县计量站并为市民免费校准家用秤",
        "在县标准馆开展以下活动",
    ]


def test_a_purpose_and_a_who_and_when_clause_do_not_name_the_item() -> None:
    """ "为更好地服务群众，县计量站还将提前于5月18日下午的2:00-4:30，在县人民医院门诊楼设立免费检测点。": the purpose
    clause and the clause saying who and when come before the action; the clock's colons end no sentence."""
    text = (
        "二、活动安排\n（一）开放县计量站实验室，为市民免费检测眼镜。\n"
        "（二）为更好地服务城郊群众，县计量站还将提前于5月18日下午的2:00-4:30，在县人民医院门诊楼设立血压计免费检测点。\n"
    )
    assert _fields(text)[1][0] == "在县人民医院门诊楼设立血压计免费检测点"


def test_a_clock_spaced_out_like_the_date_is_kept_in_the_time() -> None:
    """ "定于 6 月 3 日下午 3 点，在…举行…": the numbers stand apart from their words, the clock's too."""
    text = "二、活动安排\n（一）召开座谈会。定于 6 月 3 日下午 3 点，在县局会议室召开消费维权座谈会。\n（二）举办培训。\n"
    assert _fields(text)[0][:2] == ("召开座谈会", "6月3日下午3点")


def test_a_list_headed_by_its_body_gives_its_tasks_that_unit() -> None:
    """A responsibility list issued for one body: its name on a line, the list's title, "…主要承担以下工作：",
    then the tasks; a task that names no unit of its own is led by that body."""
    text = (
        "某市2025年度产品质量工作责任清单\n某市区级人民政府\n2025年度产品质量工作责任清单\n"
        "2025年，区政府要落实质量强市部署，主要承担以下工作：\n"
        "1.开展重点产品质量抽查。全年抽查批次不少于500批。\n2.组织质量月宣传。（区教育局配合）\n"
    )
    got = _fields(text)
    assert [g[2] for g in got] == [["某市区级人民政府"], ["某市区级人民政府"]]
