"""Create, update and resolve in-app reminders (待办) for what falls due, and remove expired
exports (core.jobs). Safe to run often."""

from django.core.management.base import BaseCommand, CommandError

from dangjian.core import jobs, reminders


class Command(BaseCommand):
    help = "扫描即将到期和已逾期的事项，生成站内待办提醒（可重复运行，不会产生重复提醒）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=reminders.DEFAULT_HORIZON_DAYS,
            help=f"提前多少天提醒（默认 {reminders.DEFAULT_HORIZON_DAYS}）",
        )

    def handle(self, *args, days, **options):
        if days < 0:
            raise CommandError("--days 不能为负数。")
        result = reminders.sweep(days=days)
        self.stdout.write(
            f"新增 {result.created}，更新 {result.updated}，重新打开 {result.reopened}，"
            f"已完成 {result.resolved}，未变 {result.unchanged}。"
        )
        swept = jobs.sweep()
        self.stdout.write(f"删除过期导出 {swept.expired}，记为超时失败 {swept.stale}。")
