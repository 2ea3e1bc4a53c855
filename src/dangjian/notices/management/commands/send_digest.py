"""Send each user the daily e-mail digest of their unread notices and new reminders. Idempotent
per user and day (notices.DigestSent): running it twice sends nothing more."""

from django.core.management.base import BaseCommand

from dangjian.notices import services


class Command(BaseCommand):
    help = "发送每日邮件摘要（未读通知和新的待办提醒）；同一用户每天只发一次，可重复运行。"

    def handle(self, *args, **options):
        result = services.send_digests()
        self.stdout.write(
            f"已发送 {result.sent}，今天已发过 {result.already_sent}，"
            f"无电子邮箱跳过 {result.no_email}，已关闭摘要 {result.opted_out}，"
            f"没有新消息 {result.nothing_new}，发送失败 {result.failed}。"
        )
        for error in result.errors[:20]:
            self.stderr.write(error)
