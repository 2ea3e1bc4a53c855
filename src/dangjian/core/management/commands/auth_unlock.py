"""Lift the sign-in locks of a user name (and of an address).

dangjian auth_unlock NAME [--address IP]
"""

from django.core.management.base import BaseCommand

from dangjian.core import authguard, security_log
from dangjian.core.models import SecurityEvent


class Command(BaseCommand):
    help = "解除用户名（及来源地址）的登录锁定"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--address", default="", help="同时解除该来源地址的锁定")

    def handle(self, *args, username, address, **options):
        authguard.reset(username, address)
        where = f"及地址 {address} " if address else ""
        security_log.record(
            SecurityEvent.Kind.ACCOUNT, username=username, detail=f"管理员解除登录锁定{where}"
        )
        self.stdout.write(f"已解除 {username} {where}的登录锁定。")
