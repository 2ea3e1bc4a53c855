"""Rebuild the people counts (org.models.PeopleCount) from the people: a repair, idempotent."""

from django.core.management.base import BaseCommand

from dangjian.org import counts


class Command(BaseCommand):
    help = "按人员数据重新统计各党组织的人数（人数统计表的修复命令，可重复执行）"

    def handle(self, *args, **options):
        corrected = counts.rebuild()
        rows = len(counts.stored())
        if corrected:
            self.stdout.write(
                self.style.WARNING(
                    f"已重新统计：{rows:,} 行，其中 {corrected:,} 行与原统计不符，已更正。"
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"已重新统计：{rows:,} 行，与原统计一致。"))
