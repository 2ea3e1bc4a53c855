"""Load the demo institution (《基层组织建设实施意见》) with synthetic people, or a scaled synthetic
tree."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import ProtectedError
from django.utils import timezone

from dangjian.core import reminders
from dangjian.core.models import User
from dangjian.demo import generator
from dangjian.demo.appraisal import AppraisalLoader
from dangjian.demo.assessment import AssessmentLoader
from dangjian.demo.branches import BranchesLoader
from dangjian.demo.contact_points import ContactPointsLoader
from dangjian.demo.honours import HonoursLoader
from dangjian.demo.imports import load as load_imports_demo
from dangjian.demo.institution import login_table
from dangjian.demo.mechanism import MechanismLoader, give_member_a_post
from dangjian.demo.organisational import OrganisationalLoader
from dangjian.demo.partyschool import PartySchoolLoader
from dangjian.demo.review import ReviewLoader
from dangjian.demo.surveys import SurveysLoader
from dangjian.org import counts


class Command(BaseCommand):
    help = "载入演示数据：重庆工业职业技术学院（12个党总支、39个党支部）及5,000人，或按规模生成。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--orgs", type=int, help="党组织总数（规模模式，如 100000）；不填则载入演示学校"
        )
        parser.add_argument(
            "--people", type=int, help="人员总数（默认：演示学校5,000人，规模模式每个组织30人）"
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="随机种子（相同种子生成相同数据）"
        )
        parser.add_argument(
            "--reset", action="store_true", help="先删除现有的全部党组织、人员和行政单位数据"
        )

    def handle(self, *args, orgs=None, people=None, seed=2026, reset=False, **options):
        if orgs is not None and orgs < 3:
            raise CommandError("--orgs 至少为3（党委、党总支、党支部各一个）。")
        if people is None:
            people = orgs * 30 if orgs else generator.DEFAULT_PEOPLE
        if people < 0:
            raise CommandError("--people 不能为负数。")

        if generator.has_data():
            if not reset:
                raise CommandError(
                    "数据库中已有党组织、人员或行政单位数据，未载入演示数据。"
                    "如确需清空后重新载入，请加 --reset 参数（将删除全部党组织和人员数据）。"
                )
            self.stdout.write("正在删除现有的党组织、人员和行政单位数据……")
            try:
                generator.reset_data()
            except ProtectedError as exc:
                raise CommandError(
                    f"无法删除现有数据：仍有其他业务数据引用这些人员或党组织（{exc.args[0]}）。"
                ) from exc

        if orgs:
            self.stdout.write(
                f"按规模生成：党组织 {orgs:,} 个，人员 {people:,} 名，随机种子 {seed}。"
            )
        else:
            self.stdout.write(
                f"载入演示学校：重庆工业职业技术学院，人员 {people:,} 名，随机种子 {seed}。"
            )
        loader = generator.Loader(seed=seed, today=timezone.localdate(), out=self.stdout)
        result = loader.run(orgs=orgs, people=people)
        if not orgs:
            self.stdout.write("载入一年的“168”机制工作记录……")
            started = time.monotonic()
            result.counts.update(MechanismLoader(seed=seed, today=timezone.localdate()).run())
            self.stdout.write("载入一年的组织生活、教育培训、发展党员和走访记录……")
            result.counts.update(OrganisationalLoader(seed=seed, today=timezone.localdate()).run())
            self.stdout.write("载入民意测评、分类定级与整改、党员考评和支部考核记录……")
            loaders = (
                SurveysLoader,
                AppraisalLoader,
                BranchesLoader,
                AssessmentLoader,
                PartySchoolLoader,
                ContactPointsLoader,
                HonoursLoader,
                ReviewLoader,
            )
            for loader in loaders:
                result.counts.update(loader(seed=seed, today=timezone.localdate()).run())
            reminders.sweep()
            counts.rebuild()
            result.seconds += time.monotonic() - started
        scopes = generator.create_demo_logins()
        if not orgs:
            member = User.objects.filter(username="dangyuan").select_related("person").first()
            give_member_a_post(member.person if member else None, timezone.localdate())
            result.counts.update(load_imports_demo(timezone.localdate()))
        if orgs and connection.vendor == "postgresql":
            # Fresh statistics for the planner (without them PostgreSQL guesses the size of
            # every table it was never told about), and the visibility map that lets a count
            # read an index alone — what autovacuum would do later, if it is on and keeps up.
            # VACUUM cannot run in a transaction (a test's): there, statistics only.
            vacuum = not connection.in_atomic_block
            self.stdout.write(
                "整理数据库并更新统计信息（VACUUM ANALYZE）……"
                if vacuum
                else "更新数据库统计信息（ANALYZE）……"
            )
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE)" if vacuum else "ANALYZE")

        for label, count in result.counts.items():
            self.stdout.write(f"  {label}：{count:,} 行")
        rate = result.rows / result.seconds if result.seconds else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"完成：共写入 {result.rows:,} 行，"
                f"用时 {result.seconds:.1f} 秒，每秒 {rate:,.0f} 行。"
            )
        )
        self.stdout.write("\n演示账号：\n" + login_table(scopes))
