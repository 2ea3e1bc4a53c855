"""Screens of target management: scoping of every view, the stepper, forms, lists with
constant query counts, exports and print pages."""

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.core.models import AuditEvent
from dangjian.targets import selectors, services
from dangjian.targets.models import Opinion, Step, Task, TaskProgress, WorkItem
from tests.harness import assert_num_queries, assert_role_matrix, capture_queries
from tests.targets.conftest import YEAR, make_item, make_task

pytestmark = pytest.mark.django_db

# (url name, kwargs builder) of every view on branch_a's records.
READ_VIEWS = [
    ("targets:plan_detail", lambda t: {"pk": t.plan.pk}),
    ("targets:workitem_detail", lambda t: {"pk": t.item.pk}),
    ("targets:workitem_letters", lambda t: {"pk": t.item.pk}),
]
WRITE_VIEWS = [
    ("targets:plan_edit", lambda t: {"pk": t.plan.pk}),
    ("targets:goal_edit", lambda t: {"pk": t.goal.pk}),
    ("targets:goal_achieve", lambda t: {"pk": t.goal.pk}),
    ("targets:goal_delete", lambda t: {"pk": t.goal.pk}),
    ("targets:workitem_edit", lambda t: {"pk": t.item.pk}),
    ("targets:opinion_create", lambda t: {"pk": t.item.pk}),
    ("targets:opinion_edit", lambda t: {"pk": t.opinion.pk}),
    ("targets:decision_create", lambda t: {"pk": t.item.pk}),
    ("targets:decision_edit", lambda t: {"pk": t.decision.pk}),
    ("targets:task_create", lambda t: {"pk": t.item.pk}),
    ("targets:task_edit", lambda t: {"pk": t.task.pk}),
    ("targets:task_publish", lambda t: {"pk": t.task.pk}),
    ("targets:evaluation_edit", lambda t: {"pk": t.item.pk}),
    ("targets:evaluation_publish", lambda t: {"pk": t.item.pk}),
]
# Views a member opens for a task where they are the responsible person.
OWN_TASK_VIEWS = [
    ("targets:task_detail", lambda t: {"pk": t.task.pk}),
    ("targets:task_progress", lambda t: {"pk": t.task.pk}),
]
ALL = READ_VIEWS + WRITE_VIEWS + OWN_TASK_VIEWS
ORG_YEAR_VIEWS = ["targets:annex1", "targets:annex1_export", "targets:org_letters"]
LIST_VIEWS = [
    "targets:plan_list",
    "targets:plan_create",
    "targets:goal_list",
    "targets:goal_create",
    "targets:workitem_list",
    "targets:workitem_create",
    "targets:task_list",
    "targets:task_export",
]


@pytest.mark.parametrize("name,kwargs", ALL)
def test_every_record_view_by_role(t, as_role, name, kwargs):
    """In scope and the level above: 200; another branch: 404; a member: 403 except on their
    own task; anonymous: to the sign-in page."""
    assert_role_matrix(
        as_role,
        reverse(name, kwargs=kwargs(t)),
        {
            "officer": 200,
            "gb_officer": 200,
            "other_officer": 404,
            "member": 200 if (name, kwargs) in OWN_TASK_VIEWS else 403,
            "anonymous": 302,
        },
    )


def test_member_cannot_open_someone_elses_task(t, as_user):
    client = as_user(t.world.member_user)
    assert client.get(reverse("targets:task_detail", args=[t.other_task.pk])).status_code == 404
    assert client.get(reverse("targets:task_progress", args=[t.other_task.pk])).status_code == 404


@pytest.mark.parametrize("name", ORG_YEAR_VIEWS)
def test_org_year_pages_scoped(t, as_user, as_role, name):
    url = reverse(name) + f"?org={t.world.branch_a.pk}&year={YEAR}"
    assert_role_matrix(
        as_role, url, {"officer": 200, "other_officer": 404, "member": 403, "anonymous": 302}
    )
    assert as_user(t.world.secretary_a).get(reverse(name)).status_code == 404  # no org


@pytest.mark.parametrize("name", LIST_VIEWS)
def test_list_pages_by_role(t, as_role, name):
    assert_role_matrix(as_role, reverse(name), {"officer": 200, "member": 403, "anonymous": 302})


def test_my_tasks_for_member(t, as_user):
    response = as_user(t.world.member_user).get(reverse("targets:my_tasks"))
    assert response.status_code == 200
    assert t.task.title in response.content.decode()
    assert t.other_task.pk not in [task.pk for task in response.context["tasks"]]
    assert as_user(None).get(reverse("targets:my_tasks")).status_code == 302


def test_lists_show_only_scope(t, as_user):
    client = as_user(t.world.secretary_a)
    rows = client.get(reverse("targets:task_list")).context["page"].rows
    assert [r.pk for r in rows] == [t.task.pk]
    items = client.get(reverse("targets:workitem_list")).context["page"].rows
    assert [i.pk for i in items] == [t.item.pk]
    landing = client.get(reverse("targets:plan_list") + f"?year={YEAR}")
    assert [p.pk for p in landing.context["plans"]] == [t.plan.pk]
    assert [g.pk for g in landing.context["goals"]] == [t.goal.pk]


def test_landing_empty_state_has_call_to_action(world, as_user):
    html = as_user(world.secretary_a).get(reverse("targets:plan_list")).content.decode()
    assert "尚未制定年度计划" in html and reverse("targets:plan_create") in html
    assert "尚未确定长期目标" in html


# --- the stepper and closing a step ----------------------------------------------------------


def test_detail_shows_stepper_and_missing(t, as_user):
    response = as_user(t.world.secretary_a).get(
        reverse("targets:workitem_detail", args=[t.item.pk])
    )
    html = response.content.decode()
    assert response.context["missing"] == [
        "还有1条意见待处理（征求意见：每条意见须梳理分类，并予以采纳或答复）"
    ]
    assert 'aria-current="step"' in html and "完成本步骤" in html
    assert [s for _, _, s in response.context["stepper"]][:2] == ["current", "pending"]
    assert "操作记录" in html and "建议加强党员教育" in html


def test_close_step_refused_then_allowed_through_the_page(t, as_user):
    client = as_user(t.world.secretary_a)
    url = reverse("targets:workitem_close_step", args=[t.item.pk])
    response = client.post(url, follow=True)
    assert "不能完成“征求意见”步骤" in response.content.decode()
    assert WorkItem.objects.get(pk=t.item.pk).step == Step.OPINIONS
    Opinion.objects.filter(pk=t.opinion.pk).update(handling="adopted", response="已采纳")
    response = client.post(url, follow=True)
    assert "进入第2步“议事决策”" in response.content.decode()
    assert WorkItem.objects.get(pk=t.item.pk).step == Step.DECISION


def test_close_step_is_post_only_and_scoped(t, as_user):
    url = reverse("targets:workitem_close_step", args=[t.item.pk])
    assert as_user(t.world.secretary_a).get(url).status_code == 405
    assert as_user(t.world.secretary_b).post(url).status_code == 404
    assert as_user(t.world.member_user).post(url).status_code == 403


def test_audit_trail_on_work_item_covers_its_records(t, as_user):
    response = as_user(t.world.secretary_a).get(
        reverse("targets:workitem_detail", args=[t.item.pk])
    )
    reprs = {e.object_repr for e in response.context["events"]}
    assert {t.item.title, t.task.title, str(t.decision)} <= reprs


# --- forms -----------------------------------------------------------------------------------


def test_task_form_keeps_input_and_names_the_rule(t, as_user):
    response = as_user(t.world.secretary_a).post(
        reverse("targets:task_create", args=[t.item.pk]),
        {
            "title": "新任务",
            "target": "十项",
            "measures": "措施",
            "assignee_kind": "unit",
            "responsible": t.world.member_a.pk,
            "deadline": "2026-09-01",
            "role": 5,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "承担方类别为“行政单位”时须选择承担单位" in html
    assert 'value="新任务"' in html


def test_task_form_creates_with_unit(t, as_user):
    response = as_user(t.world.secretary_a).post(
        reverse("targets:task_create", args=[t.item.pk]),
        {
            "title": "新任务",
            "target": "十项",
            "measures": "措施",
            "assignee_kind": "unit",
            "assignee_unit": t.unit.pk,
            "responsible": t.world.member_a.pk,
            "deadline": "2026-09-01",
            "role": 5,
        },
    )
    assert response.status_code == 302
    assert Task.objects.filter(title="新任务", assignee_unit=t.unit).exists()


def test_task_form_refuses_person_out_of_scope(t, as_user):
    response = as_user(t.world.secretary_a).post(
        reverse("targets:task_create", args=[t.item.pk]),
        {
            "title": "x",
            "target": "y",
            "measures": "z",
            "assignee_kind": "person",
            "assignee_person": t.world.member_b.pk,
            "responsible": t.world.member_b.pk,
            "deadline": "2026-09-01",
            "role": 5,
        },
    )
    assert response.status_code == 200
    assert not Task.objects.filter(title="x").exists()


def test_goal_form_level_jump_error_on_field(world, as_user):
    response = as_user(world.secretary_a).post(
        reverse("targets:goal_create"),
        {
            "organisation": world.branch_a.pk,
            "kind": "party",
            "honour": "先进基层党组织",
            "current_level": 1,
            "target_level": 3,
            "start_year": 2026,
            "end_year": 2028,
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "上一级" in errors["target_level"][0]
    assert "3—5年" in errors["end_year"][0]


def test_plan_form_second_plan_same_year(t, as_user):
    response = as_user(t.world.secretary_a).post(
        reverse("targets:plan_create"),
        {
            "organisation": t.world.branch_a.pk,
            "year": YEAR,
            "theme": "党员奉献年",
            "featured_work": "x",
            "theoretical_study": "y",
        },
    )
    assert "每年一个" in response.context["form"].errors["year"][0]


def test_member_reports_progress_with_evidence(t, as_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = as_user(t.world.member_user).post(
        reverse("targets:task_progress", args=[t.task.pk]),
        {
            "reported_on": "2026-04-01",
            "percent": 100,
            "note": "已完成",
            "evidence": SimpleUploadedFile("证明.pdf", b"%PDF-1.4", content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    task = Task.objects.get(pk=t.task.pk)
    assert task.progress == 100 and task.completed_on == date(2026, 4, 1)
    update = TaskProgress.objects.get(task=task)
    assert update.evidence and update.reported_by == t.world.member_user
    assert AuditEvent.objects.filter(object_id=update.pk, action="create").exists()


def test_member_cannot_edit_own_task(t, as_user):
    url = reverse("targets:task_edit", args=[t.task.pk])
    assert as_user(t.world.member_user).post(url, {}).status_code == 403


# --- lists: filters, red rows, constant queries ----------------------------------------------


def _more_tasks(t, n):
    for i in range(n):
        make_task(t.item, t.world.member_a, title=f"任务{i}", deadline=date(YEAR, 3, 1 + i))


def test_task_list_flags_overdue_and_filters_status(t, as_user):
    Task.objects.filter(pk=t.task.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    client = as_user(t.world.secretary_a)
    response = client.get(reverse("targets:task_list") + "?status=overdue")
    assert [r.pk for r in response.context["page"].rows] == [t.task.pk]
    assert "table-danger" in response.content.decode()
    assert not client.get(reverse("targets:task_list") + "?status=done").context["page"].rows
    Task.objects.filter(pk=t.task.pk).update(deadline=timezone.localdate())  # due today: still open
    assert client.get(reverse("targets:task_list") + "?status=open").context["page"].rows


def test_task_list_other_filters(t, as_user):
    make_task(
        t.item,
        t.world.member_a,
        title="单位任务",
        assignee_kind="unit",
        assignee_unit=t.unit,
        role=2,
    )
    client = as_user(t.world.org_officer)
    url = reverse("targets:task_list")
    titles = lambda q: [r.title for r in client.get(url + q).context["page"].rows]  # noqa: E731
    assert titles("?assignee_kind=unit") == ["单位任务"]
    assert titles("?role=2") == ["单位任务"]
    assert set(titles(f"?org={t.world.branch_b.pk}")) == {t.other_task.title}
    assert titles(f"?year={YEAR + 1}") == []


def test_task_list_keyset_pages(t, as_user, monkeypatch):
    from dangjian.targets import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    _more_tasks(t, 3)
    client = as_user(t.world.secretary_a)
    first = client.get(reverse("targets:task_list")).context["page"]
    second = client.get(reverse("targets:task_list") + f"?after={first.next_token}")
    assert len(first.rows) == 2
    assert not {r.pk for r in first.rows} & {r.pk for r in second.context["page"].rows}


def _count(client, url, expected=None):
    with assert_num_queries(expected, url) as ctx:
        assert client.get(url).status_code == 200
    return ctx


@pytest.mark.parametrize(
    "name",
    ["targets:task_list", "targets:workitem_list", "targets:plan_list", "targets:goal_list"],
)
def test_list_query_count_constant(t, as_user, name):
    client = as_user(t.world.secretary_a)
    url = reverse(name) + (f"?year={YEAR}" if name == "targets:plan_list" else "")
    _more_tasks(t, 1)
    make_item(t.world.branch_a, title="活动1")
    before = _count(client, url)
    _more_tasks(t, 4)
    for i in range(4):
        make_item(t.world.branch_a, title=f"活动{i + 2}")
        services.goal_create(
            actor=None,
            organisation=t.world.branch_a,
            kind="school",
            honour=f"荣誉{i}",
            current_level=0,
            target_level=1,
            start_year=YEAR,
            end_year=YEAR + 4,
        )
    _count(client, url, before)


def test_my_tasks_and_detail_query_count_constant(t, as_user):
    member = as_user(t.world.member_user)
    _more_tasks(t, 1)
    before = _count(member, reverse("targets:my_tasks"))
    _more_tasks(t, 4)
    _count(member, reverse("targets:my_tasks"), before)
    officer = as_user(t.world.secretary_a)
    url = reverse("targets:workitem_detail", args=[t.item.pk])
    officer.get(url)  # warm the content-type cache: alone, the first run reads it
    before = _count(officer, url)
    _more_tasks(t, 4)
    _count(officer, url, before)


# --- exports and print pages -----------------------------------------------------------------


def _sheet(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def test_task_export_header_row(t, as_user):
    response = as_user(t.world.secretary_a).get(reverse("targets:task_export"))
    ws = _sheet(response)
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][:4] == ("年度", "党组织", "工作事项", "任务（项目）")
    assert rows[2][3] == t.task.title and len(rows) == 3


def test_annex1_xlsx_columns_in_seed_order(t, as_user):
    url = reverse("targets:annex1_export") + f"?org={t.world.branch_a.pk}&year={YEAR}"
    rows = list(_sheet(as_user(t.world.secretary_a).get(url)).iter_rows(values_only=True))
    assert rows[0][0] == f"{t.world.branch_a.name}实行“168”机制{YEAR}年度工作目标分解表"
    assert list(rows[1]) == [
        "序号",
        "工作事项",
        "任务（项目）",
        "量化目标",
        "具体措施",
        "承担单位（个人）",
        "责任人",
        "完成时限",
        "发挥作用",
        "公开承诺",
        "完成进度",
        "完成情况",
    ]
    assert rows[2][1] == t.item.title and rows[2][6] == t.world.member_a.name


def test_annex1_print_page(t, as_user):
    make_task(t.item, t.world.member_a, title="第二项")
    url = reverse("targets:annex1") + f"?org={t.world.branch_a.pk}&year={YEAR}"
    html = as_user(t.world.secretary_a).get(url).content.decode()
    assert "a4-landscape" in html and f"{YEAR}年度工作目标分解表" in html
    assert 'rowspan="2"' in html and "发挥作用" in html


def test_letters_one_page_per_assignee(t, as_user):
    make_task(
        t.item, t.world.member_a, title="单位任务", assignee_kind="unit", assignee_unit=t.unit
    )
    html = (
        as_user(t.world.secretary_a)
        .get(reverse("targets:workitem_letters", args=[t.item.pk]))
        .content.decode()
    )
    assert html.count("<h1>目标管理责任书</h1>") == 2
    assert html.count('class="page-break"') == 1
    assert "党组织（盖章）" in html and "责任人签字" in html and "日期" in html
    assert t.unit.name in html


def test_org_letters_empty_state(world, as_user):
    url = reverse("targets:org_letters") + f"?org={world.branch_a.pk}&year={YEAR}"
    assert "尚无分解任务" in as_user(world.secretary_a).get(url).content.decode()


def test_letters_grouping():
    class T:
        def __init__(self, kind, pk, name):
            self.assignee_kind, self.assignee_org_id = kind, pk
            self.assignee_unit_id = self.assignee_person_id = None
            self.assignee_org = type("O", (), {"name": name})()
            self.responsible = type("P", (), {"name": "甲"})()

        def get_assignee_kind_display(self):
            return "党组织"

    letters = selectors.letters_by_assignee(
        [T("organisation", 1, "A"), T("organisation", 1, "A"), T("organisation", 2, "B")]
    )
    assert [(letter["assignee"], len(letter["tasks"])) for letter in letters] == [
        ("A", 2),
        ("B", 1),
    ]


def test_work_item_page_query_count_does_not_grow_with_its_records(t, as_user):
    client = as_user(t.world.secretary_a)
    url = reverse("targets:workitem_detail", args=[t.item.pk])
    client.get(url)
    with capture_queries() as few:
        assert client.get(url).status_code == 200
    for _ in range(4):
        make_task(t.item, t.world.member_a)
        services.opinion_create(
            actor=None,
            work_item=t.item,
            source="form",
            category="party",
            content="再提一条意见",
            received_on=date(YEAR, 1, 11),
        )
    with assert_num_queries(few):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("name", ["targets:task_list", "targets:workitem_list"])
def test_filter_bars_pick_the_organisation_by_typeahead_not_a_select(t, as_user, name):
    client = as_user(t.world.org_officer)
    page = client.get(reverse(name)).content.decode()
    assert 'id="f-org"' in page and reverse("org:pick_organisations") in page
    assert "信息工程学院学生支部</option>" not in page
    chosen = client.get(reverse(name), {"org": t.world.branch_a.pk}).content.decode()
    assert f'value="{t.world.branch_a.pk}"' in chosen
    assert f'value="{t.world.branch_a.name}"' in chosen
