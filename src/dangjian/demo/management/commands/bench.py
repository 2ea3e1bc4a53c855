"""Time the main pages and API lists against the current database and print the figures.

Two modes:

- **in-process, single request** (no `--url`): every page of a user's mix through Django's test
  client, `--repeat` times, sequentially: median and maximum milliseconds, queries, HTML size;
- **load** (`--url http://127.0.0.1:8014`): a running server (gunicorn, DEBUG=0) is driven by
  `--connections` Python threads (default 16), each with its own keep-alive HTTP connection,
  signed in as each role in turn (department, general branch, branch, member, anonymous board)
  and cycling over that role's page mix for `--duration` seconds (or `--passes` times over the
  mix). Per page: requests, median / p95 / p99 ms, errors; per role: req/s. Query counts, sizes
  and a single request's time come from one in-process pass of the same mix before the load
  (the test client, the same database, one request at a time).

Both end with the people list's ratios (in-process, sequential, median of `--repeat`): to the
Django admin changelist of the same scope, and to its own main query's SQL run bare.

dangjian load_demo --reset --orgs 100000 --people 3000000
dangjian bench [--user zuzhibu] [--repeat 5]
dangjian bench --url http://127.0.0.1:8014 [--connections 16] [--duration 30]
"""

from __future__ import annotations

import http.client
import logging
import math
import random
import statistics
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from dangjian.core.models import User
from dangjian.org.models import Organisation, Person

PUBLIC = "public"  # the anonymous visitor of the public boards
ROLES = {
    "zuzhibu": "党委组织部（全校）",
    "zongzhi": "党总支书记",
    "zhibu": "党支部书记",
    "dangyuan": "党员",
    PUBLIC: "匿名访客（公开栏）",
}
PEOPLE_LIST = "人员名册 第1页"


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


def scope_branch(account) -> Organisation | None:
    """The branch a page mix shows: the largest branch in the user's scope."""
    return (
        Organisation.objects.visible_to(account)
        .filter(kind="branch")
        .order_by("-numchild", "path")
        .first()
    )


def officer_pages(account) -> dict[str, str]:
    """The page mix of an officer (department, general branch or branch secretary)."""
    from dangjian.core.pagination import _encode

    branch = scope_branch(account)
    root = Organisation.objects.visible_to(account).order_by("path").first()
    if branch is None or root is None:
        raise CommandError(f"用户 {account.username} 的管理范围内没有党支部。")
    people = Person.objects.visible_to(account).order_by("name", "id")
    middle = people.values_list("name", "id")[people.count() // 2]
    pages = {
        "工作台 /": "/",
        "组织树 /org/tree/": "/org/tree/",
        "组织搜索 ?q=支部": "/org/tree/?q=支部",
        "党支部页面": f"/org/{branch.pk}/",
        PEOPLE_LIST: "/org/people/",
        "人员名册 中间页（keyset）": f"/org/people/?after={_encode(list(middle))}",
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
        "数据驾驶舱": "/reports/cockpit/",
        "全局搜索 ?q=王": "/search/?q=王",
        "组织关系转接": "/membership/transfer/",
        "通知公告": "/notices/notice/",
        "消息中心": "/notices/centre/",
        "API 发展档案列表": "/api/v1/development/cases/",
    }
    pages.update(_evaluation_pages(account))
    return pages


def member_pages(account) -> dict[str, str]:
    """The page mix of a plain member: their home, own record, posts, duty book, evaluations."""
    person = account.person
    pages = {
        "工作台 /": "/",
        "本人信息": f"/org/people/{person.pk}/" if person else "/org/people/",
        "我的岗位": "/posts/my/",
        "我的履职记实": "/posts/duty/mine/",
        "我的承诺": "/posts/commitments/mine/",
        "我的组织生活": "/orglife/my/",
        "我的学时": "/orglife/my/hours/",
        "我的考评": "/appraisal/mine/",
        "我的发展档案": "/development/mine/",
        "我的任务": "/targets/my-tasks/",
        "API 人员列表": "/api/v1/people/",
        "API 履职记实列表": "/api/v1/duty-records/",
    }
    if person and person.primary_org_id:
        pages["公开栏 本支部"] = f"/public/o/{person.primary_org.code}/"
    return pages


def public_pages() -> dict[str, str]:
    """The anonymous visitor: the boards' index and the boards of three branches."""
    pages = {"公开栏 索引": "/public/"}
    branches = Organisation.objects.filter(kind="branch").order_by("path")
    total = branches.count()
    for i in range(min(3, total)):
        branch = branches[i * total // 3]
        pages[f"公开栏 {branch.code}"] = f"/public/o/{branch.code}/"
    return pages


def role_mix(role: str) -> tuple[User | None, dict[str, str]]:
    """The account (None: anonymous) and page mix of a role name or a username."""
    if role == PUBLIC:
        return None, public_pages()
    account = User.objects.filter(username=role).select_related("person").first()
    if account is None:
        raise CommandError(f"用户 {role} 不存在，请先运行 load_demo。")
    if role == "dangyuan" or (account.person and not _is_officer(account)):
        return account, member_pages(account)
    return account, officer_pages(account)


def _is_officer(account) -> bool:
    from dangjian.core.scoping import scope_for

    scope = scope_for(account)
    return bool(scope.org_paths) or scope.department


def percentile(values: list[float], pct: float) -> float:
    """The nearest-rank percentile (p95 of 20 values is the 19th smallest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


@dataclass
class Sample:
    label: str
    ms: float
    status: int  # 0: no answer (timeout, connection error)


@dataclass
class RoleRun:
    role: str
    samples: list[Sample] = field(default_factory=list)
    seconds: float = 0.0


def _client(account) -> Client:
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    if account is not None:
        client.force_login(account)
    return client


class Command(BaseCommand):
    help = "测量主要页面和接口的响应时间与查询次数（基准测试）"

    def add_arguments(self, parser):
        parser.add_argument(
            "--user",
            default="zuzhibu",
            help="单请求模式：以该用户身份访问（默认 zuzhibu；public 为匿名访客）",
        )
        parser.add_argument("--repeat", type=int, default=5, help="单请求模式每页重复次数")
        parser.add_argument("--url", help="压测模式：运行中的服务地址，如 http://127.0.0.1:8014")
        parser.add_argument("--connections", type=int, default=16, help="并发连接数（默认16）")
        parser.add_argument("--duration", type=float, default=30, help="每个角色的压测秒数")
        parser.add_argument(
            "--passes", type=int, help="每个连接遍历页面组合的次数（代替 --duration）"
        )
        parser.add_argument(
            "--roles",
            default=",".join(ROLES),
            help="压测的角色（用户名，逗号分隔；public 为匿名访客）",
        )
        parser.add_argument(
            "--skip",
            default="",
            help="跳过名称含这些文字的页面（逗号分隔），如 季报表；只对某角色：zuzhibu:季报表",
        )
        parser.add_argument("--timeout", type=float, default=60, help="压测单个请求的超时秒数")
        parser.add_argument(
            "--host", default="127.0.0.1", help="压测请求的 Host 头（须在 ALLOWED_HOSTS 中）"
        )
        parser.add_argument("--no-ratio", action="store_true", help="不测人员名册的对比倍数")

    # bench times pages for a signed-in user, not the sign-in: no second factor is asked for.
    @override_settings(OTP_ENFORCE=False)
    def handle(self, *args, user, repeat, url, roles, skip, no_ratio, **options):
        # A page a role may not see is left out of its mix, not logged with its traceback.
        logging.getLogger("django.request").setLevel(logging.CRITICAL)
        self.skip = [s for s in skip.split(",") if s]
        self.stdout.write(
            f"数据量：党组织 {Organisation.objects.count():,}，人员 {Person.objects.count():,}；"
            f"数据库 {connection.vendor}"
        )
        if url:
            names = [r for r in roles.split(",") if r]
            self._load(url, names, **options)
            ratio_users = [r for r in names if r in ("zuzhibu", "zhibu")]
        else:
            self._single(user, repeat)
            ratio_users = [user] if user != PUBLIC else []
        if not no_ratio:
            for name in ratio_users:
                self._ratios(name, max(repeat, 1))

    def _mix(self, role: str) -> tuple[User | None, dict[str, str], list[str]]:
        account, pages = role_mix(role)
        # "季报表" skips the page for every role, "zuzhibu:季报表" for that role only.
        wanted = [s.partition(":")[2] if ":" in s else s for s in self.skip]
        wanted = [
            w
            for s, w in zip(self.skip, wanted, strict=True)
            if ":" not in s or s.startswith(role + ":")
        ]
        skipped = [label for label in pages if any(w in label for w in wanted)]
        return account, {k: v for k, v in pages.items() if k not in skipped}, skipped

    # --- in-process, single request -------------------------------------------------------

    def _single(self, user: str, repeat: int) -> None:
        account, pages, skipped = self._mix(user)
        client = _client(account)
        self.stdout.write(f"用户 {user}；每页重复 {repeat} 次（进程内，逐个请求）")
        self.stdout.write(
            f"{'页面':<28}{'中位数(ms)':>12}{'最大(ms)':>10}{'查询数':>8}{'大小(KB)':>10}"
        )
        for label, path in pages.items():
            timings, queries, size, status = self._timed(client, path, repeat)
            if status != 200:
                self.stdout.write(f"{label:<28}{'不计：返回 ' + str(status):>12}")
                continue
            self.stdout.write(
                f"{label:<28}{statistics.median(timings):>12.1f}{max(timings):>10.1f}"
                f"{queries:>8}{size / 1024:>10.0f}"
            )
        for label in skipped:
            self.stdout.write(f"{label:<28}{'跳过':>12}")

    def _timed(self, client: Client, path: str, repeat: int) -> tuple[list[float], int, int, int]:
        """Milliseconds of each request, and the queries, bytes and status of the last."""
        timings: list[float] = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(path)
                content = b"".join(response) if response.streaming else response.content
                timings.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                break
        return timings, len(queries), len(content), response.status_code

    # --- load -------------------------------------------------------------------------------

    def _load(self, url: str, names: list[str], *, connections, duration, passes, **options):
        parts = urlsplit(url)
        if parts.scheme != "http" or not parts.hostname:
            raise CommandError(
                "--url 须为 http://主机:端口（TLS 由 nginx 终止，压测直连 gunicorn）。"
            )
        target = (parts.hostname, parts.port or 80)
        how = f"每个连接遍历 {passes} 遍" if passes else f"每个角色 {duration:g} 秒"
        self.stdout.write(
            f"压测 {url}：{connections} 个并发连接（Python 线程，keep-alive），{how}；"
            "查询数为进程内单次请求所计"
        )
        runs = []
        for name in names:
            account, pages, skipped = self._mix(name)
            client = _client(account)
            queries: dict[str, tuple[int, int, float]] = {}
            for label, path in list(pages.items()):
                timings, count, size, status = self._timed(client, path, 1)
                queries[label] = (count, size, timings[0])
                if status != 200:  # not part of this role's mix
                    del pages[label]
                    skipped.append(f"{label}（返回 {status}）")
            cookie = ""
            if account is not None:
                cookie = f"{settings.SESSION_COOKIE_NAME}="
                cookie += client.cookies[settings.SESSION_COOKIE_NAME].value
            run = self._drive(name, target, cookie, pages, connections, duration, passes, options)
            runs.append(run)
            self._print_run(run, pages, queries, skipped)
        total = sum(len(r.samples) for r in runs)
        seconds = sum(r.seconds for r in runs)
        every = [s.ms for r in runs for s in r.samples if s.status == 200]
        if every:
            self.stdout.write(
                f"\n全部角色：{total:,} 个请求，{seconds:.1f} 秒，{total / seconds:.1f} 请求/秒；"
                f"中位数 {statistics.median(every):.0f} ms，p95 {percentile(every, 95):.0f} ms，"
                f"p99 {percentile(every, 99):.0f} ms"
            )

    def _drive(self, role, target, cookie, pages, connections, duration, passes, options):
        """`connections` threads cycle over the mix, each in its own order."""
        # http.client sends the request line as ASCII: percent-encode the Chinese of ?q=王.
        paths = [(label, quote(path, safe="/?=&%:+,")) for label, path in pages.items()]
        headers = {
            "Host": options["host"],
            "X-Forwarded-Proto": "https",
            "Connection": "keep-alive",
        }
        if cookie:
            headers["Cookie"] = cookie
        run = RoleRun(role)
        lock = threading.Lock()
        start_gate = threading.Barrier(connections + 1)
        timeout = options["timeout"]

        def worker(number: int) -> None:
            # Each connection walks the mix in its own (seeded) order, so that a slow page
            # holding some connections does not leave the pages after it unmeasured.
            order = list(paths)
            random.Random(number).shuffle(order)
            conn = http.client.HTTPConnection(*target, timeout=timeout)
            mine: list[Sample] = []
            start_gate.wait()
            deadline = time.monotonic() + duration
            n = 0
            while (n < passes * len(paths)) if passes else (time.monotonic() < deadline):
                label, path = order[n % len(order)]
                n += 1
                began = time.perf_counter()
                try:
                    conn.request("GET", path, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    status = response.status
                    if response.will_close:
                        conn.close()
                except Exception:  # noqa: BLE001 - no answer, whatever the cause, is an error
                    status = 0
                    conn.close()
                    conn = http.client.HTTPConnection(*target, timeout=timeout)
                mine.append(Sample(label, (time.perf_counter() - began) * 1000, status))
            conn.close()
            with lock:
                run.samples.extend(mine)

        threads = [
            threading.Thread(target=worker, args=(i,), daemon=True) for i in range(connections)
        ]
        for t in threads:
            t.start()
        start_gate.wait()
        began = time.monotonic()
        for t in threads:
            t.join()
        run.seconds = time.monotonic() - began
        return run

    def _print_run(self, run: RoleRun, pages, queries, skipped) -> None:
        n = len(run.samples)
        errors = sum(1 for s in run.samples if s.status != 200)
        self.stdout.write(
            f"\n角色 {run.role}（{ROLES.get(run.role, run.role)}）：{n:,} 个请求，"
            f"{run.seconds:.1f} 秒，{n / run.seconds if run.seconds else 0:.1f} 请求/秒，"
            f"错误 {errors}"
        )
        self.stdout.write(
            f"{'页面':<28}{'请求':>6}{'中位数':>9}{'p95':>9}{'p99':>9}{'查询数':>7}"
            f"{'大小(KB)':>9}{'错误':>5}{'单次(ms)':>10}"
        )
        for label in pages:
            mine = [s for s in run.samples if s.label == label]
            ok = [s.ms for s in mine if s.status == 200]
            count, size, single = queries[label]
            bad = len(mine) - len(ok)
            if ok:
                figures = (
                    f"{statistics.median(ok):>9.0f}{percentile(ok, 95):>9.0f}"
                    f"{percentile(ok, 99):>9.0f}"
                )
            else:
                figures = f"{'—':>9}{'—':>9}{'—':>9}"
            self.stdout.write(
                f"{label:<28}{len(mine):>6}{figures}{count:>7}{size / 1024:>9.0f}{bad:>5}"
                f"{single:>10.0f}"
            )
        for label in skipped:
            self.stdout.write(f"{label:<28}  跳过")

    # --- the people list against the admin and its own SQL --------------------------------

    def _ratios(self, name: str, repeat: int) -> None:
        """The people list vs the Django admin changelist of the same scope (the department:
        everyone; a branch secretary: their branch) and vs its own main query run bare."""
        account = User.objects.filter(username=name).first()
        admin = User.objects.filter(is_superuser=True, is_active=True).order_by("id").first()
        if account is None or admin is None:
            return
        from dangjian.core.scoping import scope_for

        scope = scope_for(account)
        admin_path = "/admin/org/person/"
        if not scope.department:
            branch = scope_branch(account)
            if branch is None:
                return
            admin_path += f"?primary_org={branch.pk}"
        people = _client(account)
        list_ms = self._timed(people, "/org/people/", repeat)[0]
        with CaptureQueriesContext(connection) as captured:
            people.get("/org/people/")
        table = Person._meta.db_table
        main = max(
            (q for q in captured.captured_queries if table in q["sql"]),
            key=lambda q: float(q["time"]),
            default=None,
        )
        admin_ms, _, _, status = self._timed(_client(admin), admin_path, repeat)
        if status != 200:
            self.stdout.write(f"管理后台列表 {admin_path} 返回 {status}：不计对比。")
            return
        sql_ms = []
        if main is not None:
            with connection.cursor() as cursor:
                for _ in range(repeat):
                    start = time.perf_counter()
                    cursor.execute(main["sql"])
                    cursor.fetchall()
                    sql_ms.append((time.perf_counter() - start) * 1000)
        page = statistics.median(list_ms)
        changelist = statistics.median(admin_ms)
        bare = statistics.median(sql_ms) if sql_ms else float("nan")
        self.stdout.write(
            f"\n人员名册对比（{name}，进程内，中位数，每项 {repeat} 次）：人员名册 {page:.1f} ms；"
            f"管理后台列表 {admin_path} {changelist:.1f} ms；主查询 SQL {bare:.1f} ms"
        )
        self.stdout.write(
            f"  人员名册 / 管理后台 = {page / changelist:.2f}（管理后台 / 人员名册 = "
            f"{changelist / page:.2f}，目标 ≥ 5）；"
            f"人员名册 / 主查询 = {page / bare:.1f}（目标 ≤ 3）"
        )
