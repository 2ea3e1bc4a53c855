"""The seeded grading standards' note cites its document by title (《组织建设年实施方案》), not by
the file number it was once kept under; a note the department has since edited is left as it is."""

from django.db import migrations

OLD = (
    "依据种子文件003 附件1“调查摸底”七个方面（60分）和“五个一”（40分）拟定；"
    "种子文件未给出附件2、3正文及分数线，可由党委组织部按实际调整。"
)
NEW = (
    "依据《组织建设年实施方案》附件1“调查摸底”七个方面（60分）和“五个一”（40分）拟定；"
    "该方案未给出附件2、3正文及分数线，可由党委组织部按实际调整。"
)


def forwards(apps, schema_editor):
    apps.get_model("branches", "GradingStandard").objects.filter(note=OLD).update(note=NEW)


class Migration(migrations.Migration):
    dependencies = [("branches", "0004_document_titles")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
