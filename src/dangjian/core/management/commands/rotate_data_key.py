"""dangjian rotate_data_key: re-encrypt every encrypted value under the current data key.

Run after putting a new key first in DANGJIAN_DATA_KEYS (or changing DANGJIAN_CRYPTO_ALGORITHM,
or DANGJIAN_HASH_KEY). Rows already under the current key and algorithm with a current hash are
left alone, so the command is idempotent and can be resumed after an interruption. Batches are
separate transactions. Once it reports nothing left, the old key can be removed from the list.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from dangjian.core import crypto, security_log
from dangjian.core.models import SecurityEvent


class Command(BaseCommand):
    help = "用当前数据密钥重新加密全部加密字段（身份证号、手机号等），并重算摘要。可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000, help="每批行数（默认1000）")

    def handle(self, *args, batch_size: int, **options):
        ring = crypto.keyring()
        total = 0
        for model in apps.get_models():
            fields = crypto.encrypted_fields(model)
            if not fields:
                continue
            changed = rotate_model(model, fields, batch_size)
            total += changed
            self.stdout.write(f"{model._meta.label}: 重新加密 {changed} 行")
        detail = f"数据密钥轮换：当前密钥 {ring.current}（{ring.algorithm}），重新加密 {total} 行"
        security_log.record(SecurityEvent.Kind.SETTING, username="rotate_data_key", detail=detail)
        self.stdout.write(self.style.SUCCESS(detail))


def rotate_model(model, fields, batch_size: int) -> int:
    """Re-encrypt the rows of `model` not under the current key (or with a stale hash)."""
    quote = connection.ops.quote_name
    meta = model._meta
    hash_names = [f.hash_field for f in fields if f.hash_field]
    columns = [meta.pk.column, *(f.column for f in fields)]
    columns += [meta.get_field(name).column for name in hash_names]
    sql = (
        f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(meta.db_table)} "
        f"WHERE {quote(meta.pk.column)} > %s ORDER BY {quote(meta.pk.column)} LIMIT %s"
    )
    changed = 0
    last = 0
    while True:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [last, batch_size])
                rows = cursor.fetchall()
            if not rows:
                return changed
            last = rows[-1][0]
            stale = []
            for row in rows:
                names = [f.attname for f in fields]
                stored = dict(zip(names, row[1 : 1 + len(fields)], strict=True))
                hashes = dict(zip(hash_names, row[1 + len(fields) :], strict=True))
                obj = model(pk=row[0])
                needs = False
                for field in fields:
                    raw = stored[field.attname]
                    plain = field.from_db_value(raw, None, connection)
                    setattr(obj, field.attname, plain)
                    if raw and not crypto.is_current(raw):
                        needs = True
                    if field.hash_field and hashes[field.hash_field] != crypto.keyed_hash(plain):
                        needs = True
                if needs:
                    stale.append(obj)
            if stale:
                model._base_manager.bulk_update(
                    stale, [f.attname for f in fields] + hash_names, batch_size=batch_size
                )
                changed += len(stale)
