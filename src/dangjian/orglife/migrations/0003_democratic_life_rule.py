"""The branch's yearly 民主生活会 rule counted the monthly 组织生活会 too, so a branch with its
monthly meetings read “20/1”. 《基层组织建设实施意见》§四(二)3(4) (一般每年至少召开一次党支部民主生
活会) and score item 7 (每月召开1次组织生活会 … 每年召开1次民主生活会) name two different meetings:
the yearly rule now counts 民主生活会 only. Sources are cited by the document's title and article.
A rule the department has already changed is left as it is."""

from django.db import migrations

SEED = "《关于加强和改进党的基层组织建设的实施意见》"
SHEET = "《党支部工作目标管理考核评分表》"
SOURCES = {
    "种子文件004 §四(二)3(1)": f"{SEED}四(二)3(1)",
    "种子文件004 §四(二)3(2)": f"{SEED}四(二)3(2)",
    "种子文件004 §四(二)3(3)": f"{SEED}四(二)3(3)",
    "种子文件004 §四(二)3(4)": f"{SEED}四(二)3(4)",
    "种子文件004 评分表第7项": f"{SHEET}第7项",
}


def forward(apps, schema_editor):
    FrequencyRule = apps.get_model("orglife", "FrequencyRule")
    for rule in FrequencyRule.objects.filter(
        name="支部民主生活会（组织生活会）", org_kind="branch", branch_category=""
    ):
        if sorted(rule.kinds) == ["democratic_life", "org_life"]:
            rule.name = "支部民主生活会"
            rule.kinds = ["democratic_life"]
            rule.save(update_fields=["name", "kinds"])
    for old, new in SOURCES.items():
        FrequencyRule.objects.filter(source=old).update(source=new)


def backward(apps, schema_editor):
    FrequencyRule = apps.get_model("orglife", "FrequencyRule")
    for old, new in SOURCES.items():
        FrequencyRule.objects.filter(source=new).update(source=old)
    FrequencyRule.objects.filter(
        name="支部民主生活会", org_kind="branch", branch_category="", kinds=["democratic_life"]
    ).update(name="支部民主生活会（组织生活会）", kinds=["democratic_life", "org_life"])


class Migration(migrations.Migration):
    dependencies = [("orglife", "0002_default_rules")]

    operations = [migrations.RunPython(forward, backward)]
