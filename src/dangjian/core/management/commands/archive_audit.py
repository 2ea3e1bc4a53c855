"""Archive audit rows older than the retention period, then delete them (never without a
verified archive). Run it from a timer, e.g. monthly."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dangjian.core.audit_archive import MIN_RETENTION_DAYS, ArchiveError, archive


class Command(BaseCommand):
    help = (
        "把超过保存期限（AUDIT_RETENTION_DAYS）的操作记录和安全审计记录写入压缩归档文件，"
        "校验后再从数据库删除。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"保存天数（默认取 AUDIT_RETENTION_DAYS，不少于 {MIN_RETENTION_DAYS}）",
        )

    def handle(self, *args, days, **options):
        try:
            result = archive(retention_days=days)
        except ArchiveError as exc:
            raise CommandError(f"归档失败，未删除任何记录：{exc}") from exc
        if not result.total:
            self.stdout.write(f"没有早于 {result.cutoff:%Y-%m-%d} 的审计记录，无需归档。")
            return
        counts = "，".join(f"{label} {n} 条" for label, n in result.counts.items())
        self.stdout.write(
            f"已归档并删除 {counts}：{result.path}（SHA-256 {result.sha256}），"
            f"清单 {result.manifest_path}。归档目录：{settings.AUDIT_ARCHIVE_DIR}"
        )
