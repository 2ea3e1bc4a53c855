from django.db import migrations, models

# Item 1 of the seeded score sheet (班子健全，分工明确，定期改选) now shows what the elections
# records say (the committee's term and its re-election).
ITEM_1 = "班子健全"


def item_1_reads_elections(apps, schema_editor):
    apps.get_model("assessment", "Item").objects.filter(
        number=1, content__startswith=ITEM_1, reference=""
    ).update(reference="reelection")


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0008_item_reference_dues"),
        ("elections", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="item",
            name="reference",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "—"),
                    ("education_hours", "党员教育学时"),
                    ("org_life", "组织生活落实"),
                    ("satisfaction", "群众满意度测评"),
                    ("members_away", "流动党员管理"),
                    ("dues", "党费收缴"),
                    ("reelection", "定期改选（换届选举）"),
                ],
                default="",
                help_text="评分时显示系统记录的参考数据。",
                max_length=20,
                verbose_name="参考数据",
            ),
        ),
        migrations.RunPython(item_1_reads_elections, migrations.RunPython.noop),
    ]
