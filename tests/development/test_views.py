"""Screens: scoping of each page, the board's query count, forms, print and XLSX."""

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.development.models import Case, Stage
from tests.factories import make_person, make_user
from tests.harness import assert_num_queries, capture_queries

pytestmark = pytest.mark.django_db


def _content(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize(
    "name", ["development:case_list", "development:notice_list", "development:stage_list"]
)
def test_officer_pages_scoping(world, as_user, name):
    url = reverse(name)
    assert as_user(world.secretary_a).get(url).status_code == 200
    assert as_user(world.member_user).get(url).status_code == 403
    response = as_user(None).get(url)
    assert response.status_code == 302 and "login" in response["Location"]


def test_case_list_shows_counts_and_scope(world, as_user, advance):
    case = advance("candidate")
    page = as_user(world.secretary_a).get(reverse("development:case_list")).content.decode()
    assert case.person.name in page and "确定培养考察对象" in page
    page = as_user(world.secretary_b).get(reverse("development:case_list")).content.decode()
    assert case.person.name not in page
    filtered = as_user(world.secretary_a).get(
        reverse("development:case_list"), {"stage": Stage.TARGET}
    )
    assert case.person.name not in filtered.content.decode().split('id="cases"')[-1]


def test_case_list_query_count_is_constant(world, as_user, advance):
    client = as_user(world.secretary_a)
    url = reverse("development:case_list")

    def make(n):
        for _ in range(n):
            p = make_person(world.branch_a, status="masses", birth_date=date(2000, 1, 1))
            advance("approved", person=p)

    make(2)
    client.get(url)
    with capture_queries() as few:
        client.get(url)
    make(4)
    with assert_num_queries(few):
        response = client.get(url)
    assert response.status_code == 200


def test_case_detail_scoping(world, as_user, advance, applicant):
    case = advance("activist")
    url = reverse("development:case_detail", args=[case.pk])
    assert as_user(world.secretary_a).get(url).status_code == 200
    assert as_user(world.gb_secretary_a).get(url).status_code == 200
    assert as_user(world.secretary_b).get(url).status_code == 404
    assert as_user(world.member_user).get(url).status_code == 404
    assert as_user(None).get(url).status_code == 302
    own = as_user(make_user(applicant)).get(url)
    assert own.status_code == 200
    text = own.content.decode()
    assert "确定为培养考察对象" in text and f"/development/cases/{case.pk}/candidate/" not in text


def test_detail_lists_what_the_next_step_needs(world, as_user, advance):
    case = advance("notice_candidate")
    notice = case.notices.get()
    notice.objections.create(received_on=notice.starts_on, content="反映问题")
    page = as_user(world.secretary_a).get(reverse("development:case_detail", args=[case.pk]))
    text = page.content.decode()
    assert 'id="missing"' in text and "1条意见尚未核查处理" in text
    assert 'id="timeline"' in text and "入党申请书" in text


def test_case_create_page(world, as_user, applicant, t0):
    client = as_user(world.secretary_a)
    url = reverse("development:case_create")
    assert client.get(url).status_code == 200
    response = client.post(url, {"person": applicant.pk, "applied_on": "2005-01-01"})
    assert response.status_code == 200 and "年满18周岁" in response.content.decode()
    response = client.post(url, {"person": applicant.pk, "applied_on": t0.isoformat()})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/cases/{case.pk}/")
    assert as_user(world.member_user).get(url).status_code == 403


def test_act_through_the_page(world, as_user, advance):
    case = advance("applied")
    client = as_user(world.secretary_a)
    url = reverse("development:case_act", args=[case.pk, "activist"])
    bad = client.post(url, {"on": (advance.dates.applied - timedelta(days=1)).isoformat()})
    assert bad.status_code == 400 and "不能早于" in bad.content.decode()
    ok = client.post(url, {"on": advance.dates.activist.isoformat()})
    assert ok.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.ACTIVIST
    # another branch's officer: 404; the person themselves: 403
    assert as_user(world.secretary_b).post(url, {"on": "2024-01-01"}).status_code == 404
    assert as_user(make_user(case.person)).post(url, {"on": "2024-01-01"}).status_code == 403


def test_branch_secretary_refused_the_talk_page(world, as_user, advance, sponsors):
    case = advance("vote")
    url = reverse("development:case_act", args=[case.pk, "talk"])
    data = {"on": advance.dates.talk.isoformat(), "talker": sponsors[1].pk}
    refused = as_user(world.secretary_a).post(url, data)
    assert refused.status_code == 403 and "党总支" in refused.content.decode()
    assert as_user(world.gb_secretary_a).post(url, data).status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.TALK


def test_failed_vote_through_the_page(world, as_user, advance):
    case = advance("target")
    url = reverse("development:case_act", args=[case.pk, "vote"])
    data = {
        "held_on": advance.dates.vote.isoformat(),
        "should_attend": 20,
        "present": 11,
        "in_favour": 10,
        "against": 1,
        "abstained": 0,
    }
    assert as_user(world.secretary_a).post(url, data).status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.TARGET and case.votes.get().passed is False


def test_objection_add_and_resolve(world, as_user, advance):
    case = advance("notice_candidate")
    notice = case.notices.get()
    client = as_user(world.secretary_a)
    client.post(
        reverse("development:objection_add", args=[notice.pk]),
        {"received_on": notice.starts_on.isoformat(), "content": "反映问题"},
    )
    objection = notice.objections.get()
    assert (
        as_user(world.secretary_b)
        .post(reverse("development:objection_add", args=[notice.pk]), {})
        .status_code
        == 404
    )
    as_user(world.secretary_a).post(
        reverse("development:objection_resolve", args=[objection.pk]),
        {"resolved_on": notice.ends_on.isoformat(), "resolution": "不属实"},
    )
    objection.refresh_from_db()
    assert objection.resolved_on == notice.ends_on and not objection.upheld


def test_my_case(world, as_user, advance, applicant):
    user = make_user(applicant)
    assert (
        "尚无您的发展党员档案" in as_user(user).get(reverse("development:my_case")).content.decode()
    )
    advance("approved")
    page = as_user(user).get(reverse("development:my_case")).content.decode()
    assert "预备期培养考察" in page and 'id="reports"' in page
    assert as_user(None).get(reverse("development:my_case")).status_code == 302


def test_print_page(world, as_user, advance):
    case = advance("converted")
    response = as_user(world.secretary_a).get(reverse("development:case_print", args=[case.pk]))
    text = response.content.decode()
    assert response.status_code == 200 and "发展党员工作流程纪实表" in text
    assert "入党介绍人" in text
    assert (
        as_user(world.secretary_b)
        .get(reverse("development:case_print", args=[case.pk]))
        .status_code
        == 404
    )


def test_xlsx_export_header(world, as_user, advance):
    case = advance("approved")
    response = as_user(world.secretary_a).get(reverse("development:case_export"))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(_content(response))).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[1]) == [
        "姓名",
        "所在支部",
        "当前步骤",
        "申请日期",
        "积极分子日期",
        "培养考察对象日期",
        "发展对象日期",
        "支部大会日期",
        "预备期满日期",
        "状态",
    ]
    assert rows[2][0] == case.person.name
    assert as_user(world.member_user).get(reverse("development:case_export")).status_code == 403


def test_stage_edit_only_by_the_department(world, as_user):
    from dangjian.development.models import StageDefinition

    stage = StageDefinition.objects.get(stage=3)
    url = reverse("development:stage_edit", args=[stage.pk])
    assert as_user(world.secretary_a).get(url).status_code == 403
    client = as_user(world.org_officer)
    assert client.get(url).status_code == 200
    data = {"name": "确定培养对象", "description": "x", "documents": "党校结业证书"}
    assert client.post(url, data).status_code == 302
    stage.refresh_from_db()
    assert stage.name == "确定培养对象"


@pytest.mark.parametrize(
    "until",
    [
        "applied",
        "candidate",
        "cultivation",
        "target",
        "vote",
        "talk",
        "approved",
        "reviewed",
        "vote_conversion",
        "converted",
    ],
)
def test_detail_renders_at_every_step(world, as_user, advance, until):
    case = advance(until)
    url = reverse("development:case_detail", args=[case.pk])
    for user in (world.secretary_a, world.gb_secretary_a, world.org_officer):
        response = as_user(user).get(url)
        assert response.status_code == 200
    text = as_user(world.gb_secretary_a).get(url).content.decode()
    if until in ("vote", "talk"):
        assert 'id="next-step"' in text and "<form" in text.split('id="next-step"')[1]
    if until == "vote":
        branch = as_user(world.secretary_a).get(url).content.decode()
        assert "须由党支部的上级党组织" in branch


def test_dossier_query_count_does_not_grow_with_its_records(world, as_user, advance):
    from dangjian.development.models import CaseEvent, ProbationReport

    case = advance("approved")
    client = as_user(world.secretary_a)
    url = reverse("development:case_detail", args=[case.pk])
    client.get(url)
    with capture_queries() as few:
        assert client.get(url).status_code == 200
    for n in range(5):
        ProbationReport.objects.create(
            case=case, kind="sponsor", submitted_on=case.admitted_on, summary=f"汇报{n}"
        )
        CaseEvent.objects.create(case=case, stage=9, happened_on=case.admitted_on, title=f"纪实{n}")
    with assert_num_queries(few):
        assert client.get(url).status_code == 200
