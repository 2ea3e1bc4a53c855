"""Time the main pages and API lists against the current database and print the figures.

dangjian load_demo --reset --orgs 20000 --people 300000
dangjian bench [--user zuzhibu] [--repeat 5]
"""

import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from dangjian.core.models import User
from dangjian.org.models import Organisation, Person


def _evaluation_pages(account) -> dict[str, str]:
    """The evaluation screens of the newest cycle, survey, round and grading year in scope
    (the scaled demo has none: then only the lists)."""
    from dangjian.appraisal.models import EvaluationCycle
    from dangjian.assessment.models import AssessmentRound, BranchAssessment
    from dangjian.branches.models import GradingYear
    from dangjian.surveys.models import Survey

    pages = {
        "党员考评 列表": "/appraisal/",
        "民意测评 列表": "/surveys/",
        "支部考核 列表": "/assessment/",
        "分类定级 列表": "/branches/",
        "整改事项 列表": "/branches/items/",
        "API 考评结果列表": "/api/v1/appraisal/results/",
        "API 支部考核列表": "/api/v1/assessment/branch-assessments/",
        "API 整改事项列表": "/api/v1/branches/rectification-items/",
    }
    newest = ("-id",)
    cycle = EvaluationCycle.objects.visible_to(account).order_by(*newest).first()
    published = (
        EvaluationCycle.objects.visible_to(account).filter(state="published").order_by(*newest)
    ).first()
    survey = Survey.objects.visible_to(account).order_by(*newest).first()
    round_ = AssessmentRound.objects.visible_to(account).order_by(*newest).first()
    assessment = BranchAssessment.objects.visible_to(account).order_by(*newest).first()
    year = GradingYear.objects.visible_to(account).order_by(*newest).first()
    if cycle:
        pages["考评进度"] = f"/appraisal/{cycle.pk}/"
    if published:
        pages["考评结果（含图表）"] = f"/appraisal/{published.pk}/results/"
    if survey:
        pages["民意测评 结果"] = f"/surveys/{survey.pk}/"
    if round_:
        pages["支部考核 轮次（含图表）"] = f"/assessment/rounds/{round_.pk}/"
        pages["活动经费分配"] = f"/assessment/rounds/{round_.pk}/funding/"
    if assessment:
        pages["支部考核评分表"] = f"/assessment/branches/{assessment.pk}/"
    if year:
        pages["分类定级 年度（含图表）"] = f"/branches/years/{year.pk}/"
        pages["分类定级汇总表"] = f"/branches/years/{year.pk}/summary/"
        pages["整改汇总表"] = f"/branches/years/{year.pk}/rectification/"
    return pages


class Command(BaseCommand):
    help = "测量主要页面和接口的响应时间与查询次数（基准测试）"

    def add_arguments(self, parser):
        parser.add_argument("--user", default="zuzhibu", help="以该用户身份访问（默认 zuzhibu）")
        parser.add_argument("--repeat", type=int, default=5)

    # bench times pages for a signed-in user, not the sign-in: no second factor is asked for.
    @override_settings(OTP_ENFORCE=False)
    def handle(self, *args, user, repeat, **options):
        account = User.objects.filter(username=user).first()
        if account is None:
            raise CommandError(f"用户 {user} 不存在，请先运行 load_demo。")
        branch = (
            Organisation.objects.visible_to(account)
            .filter(kind="branch")
            .order_by("-numchild", "path")
            .first()
        )
        root = Organisation.objects.visible_to(account).order_by("path").first()
        deep_page = Person.objects.order_by("name", "id").values_list("name", "id")[
            Person.objects.count() // 2
        ]
        from dangjian.core.pagination import _encode

        pages = {
            "工作台 /": "/",
            "组织树 /org/tree/": "/org/tree/",
            "组织搜索 ?q=支部": "/org/tree/?q=支部",
            "党支部页面": f"/org/{branch.pk}/",
            "人员名册 第1页": "/org/people/",
            "人员名册 中间页（keyset）": f"/org/people/?after={_encode(list(deep_page))}",
            "人员名册 按党组织筛选": f"/org/people/?org={branch.pk}",
            "人员名册 按姓名搜索": "/org/people/?q=王",
            "API 组织列表": "/api/v1/organisations/",
            "API 人员列表": "/api/v1/people/",
            "API 下级组织": f"/api/v1/organisations/{branch.pk}/subtree/",
            "目标管理 /targets/": "/targets/",
            "工作事项列表": "/targets/items/",
            "分解任务列表": "/targets/tasks/",
            "附件1 分解表": f"/targets/annex1/?org={root.pk}",
            "设岗定责 岗位列表": "/posts/",
            "履职记实 列表": "/posts/duty/",
            "附件2 亮岗履职一览表": "/posts/annex2/",
            "党员承诺 列表": "/posts/commitments/",
            "意见箱 列表": "/public/suggestions/",
            "季报表": "/reports/?quarter=3",
            f"公开栏 {branch.code}": f"/public/o/{branch.code}/",
            "API 岗位列表": "/api/v1/posts/",
            "API 履职记实列表": "/api/v1/duty-records/",
            "API 任务列表": "/api/v1/tasks/",
            "三会一课 列表": "/orglife/",
            "组织生活落实（含下级）": f"/orglife/compliance/?organisation={root.pk}",
            "教育学时统计": f"/orglife/hours/?org={root.pk}",
            "发展党员 看板": "/development/",
            "联系群众": "/outreach/",
            "三联二访落实": "/outreach/compliance/",
            "API 会议列表": "/api/v1/meetings/",
            "API 发展档案列表": "/api/v1/development/cases/",
        }
        pages.update(_evaluation_pages(account))
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(account)
        self.stdout.write(
            f"数据量：党组织 {Organisation.objects.count():,}，人员 {Person.objects.count():,}；"
            f"数据库 {connection.vendor}；用户 {user}；每页重复 {repeat} 次"
        )
        self.stdout.write(f"{'页面':<28}{'中位数(ms)':>12}{'最大(ms)':>10}{'查询数':>8}")
        for label, url in pages.items():
            timings = []
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get(url)
                    timings.append((time.perf_counter() - start) * 1000)
                if response.status_code != 200:
                    raise CommandError(f"{url} 返回 {response.status_code}")
            self.stdout.write(
                f"{label:<28}{statistics.median(timings):>12.1f}{max(timings):>10.1f}"
                f"{len(queries):>8}"
            )
