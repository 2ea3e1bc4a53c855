"""The default grading standards (分类定级评分参考标准) of 《组织建设年实施方案》附件2 (教师党支部)
and 附件3 (学生党支部).

The seed lists the annexes but not their text. These standards are built from what the seed does
say: the seven points the survey checks (附件1 二(二): 组织设置是否合理、支部班子是否健全、组织制度
是否完善、发展思路是否清晰、活动开展是否正常、作用发挥是否充分、经费场所保障是否落实) — 60 points —
and the “五个一” (附件1 一, 三: 一个好的带头人、一个好的发展思路、一个好的工作制度、
一个好的活动阵地、一个好的保障机制) — 40 points. The guidance quotes the seeds where they give a
measure (《组织建设年实施方案》 and 《基层组织建设实施意见》§四). The score bands (90/75/60) are
this system's proposal: the seed gives none. The organisation department edits everything on the
standards page.
"""

from django.db import migrations

NOTE = (
    "依据种子文件003 附件1“调查摸底”七个方面（60分）和“五个一”（40分）拟定；"
    "种子文件未给出附件2、3正文及分数线，可由党委组织部按实际调整。"
)
BANDS = [[90, "先进"], [75, "较好"], [60, "一般"]]

# (group, name, points, staff guidance, student guidance)
CRITERIA = [
    (
        "survey",
        "组织设置是否合理",
        8,
        "按专业（教研室）、机关业务单位设置党支部，有利于开展活动和发挥作用；党小组划分合理，"
        "离退休党员按居住地编组；外出、流动党员纳入组织管理、参加党内生活。",
        "按学院、年级、专业设置学生党支部，推动本科生党支部建在班上（比例达到55%以上），"
        "“低年级有党员、高年级有支部”；实习学生按实习单位编组，流动党员纳入组织管理。",
    ),
    (
        "survey",
        "支部班子是否健全",
        10,
        "书记、委员配备齐全（正式党员7人以上设支部委员会），分工明确、按期换届；"
        "书记由学科（专业）带头人、教学科研管理骨干担任，新任书记半年内完成任职培训。",
        "书记由辅导员或教师党员担任，高年级学生党员担任委员，配备齐全、分工明确、按期换届；"
        "新任书记半年内完成任职培训。",
    ),
    (
        "survey",
        "组织制度是否完善",
        8,
        "落实“三会一课”、党员发展、民主评议党员、党员党性定期分析、党员教育培训、"
        "党支部目标管理、党内监督和党务公开等制度，会议和活动记录完整。",
        "落实“三会一课”、推优入党、发展党员公示、预备党员考察、民主评议党员等制度，"
        "党支部活动记录册按学期上交，记录完整。",
    ),
    (
        "survey",
        "发展思路是否清晰",
        8,
        "围绕人才培养、科学研究、社会服务、文化传承创新和本单位中心工作制定年度工作计划，"
        "3月29日前制定本支部活动开展计划。",
        "围绕学风建设、学生成长成才和服务同学制定年度工作计划，"
        "3月29日前制定本支部活动开展计划。",
    ),
    (
        "survey",
        "活动开展是否正常",
        10,
        "每月至少1次组织生活，每次不少于2小时；按时召开支部委员会、党员大会，讲党课、开展主题党日；"
        "党员每年学习不少于24学时。",
        "每月不少于2次组织生活，每次不少于2小时；按时召开支部委员会、党员大会，讲党课、开展主题党日；"
        "学生党员每年学习不少于16学时。",
    ),
    (
        "survey",
        "作用发挥是否充分",
        10,
        "党员在教学科研、管理服务岗位上设岗定责、亮岗履职、公开承诺；每名党员联系1～3名群众；"
        "群众评议满意。",
        "学生党员在学习、学风、宿舍和志愿服务中发挥示范作用（政策宣传岗、学习互助岗、文明监督岗）；"
        "成绩和表现受到同学认可。",
    ),
    (
        "survey",
        "经费场所保障是否落实",
        6,
        "活动经费落实、管理规范（在职教职工党员每人每年不少于100元）；"
        "有相对固定的活动场所，活动室面积不少于20平方米。",
        "活动经费落实、管理规范（学生党员每人每年不少于50元）；"
        "有相对固定的活动场所，活动室面积不少于20平方米。",
    ),
    (
        "five",
        "一个好的带头人",
        10,
        "书记政治坚定、实绩突出、作风过硬、师生信任，参与本单位重要事项的讨论和决定，"
        "履行抓基层党建第一责任人职责；每半年参加一次集中培训。",
        "书记政治坚定、熟悉学生工作、作风过硬、同学信任，履行第一责任人职责；"
        "每半年参加一次集中培训。",
    ),
    (
        "five",
        "一个好的发展思路",
        8,
        "思路符合学校办学方针和年度重点工作，经广泛征求意见、集体讨论形成，目标清楚、措施具体。",
        "思路贴近学生实际和需求，经征求党员和同学意见、集体讨论形成，目标清楚、措施具体。",
    ),
    (
        "five",
        "一个好的工作制度",
        8,
        "至少建立一项务实管用的制度，公开承诺、领导点评、群众评议、定期反馈等做法规范化、长效化。",
        "至少建立一项务实管用的制度（如学生党员示范岗、结对帮扶、宿舍联系），规范化、长效化。",
    ),
    (
        "five",
        "一个好的活动阵地",
        7,
        "活动场所建设和使用情况良好，配备必要的活动条件，有党务公开栏或网上阵地。",
        "有相对固定的活动场所，利用宿舍、社团、网络等建立学生党员活动阵地。",
    ),
    (
        "five",
        "一个好的保障机制",
        7,
        "活动经费合理有效使用；建立教育、管理、服务党员的长效机制和关怀、帮扶机制。",
        "活动经费合理有效使用；建立学生党员教育管理、毕业生党员组织关系转接和关怀帮扶机制。",
    ),
]

STANDARDS = [
    ("staff", "教师党支部分类定级评分参考标准", 3),
    ("student", "学生党支部分类定级评分参考标准", 4),
]


def seed(apps, schema_editor):
    GradingStandard = apps.get_model("branches", "GradingStandard")
    Criterion = apps.get_model("branches", "Criterion")
    for applies_to, name, guidance_index in STANDARDS:
        standard, created = GradingStandard.objects.get_or_create(
            applies_to=applies_to,
            is_active=True,
            defaults={"name": name, "bands": BANDS, "note": NOTE},
        )
        if not created:
            continue
        Criterion.objects.bulk_create(
            Criterion(
                standard=standard,
                order=order,
                group=row[0],
                name=row[1],
                points=row[2],
                guidance=row[guidance_index],
            )
            for order, row in enumerate(CRITERIA, start=1)
        )


def unseed(apps, schema_editor):
    GradingStandard = apps.get_model("branches", "GradingStandard")
    GradingStandard.objects.filter(name__in=[name for _a, name, _i in STANDARDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("branches", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
