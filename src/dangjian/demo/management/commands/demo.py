"""One command to try the system: migrate, load the demo if the database is empty, serve."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from dangjian.demo.institution import login_table
from dangjian.org.models import Organisation


class Command(BaseCommand):
    help = "一键演示：迁移数据库，数据库为空时载入演示数据，显示演示账号并启动开发服务器。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--addrport", default="127.0.0.1:8000", help="服务地址和端口（默认 127.0.0.1:8000）"
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="只迁移和载入数据，不启动服务器"
        )

    def handle(self, *args, addrport="127.0.0.1:8000", no_serve=False, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("数据库已迁移到最新结构。")
        if Organisation.objects.exists():
            self.stdout.write("数据库中已有党组织数据，跳过载入演示数据。")
            self.stdout.write("\n演示账号（如已载入演示数据）：\n" + login_table())
        else:
            call_command("load_demo", stdout=self.stdout._out)
        self.stdout.write(self.style.SUCCESS(f"\n打开 {_url(addrport)} 登录"))
        if not no_serve:
            call_command("runserver", addrport, use_reloader=False)


def _url(addrport: str) -> str:
    """The address to open in a browser: a bare port or 0.0.0.0 means this machine."""
    host, _, port = addrport.rpartition(":")
    if not host or host in ("0.0.0.0", "::", "[::]"):
        host = "127.0.0.1"
    return f"http://{host}:{port or 8000}"
