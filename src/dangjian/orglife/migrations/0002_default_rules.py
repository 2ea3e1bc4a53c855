"""The default frequency rules of organisational life (《基层组织建设实施意见》§四(二)3 and score
item 7).

Which meeting kinds count as a branch's “组织生活” (《基层组织建设实施意见》§四(二)3(2):
学生党支部每月不少于二次组织生活 ... 每次组织生活不少于2个小时): the seed names “三会一课”、
组织生活会 as the basic forms of organisational life (§四(二)3 preamble: 严格遵守“三会一课”、
组织生活会 ... 等基本制度), and score item 7 adds the Party day. So 党员大会, 党小组会, 党课,
主题党日 and 组织生活会 count. The branch committee meeting (支部委员会) is a meeting of the
committee, not of the members, and has its own monthly rule (§四(二)3(3)); it does not count as
organisational life. The department can change every rule on the rules page.
"""

from django.db import migrations

ORG_LIFE_KINDS = ["general", "group", "lecture", "party_day", "org_life"]
GB_SOURCE = "种子文件004 §四(二)3(1)"
BRANCH_SOURCE = "种子文件004 §四(二)3(2)"

# (name, org_kind, branch_category, kinds, period, min_count, min_minutes, include_subtree, source)
RULES = [
    # general branches: 每次活动不得少于1个小时
    ("干部民主生活会", "general_branch", "", ["democratic_life"], "year", 1, 60, False, GB_SOURCE),
    ("党课", "general_branch", "", ["lecture"], "half_year", 1, 60, False, GB_SOURCE),
    ("党支部委员会（总支委员会）", "general_branch", "", ["committee"], "month", 1, 60, False, GB_SOURCE),
    ("党日活动", "general_branch", "", ["party_day"], "semester", 1, 60, False, GB_SOURCE),
    ("师生员工座谈会", "general_branch", "", ["forum"], "half_year", 1, 60, True, GB_SOURCE),
    ("师生员工思想状况分析", "general_branch", "", ["thought_analysis"], "half_year", 1, 60, False, GB_SOURCE),
    ("入党积极分子考察分析", "general_branch", "", ["activist_review"], "half_year", 1, 60, False, GB_SOURCE),
    # branches: 每次组织生活不少于2个小时
    ("学生党支部组织生活", "branch", "student", ORG_LIFE_KINDS, "month", 2, 120, False, BRANCH_SOURCE),
    ("教工党支部组织生活", "branch", "staff", ORG_LIFE_KINDS, "month", 1, 120, False, BRANCH_SOURCE),
    # 机关支部 are branches of in-service staff (在职教职工党支部)
    ("机关党支部组织生活", "branch", "organ", ORG_LIFE_KINDS, "month", 1, 120, False, BRANCH_SOURCE),
    ("离退休党支部组织生活", "branch", "retiree", ORG_LIFE_KINDS, "month", 1, 120, False, BRANCH_SOURCE),
    ("党支部委员会", "branch", "", ["committee"], "month", 1, 0, False, "种子文件004 §四(二)3(3)"),
    ("支部民主生活会（组织生活会）", "branch", "", ["democratic_life", "org_life"], "year", 1, 0, False, "种子文件004 §四(二)3(4)"),
    ("党课", "branch", "", ["lecture"], "semester", 1, 0, False, "种子文件004 评分表第7项"),
    ("主题党日", "branch", "", ["party_day"], "semester", 1, 0, False, "种子文件004 评分表第7项"),
]


def seed(apps, schema_editor):
    FrequencyRule = apps.get_model("orglife", "FrequencyRule")
    for order, (name, org_kind, category, kinds, period, count, minutes, subtree, source) in enumerate(
        RULES, start=1
    ):
        FrequencyRule.objects.get_or_create(
            name=name,
            org_kind=org_kind,
            branch_category=category,
            defaults={
                "kinds": kinds,
                "period": period,
                "min_count": count,
                "min_minutes": minutes,
                "include_subtree": subtree,
                "source": source,
                "display_order": order * 10,
            },
        )


def unseed(apps, schema_editor):
    FrequencyRule = apps.get_model("orglife", "FrequencyRule")
    for name, org_kind, category, *_rest in RULES:
        FrequencyRule.objects.filter(name=name, org_kind=org_kind, branch_category=category).delete()


class Migration(migrations.Migration):
    dependencies = [("orglife", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
