"""考核评议公开 / 奖惩结果公开 on the public board: only published cycles, only names, grades
and honours — no sub-scores, no ID numbers, phones, birth dates or units."""

from decimal import Decimal as D

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from dangjian.appraisal import services
from dangjian.appraisal.models import EvaluationResult
from dangjian.org.models import Person, Unit
from tests.appraisal.conftest import IN_WINDOW
from tests.factories import make_id_number

pytestmark = pytest.mark.django_db

API = "/api/v1/public/boards/BA/"


@pytest.fixture
def published(world, ready):
    unit = Unit.objects.create(name="保密处室甲", kind="office")
    Person.objects.filter(pk=world.member_a.pk).update(
        id_number=make_id_number(world.member_a.birth_date, 7),
        phone="13912345678",
        unit=unit,
    )
    cycle = ready()
    services.self_report_submit(
        actor=world.member_user,
        cycle=cycle,
        report="秘密报告内容",
        self_score=D("97.5"),
        today=IN_WINDOW,
    )
    cycle.ratings.filter(ratee=world.member_a).update(score=D(100), comment="秘密评语")
    services.cycle_compute(actor=world.org_officer, cycle=cycle, today=IN_WINDOW)
    a = EvaluationResult.objects.get(cycle=cycle, person=world.member_a)
    services.honour_award(actor=world.org_officer, result=a, kind="excellent_member")
    return cycle


def board(code, year=2026):
    return APIClient().get(reverse("public:board", args=[code]), {"year": year})


def test_unpublished_cycle_not_on_the_board(world, published):
    page = board("BA").content.decode()
    assert published.title not in page and "暂无公布的党员考评结果" in page
    assert "优秀共产党员" not in page  # the honour of an unpublished cycle waits too
    api = APIClient().get(API, {"year": 2026})
    assert api.status_code == 200
    assert api.json()["appraisals"] == [] and api.json()["honours"] == []


def test_published_cycle_names_and_grades_only(world, published):
    services.cycle_publish(actor=world.org_officer, cycle=published)
    a = EvaluationResult.objects.get(cycle=published, person=world.member_a)
    page = board("BA").content.decode()
    section = page.split('id="appraisals"')[1].split("</section>")[0]
    assert published.title in section and "赵党员" in section and "优秀（1名）" in section
    assert "优秀共产党员" in section
    person = Person.objects.get(pk=world.member_a.pk)
    secrets = [
        person.id_number,
        person.phone,
        person.birth_date.isoformat(),
        "1990年1月1日",
        "保密处室甲",
        "秘密报告内容",
        "秘密评语",
        "97.5",
        str(a.final_score),
        str(a.masses_score),
        "票",
    ]
    for secret in secrets:
        assert secret not in section, secret
    # another branch's board: not branch_a's members
    other = board("BB").content.decode().split('id="appraisals"')[1].split("</section>")[0]
    assert "赵党员" not in other and "钱党员" in other
    # the general branch's board lists its branches' members by branch
    general = board("GA").content.decode().split('id="appraisals"')[1].split("</section>")[0]
    assert "机关一支部：" in general and "赵党员" in general
    # last year's board: nothing of this year
    assert "赵党员" not in board("BA", 2025).content.decode().split('id="appraisals"')[1]


def test_public_board_api_whitelist(world, published):
    services.cycle_publish(actor=world.org_officer, cycle=published)
    response = APIClient().get(API, {"year": 2026})
    assert response.status_code == 200
    data = response.json()
    appraisal = data["appraisals"][0]
    assert set(appraisal) == {"title", "published_on", "grades", "count"}
    grade = next(g for g in appraisal["grades"] if g["grade"] == "优秀")
    assert set(grade) == {"grade", "count", "names", "groups"}
    assert "赵党员" in grade["names"]
    honour = data["honours"][0]
    assert set(honour) == {
        "id",
        "year",
        "kind",
        "kind_label",
        "person_name",
        "organisation_name",
        "awarded_on",
    }
    text = response.content.decode()
    person = Person.objects.get(pk=world.member_a.pk)
    for secret in (person.id_number, person.phone, "保密处室甲", "秘密报告内容", "97.5"):
        assert secret not in text
