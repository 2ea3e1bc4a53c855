from django.db import migrations, models

# Item 10 of the seeded score sheet (按规定缴纳党费, 看清单) now shows what the dues records say.
ITEM_10 = "按规定缴纳党费"


def item_10_reads_dues(apps, schema_editor):
    apps.get_model("assessment", "Item").objects.filter(
        number=10, content__startswith=ITEM_10, reference=""
    ).update(reference="dues")


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0007_item_reference_members_away"),
        ("finance", "0001_initial"),
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
                ],
                default="",
                help_text="评分时显示系统记录的参考数据。",
                max_length=20,
                verbose_name="参考数据",
            ),
        ),
        migrations.RunPython(item_10_reads_dues, migrations.RunPython.noop),
    ]
