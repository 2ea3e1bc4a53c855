"""Audit rows are append-only. In Django: a manager whose update()/delete() refuse (set as the
base manager). On PostgreSQL also a trigger on both tables that raises on UPDATE and DELETE,
except
  - DELETE inside a transaction of `dangjian archive_audit`, which first runs
    SET LOCAL dangjian.audit_archive = 'on' (after writing and verifying the archive file);
  - the UPDATE that only sets the user column to NULL (an account was deleted: on_delete
    SET_NULL; a security event keeps the user name)."""

from django.db import migrations

TABLES = (("core_auditevent", "actor_id"), ("core_securityevent", "user_id"))

FUNCTION = """
CREATE OR REPLACE FUNCTION dangjian_audit_append_only() RETURNS trigger AS $$
DECLARE
    account text := TG_ARGV[0];
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF current_setting('dangjian.audit_archive', true) = 'on' THEN
            RETURN OLD;
        END IF;
    ELSIF TG_OP = 'UPDATE' THEN
        IF (to_jsonb(NEW) ->> account) IS NULL
           AND (to_jsonb(NEW) - account) = (to_jsonb(OLD) - account) THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'dangjian: % rows are append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table, account in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION dangjian_audit_append_only('{account}')"
        )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, _account in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS dangjian_audit_append_only()")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_admin_roles"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="auditevent",
            options={
                "base_manager_name": "objects",
                "ordering": ["-at", "-id"],
                "verbose_name": "操作记录",
                "verbose_name_plural": "操作记录",
            },
        ),
        migrations.AlterModelOptions(
            name="securityevent",
            options={
                "base_manager_name": "objects",
                "ordering": ["-at", "-id"],
                "verbose_name": "安全审计记录",
                "verbose_name_plural": "安全审计记录",
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
