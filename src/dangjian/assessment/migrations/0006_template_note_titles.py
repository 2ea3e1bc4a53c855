"""The seeded score sheet's note cites its document by title (《支部考核办法》), not by the file
number it was once kept under; a note the department has since edited is left as it is."""

from django.db import migrations

OLD = "种子文件004 附件《党支部工作目标管理考核办法（试行）》所附考核评分表："
NEW = "《基层组织建设实施意见》附件《党支部工作目标管理考核办法（试行）》所附考核评分表："


def forwards(apps, schema_editor):
    Template = apps.get_model("assessment", "ScoreSheetTemplate")
    for template in Template.objects.filter(note__startswith=OLD):
        template.note = NEW + template.note[len(OLD) :]
        template.save(update_fields=["note"])


class Migration(migrations.Migration):
    dependencies = [("assessment", "0005_document_titles")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
