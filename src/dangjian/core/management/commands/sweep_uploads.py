"""List, and with --delete remove, uploaded files that no row refers to (orphans)."""

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from dangjian.core import rules, uploads


class Command(BaseCommand):
    help = (
        "列出上传目录中没有任何记录引用的文件（孤儿文件，如旧版本写入失败后留下的附件）；"
        "加 --delete 才会删除。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="删除列出的文件")
        parser.add_argument(
            "--older-than-hours",
            type=float,
            default=24,
            help="只处理早于此时长的文件（默认 24 小时，避开正在写入的上传）",
        )

    def handle(self, *args, delete, older_than_hours, **options):
        if older_than_hours < 0:
            raise CommandError("--older-than-hours 不能为负数。")
        found = uploads.orphans(older_than_seconds=older_than_hours * 3600)
        for name, _size in found:
            self.stdout.write(name)
            if delete:
                default_storage.delete(name)
        total = sum(size for _name, size in found)
        action = "已删除" if delete else "发现（未删除，加 --delete 删除）"
        self.stdout.write(f"{action}孤儿文件 {len(found)} 个，共 {rules.megabytes(total)}MB。")
