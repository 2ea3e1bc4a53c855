"""Back up the database and the uploaded files into one archive with a manifest and checksums."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dangjian.core.backup import BackupError, create_backup


def size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,} B" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1024
    return ""


class Command(BaseCommand):
    help = (
        "备份数据库和上传文件到一个 .tar.gz 备份文件（含 manifest.json 清单），"
        "并在旁边写出 .sha256 校验文件。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=None,
            help=f"备份目录（默认 DANGJIAN_BACKUP_DIR，即 {settings.BACKUP_DIR}）",
        )

    def handle(self, *args, output=None, **options):
        try:
            result = create_backup(Path(output or settings.BACKUP_DIR))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for name in result.missing_files:
            self.stderr.write(f"注意：文件在备份过程中被删除，未备份：{name}")
        self.stdout.write(
            f"备份已写入：{result.archive}（{size(result.archive_size)}）\n"
            f"校验文件：{result.checksum_file}\n"
            f"数据库 {size(result.database_size)}，共 {result.rows:,} 行；"
            f"上传文件 {result.media_files:,} 个，{size(result.media_size)}。"
        )
