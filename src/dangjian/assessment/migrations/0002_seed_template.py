"""The default score sheet: 《基层组织建设实施意见》附件
《重庆工业职业技术学院基层党支部工作目标管理考核评分表》, exactly as the seed prints it (texts,
points, scoring elements, methods): six first-level indicators, twenty items, 25 + 35 + 15 + 15 + 10
= 100 base points, items 17–20 bonus points. Grades from 考核办法 二, the veto from 考核办法 六(二);
the seed sets no cap on bonus points."""

from django.db import migrations

NAME = "基层党支部工作目标管理考核评分表"
NOTE = (
    "种子文件004 附件《党支部工作目标管理考核办法（试行）》所附考核评分表：6项一级指标、20项二级指标，"
    "基本分100分，第17～20项为附加分。考核等级：90分及以上为优秀，75—89分为良好，60—74分为合格，"
    "60分以下为不合格；支部党员因违纪违法而受到处分的，不论得分高低，均为不合格支部。"
)
BANDS = [[90, "优秀"], [75, "良好"], [60, "合格"]]
VETO = ["支部党员因违纪违法而受到处分的，不论得分高低，均为不合格支部。"]

# [[option, points per 项], …]: a list keeps the seed's order (jsonb does not keep key order)
LEVELS = [["国家级", 3], ["省部级", 2], ["区级", 1], ["校级", 0.5]]


def e(*pairs):
    return [{"name": name, "points": points} for name, points in pairs]


# (order, name, points, is_bonus, items); item: (number, content, points, elements, methods,
# bonus_rule, reference)
SHEET = [
    (
        1,
        "支部建设",
        25,
        False,
        [
            (1, "班子健全，分工明确，定期改选。", 5, e(("健全", 2), ("分工", 2), ("改选", 1)), "听汇报、看材料", [], ""),
            (
                2,
                "参与本单位行政重要问题的讨论和决策，积极支持行政负责人的工作。",
                5,
                e(("参与", 3), ("支持", 2)),
                "听汇报、看材料",
                [],
                "",
            ),
            (3, "年初有计划,年末有总结。", 5, e(("计划", 2), ("总结", 3)), "看材料", [], ""),
            (4, "坚持党务公开制度。", 5, e(("坚持", 2), ("记录", 3)), "听汇报、查记录", [], ""),
            (5, "经费有保障，场地有落实。", 5, e(("保障", 3), ("落实", 2)), "听汇报、查记录", [], ""),
        ],
    ),
    (
        2,
        "党员教育管理",
        35,
        False,
        [
            (
                6,
                "坚持组织党员参加教育活动，教职工累计不少于24学时/年（其中廉政教育学时不少于4学时），"
                "学生累计不少于16学时/年。",
                10,
                e(("坚持", 2), ("记录", 8)),
                "听汇报、看材料",
                [],
                "education_hours",
            ),
            (
                7,
                "坚持“三会一课”、民主评议等制度。（每月召开1次组织生活会、每期上1次党课、"
                "每年召开1次民主生活会、每月召开1次党支部委员会、每学期开展1次党日活动、"
                "每半年召开1次师生员工座谈会、每半年认真分析1次师生员工的思想状况、"
                "每半年对入党积极分子进行1次全面考察分析）",
                10,
                e(("坚持", 2), ("记录", 8)),
                "听汇报、查记录",
                [],
                "org_life",
            ),
            (8, "加强对流动党员管理，建立档案，保持联系。", 3, e(("建档", 1), ("联系", 2)), "听汇报、看材料", [], ""),
            (
                9,
                "党员积极联系群众和为群众服务，帮助群众解决实际困难。",
                10,
                e(("联系", 2), ("效果", 8)),
                "座谈、看材料",
                [],
                "",
            ),
            (10, "按规定缴纳党费", 2, [], "看清单", [], ""),
        ],
    ),
    (
        3,
        "党员发展工作",
        15,
        False,
        [
            (
                11,
                "建立入党积极分子联系人制度，积极培养入党积极分子。",
                5,
                e(("制度", 2), ("培养", 3)),
                "听汇报、看材料",
                [],
                "",
            ),
            (
                12,
                "坚持党员发展标准，程序规范，手续完备，材料齐全，发展党员质量好。",
                5,
                e(("标准", 1), ("程序", 1), ("手续", 1), ("材料", 1), ("质量", 1)),
                "听汇报",
                [],
                "",
            ),
            (
                13,
                "及时做好预备党员教育、考察及转正工作。",
                5,
                e(("考察", 2), ("材料", 3)),
                "听汇报、看材料",
                [],
                "",
            ),
        ],
    ),
    (
        4,
        "党员作用",
        15,
        False,
        [
            (
                14,
                "党员关心集体，爱岗敬业，遵守纪律、廉洁奉公，团结合作。",
                5,
                e(("带头", 2), ("效果", 3)),
                "座谈、看材料",
                [],
                "",
            ),
            (
                15,
                "教职工党员坚持开展教书、管理、服务育人活动，学生党员坚持开展自我教育、管理、服务活动。",
                10,
                e(("坚持", 2), ("效果", 8)),
                "座谈、看材料",
                [],
                "",
            ),
        ],
    ),
    (
        5,
        "群众满意度",
        10,
        False,
        [
            (16, "对党支部工作进行满意度测评", 10, e(("根据测评结果给分", None)), "", [], "satisfaction"),
        ],
    ),
    (
        6,
        "党支部工作特色",
        None,
        True,
        [
            (
                17,
                "本支部或下属部门受到上级表彰,国家级3分/项，省部级2分/项，区级1分/项, 校级0.5分/项。",
                None,
                [],
                "看材料",
                LEVELS,
                "",
            ),
            (
                18,
                "党员先进事迹经新闻媒体报道 国家级3分/项，省部级2分/项。区级1分/项，校级0.5分/项。",
                None,
                [],
                "看材料",
                LEVELS,
                "",
            ),
            (
                19,
                "支部先进工作经验在一定范围内有推广价值的每项加1分。",
                None,
                [],
                "看材料",
                [["有推广价值的先进工作经验", 1]],
                "",
            ),
            (
                20,
                "在公开发行的报刊或学院及以上思想政治工作研讨会上发表党建工作方面的论文加1分,"
                "获奖另加1分；立项校级及以上党建课题的，加2分。",
                None,
                [],
                "看材料",
                [["公开发表论文", 1], ["论文获奖", 1], ["校级及以上党建课题立项", 2]],
                "",
            ),
        ],
    ),
]


def seed(apps, schema_editor):
    Template = apps.get_model("assessment", "ScoreSheetTemplate")
    Indicator = apps.get_model("assessment", "Indicator")
    Item = apps.get_model("assessment", "Item")
    if Template.objects.filter(name=NAME).exists():
        return
    template = Template.objects.create(
        name=NAME, note=NOTE, bands=BANDS, veto_rules=VETO, bonus_cap=None, is_active=True
    )
    for order, name, points, is_bonus, items in SHEET:
        indicator = Indicator.objects.create(
            template=template, order=order, name=name, points=points, is_bonus=is_bonus
        )
        Item.objects.bulk_create(
            Item(
                indicator=indicator,
                number=number,
                content=content,
                points=item_points,
                elements=elements,
                methods=methods,
                bonus_rule=bonus_rule,
                reference=reference,
            )
            for number, content, item_points, elements, methods, bonus_rule, reference in items
        )


def unseed(apps, schema_editor):
    Template = apps.get_model("assessment", "ScoreSheetTemplate")
    Template.objects.filter(name=NAME, rounds__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
