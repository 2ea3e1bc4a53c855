"""Restore a backup archive: every checksum checked first, then database and files, verified."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dangjian.core.backup import BackupError, restore_backup
from dangjian.core.management.commands.backup import size


class Command(BaseCommand):
    help = (
        "从备份文件恢复数据库和上传文件：先核对全部校验值，恢复后核对行数和文件校验值。"
        "数据库不是空的时拒绝恢复（除非加 --force）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="备份文件（.tar.gz，旁边须有 .sha256 校验文件）")
        parser.add_argument(
            "--force",
            action="store_true",
            help="数据库或上传文件目录不是空的也恢复：替换全部数据（原有上传文件移到旁边保留）",
        )

    def handle(self, *args, archive, force=False, **options):
        try:
            result = restore_backup(Path(archive), force=force, log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if result.moved_aside:
            self.stdout.write(f"原有上传文件已移到：{result.moved_aside}")
        for note in result.notes:
            self.stdout.write(f"注意：{note}")
        if result.mismatches:
            raise CommandError("恢复后核对不一致：\n" + "\n".join(result.mismatches[:50]))
        self.stdout.write(
            f"恢复完成，核对一致：{result.vendor} 数据库 {result.tables} 张表，"
            f"共 {result.rows:,} 行；"
            f"上传文件 {result.media_files:,} 个（{size(result.media_size)}）。"
        )
