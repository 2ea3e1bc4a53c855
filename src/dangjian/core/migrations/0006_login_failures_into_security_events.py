"""Failed sign-ins are audit data: the LoginFailure rows become security events (登录失败) and
the table goes; from now on core.authguard writes every failure to the security audit."""

from django.db import migrations


def copy_failures(apps, schema_editor):
    LoginFailure = apps.get_model("core", "LoginFailure")
    SecurityEvent = apps.get_model("core", "SecurityEvent")
    SecurityEvent._meta.get_field("at").auto_now_add = False  # keep each failure's own time
    batch = [
        SecurityEvent(
            at=failure.at,
            kind="login_failed",
            username=failure.username,
            ip=failure.ip,
            detail="密码错误（迁移自登录失败记录）",
        )
        for failure in LoginFailure.objects.order_by("id").iterator()
    ]
    SecurityEvent.objects.bulk_create(batch, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("core", "0005_api_tokens")]

    operations = [
        migrations.RunPython(copy_failures, migrations.RunPython.noop),
        migrations.DeleteModel(name="LoginFailure"),
    ]
