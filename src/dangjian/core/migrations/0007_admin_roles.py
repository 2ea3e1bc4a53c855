from django.db import migrations, models


def superusers_are_system_administrators(apps, schema_editor):
    apps.get_model("core", "User").objects.filter(is_superuser=True, admin_role="").update(
        admin_role="system"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_login_failures_into_security_events"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="admin_role",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "无"),
                    ("system", "系统管理员"),
                    ("security", "安全管理员"),
                    ("audit", "审计管理员"),
                ],
                default="",
                help_text="三员分立：系统管理员管理账号和配置；安全管理员管理安全设置并查看安全审计；"
                "审计管理员只能查阅审计日志，不能访问其他任何页面。",
                max_length=16,
                verbose_name="管理员角色",
            ),
        ),
        migrations.RunPython(superusers_are_system_administrators, migrations.RunPython.noop),
    ]
