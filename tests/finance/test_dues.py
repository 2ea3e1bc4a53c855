"""党费 end to end: standards, monthly collection (grid, API batch, Excel import), the six-month
flag and its reminders, statistics, the member's own page — by role, with bad input and query
counts."""

import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from dangjian.core import reminders as core_reminders
from dangjian.core.models import AuditEvent
from dangjian.finance import excel, reminders, rules, selectors, services
from dangjian.finance.models import DuesPayment, DuesStandard, FundEntry, FundKind
from tests.factories import make_person, make_user
from tests.harness import assert_max_queries, assert_role_matrix, capture_queries

pytestmark = pytest.mark.django_db

YEAR = 2026


def _standards(world, year=YEAR, bases=None):
    bases = bases or {}
    people = [world.secretary_a.person, world.member_a]
    rows = [
        services.StandardRow(person_id=p.pk, kind="in_work", base=bases.get(p.pk, D(3000)))
        for p in people
    ]
    return services.standards_save(
        actor=world.secretary_a, branch=world.branch_a, year=year, rows=rows
    )


def _pay(world, person, year, month, paid=None, paid_on=None):
    return services.payments_save(
        actor=world.secretary_a,
        branch=world.branch_a,
        year=year,
        month=month,
        rows=[services.PaymentRow(person_id=person.pk, paid=paid, paid_on=paid_on, note="")],
    )[0]


@pytest.fixture
def standards(world):
    return _standards(world, bases={world.member_a.pk: D("5000.01")})


# --- services ------------------------------------------------------------------------------


def test_a_year_of_dues_is_computed_collected_and_reported(world, standards):
    """The issue's done-when on a small world: standards, twelve months, statistics, fund."""
    secretary, member = world.secretary_a.person, world.member_a
    assert [r.row.monthly for r in standards] == [D("15.00"), D("75.00")]
    for month in range(1, 13):
        rows = [
            services.PaymentRow(
                person_id=secretary.pk, paid=D(15), paid_on=date(YEAR, month, 10), note=""
            ),
            services.PaymentRow(
                person_id=member.pk,
                paid=D(75) if month <= 6 else None,
                paid_on=date(YEAR, month, 28) if month <= 6 else None,
                note="",
            ),
        ]
        results = services.payments_save(
            actor=world.secretary_a, branch=world.branch_a, year=YEAR, month=month, rows=rows
        )
        assert all(r.saved for r in results)
    stats = {r.organisation.pk: r for r in selectors.statistics(world.committee, YEAR)}
    top = stats[world.committee.pk]
    assert top.due == D(12 * 90) and top.paid == D(12 * 15 + 6 * 75)
    assert top.arrears == 6 and top.records == 24
    assert stats[world.gb_a.pk].paid == top.paid and stats[world.gb_b.pk].records == 0
    july = {r.organisation.pk: r for r in selectors.statistics(world.committee, YEAR, 7)}
    assert july[world.committee.pk].paid == D(15)
    lapsed = selectors.lapsed_under(world.committee, rules.period_of(YEAR, 12))
    assert [(x.name, x.run) for x in lapsed] == [("赵党员", 6)]
    entry = services.fund_compute(
        actor=world.secretary_a,
        branch=world.branch_a,
        year=YEAR,
        kind=FundKind.DUES_RETURN,
        on=date(YEAR, 12, 31),
    )
    assert entry.amount == rules.returned_share(top.paid)
    allocation = services.fund_compute(
        actor=world.secretary_a,
        branch=world.branch_a,
        year=YEAR,
        kind=FundKind.ALLOCATION,
        on=date(YEAR, 12, 31),
    )
    assert allocation.amount == D(200)  # two staff members × 100
    again = services.fund_compute(
        actor=world.secretary_a,
        branch=world.branch_a,
        year=YEAR,
        kind=FundKind.ALLOCATION,
        on=date(YEAR, 12, 31),
    )
    assert again.pk == allocation.pk and FundEntry.objects.count() == 2
    ledger = selectors.ledger(world.branch_a, YEAR)
    assert ledger.balance == entry.amount + allocation.amount


def test_standards_are_audited_and_recalculated_from_last_years_base(world, standards):
    standard = DuesStandard.objects.get(person=world.member_a, year=YEAR)
    assert standard.set_by == world.secretary_a and standard.base == D("5000.01")
    assert AuditEvent.objects.filter(event="finance.standard_set").count() == 2
    student = make_person(world.branch_a, name="孙同学", category="student")
    newcomer = make_person(world.branch_a, name="周老师")
    done = services.standards_recalculate(
        actor=world.secretary_a, branch=world.branch_a, year=YEAR + 1
    )
    assert done.saved == 3 and done.missing == ["周老师"]
    assert DuesStandard.objects.get(person=student, year=YEAR + 1).monthly == D("0.20")
    assert DuesStandard.objects.get(person=world.member_a, year=YEAR + 1).monthly == D("75.00")
    assert not DuesStandard.objects.filter(person=newcomer).exists()
    again = services.standards_recalculate(
        actor=world.secretary_a, branch=world.branch_a, year=YEAR + 1
    )
    assert again.saved == 0 and again.unchanged == 3


def test_rights_and_rules_of_the_services(world, standards):
    with pytest.raises(PermissionDenied):
        _standards(world)  # fine for the secretary; now the other branch's:
        services.standards_save(actor=world.secretary_b, branch=world.branch_a, year=YEAR, rows=[])
    with pytest.raises(PermissionDenied):
        services.payments_save(
            actor=world.member_user, branch=world.branch_a, year=YEAR, month=1, rows=[]
        )
    with pytest.raises(ValidationError):
        services.payments_save(
            actor=world.secretary_a, branch=world.gb_a, year=YEAR, month=1, rows=[]
        )
    with pytest.raises(ValidationError):
        services.payments_save(
            actor=world.secretary_a, branch=world.branch_a, year=YEAR, month=13, rows=[]
        )
    # The general branch above keeps the branch's dues too.
    result = _pay(world, world.member_a, YEAR, 1, D(75), date(YEAR, 1, 5))
    assert result.saved


def test_each_row_of_a_batch_has_its_result(world, standards):
    stranger = make_person(world.branch_b, name="外支部")
    unset = make_person(world.branch_a, name="未核定")
    results = services.payments_save(
        actor=world.secretary_a,
        branch=world.branch_a,
        year=YEAR,
        month=3,
        rows=[
            services.PaymentRow(
                person_id=world.member_a.pk, paid=D(75), paid_on=date(YEAR, 4, 2), note=""
            ),
            services.PaymentRow(person_id=unset.pk, paid=D(1), paid_on=date(YEAR, 3, 2), note=""),
            services.PaymentRow(person_id=stranger.pk, paid=None, paid_on=None, note=""),
            services.PaymentRow(
                person_id=world.secretary_a.person.pk, paid=D(15), paid_on=None, note=""
            ),
        ],
    )
    assert [r.saved for r in results] == [True, False, False, False]
    assert "尚未核定" in results[1].message and "不是本支部党员" in results[2].message
    assert "paid_on" in results[3].errors
    payment = DuesPayment.objects.get()
    assert payment.state == "late" and payment.due == D(75)
    unchanged = _pay(world, world.member_a, YEAR, 3, D(75), date(YEAR, 4, 2))
    assert not unchanged.saved and not unchanged.errors


def test_six_months_across_the_year_boundary_flag_and_remind(world, standards):
    _standards(world, year=YEAR - 1)
    member = world.member_a
    for year, month in [(YEAR - 1, 10), (YEAR - 1, 11), (YEAR - 1, 12), (YEAR, 1), (YEAR, 2)]:
        _pay(world, member, year, month)
    today = date(YEAR, 3, 15)  # February is the last month that has ended
    through = selectors.last_closed_period(today)
    assert selectors.lapsed_under(world.committee, through) == []  # five months
    due = list(reminders.collect(today, today))
    assert [d.person_id for d in due] == [member.pk]  # the member, for February
    _pay(world, member, YEAR, 3)
    today = date(YEAR, 4, 1)
    lapsed = selectors.lapsed_under(world.committee, selectors.last_closed_period(today))
    assert [(x.person_id, x.run) for x in lapsed] == [(member.pk, 6)]
    due = {d.person_id: d for d in reminders.collect(today, today)}
    assert "连续6个月" in due[world.secretary_a.person.pk].title
    assert "3月的党费尚未交纳" in due[member.pk].title
    assert selectors.lapsed_under(world.branch_b, selectors.last_closed_period(today)) == []
    # A late payment of March ends the run.
    _pay(world, member, YEAR, 3, D(75), date(YEAR, 4, 1))
    assert selectors.lapsed_under(world.committee, selectors.last_closed_period(today)) == []


def test_reminders_are_a_few_queries(world, standards):
    for n in range(5):
        person = make_person(world.branch_a, name=f"欠缴{n}")
        services.standards_save(
            actor=world.secretary_a,
            branch=world.branch_a,
            year=YEAR,
            rows=[services.StandardRow(person_id=person.pk, kind="student", base=None)],
        )
        for month in range(1, 8):
            _pay(world, person, YEAR, month)
    today = date(YEAR, 8, 2)
    with assert_max_queries(5):
        due = list(reminders.collect(today, today))
    assert len(due) == 10
    assert core_reminders.apply(due).created == 10


# --- pages ---------------------------------------------------------------------------------


def _url(name, **query):
    url = reverse(f"finance:{name}")
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def test_pages_by_role(as_role, world, standards):
    branch = world.branch_a.pk
    officers = {"officer": 200, "gb_officer": 200, "org_officer": 200, "admin": 200}
    scoped = {**officers, "other_officer": 404, "member": 403, "anonymous": 302}
    for name in ("standards", "collection", "ledger", "ledger_export"):
        assert_role_matrix(as_role, _url(name, org=branch, year=YEAR), scoped)
    for name in ("import", "statistics"):
        assert_role_matrix(
            as_role, _url(name), {**officers, "other_officer": 200, "member": 403, "anonymous": 302}
        )
    assert_role_matrix(
        as_role,
        _url("statistics", org=world.committee.pk),
        {"org_officer": 200, "officer": 404, "member": 403},
    )
    assert_role_matrix(
        as_role,
        _url("statistics_export", org=branch, year=YEAR),
        {"officer": 200, "other_officer": 404, "member": 403, "anonymous": 302},
    )
    assert_role_matrix(as_role, _url("my_dues"), {"member": 200, "officer": 200, "anonymous": 302})
    assert_role_matrix(
        as_role,
        _url("collection"),
        {"officer": 404, "other_officer": 200, "member": 403},
        method="post",
        data={"org": world.branch_b.pk, "year": YEAR, "month": 1},
    )


def test_the_member_sees_only_their_own_dues(as_role, world, standards):
    _pay(world, world.member_a, YEAR, 1, D(75), date(YEAR, 1, 3))
    page = as_role("member").get(_url("my_dues", year=YEAR)).content.decode()
    assert "5000.01" in page and "75.00" in page and "已缴" in page
    assert "3000" not in page  # the secretary's base
    other = make_user(world.member_b)
    from django.test import Client

    client = Client()
    client.force_login(other)
    page = client.get(_url("my_dues", year=YEAR)).content.decode()
    assert "5000.01" not in page and "尚未核定" in page


def test_the_standards_page_saves_and_keeps_a_bad_base(as_role, world):
    client = as_role("officer")
    secretary, member = world.secretary_a.person.pk, world.member_a.pk
    response = client.post(
        _url("standards"),
        {
            "org": world.branch_a.pk,
            "year": YEAR,
            f"kind_{secretary}": "in_work",
            f"base_{secretary}": "10000",
            f"kind_{member}": "in_work",
            f"base_{member}": "八千",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "八千" in page and "金额应为数字" in page
    assert DuesStandard.objects.get().monthly == D("150.00")
    response = client.post(
        _url("standards"), {"org": world.branch_a.pk, "year": YEAR, "action": "recalculate"}
    )
    assert response.status_code == 302


def test_the_collection_grid_saves_each_row_and_keeps_what_was_typed(as_role, world, standards):
    client = as_role("officer")
    secretary, member = world.secretary_a.person.pk, world.member_a.pk
    data = {
        "org": world.branch_a.pk,
        "year": YEAR,
        "month": 2,
        f"paid_{secretary}": "15",
        f"paid_on_{secretary}": "2026-02-10",
        f"paid_{member}": "75",
        f"paid_on_{member}": "",
        f"note_{member}": "现金",
    }
    response = client.post(_url("collection"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "请填写缴纳日期" in page and "现金" in page
    assert DuesPayment.objects.get().person_id == secretary
    data[f"paid_on_{member}"] = "2026-03-02"
    page = client.post(_url("collection"), data).content.decode()
    assert "补缴" in page
    assert DuesPayment.objects.get(person_id=member).state == "late"


def test_the_collection_grid_costs_the_same_for_more_members(as_role, world, standards):
    client = as_role("officer")
    url = _url("collection", org=world.branch_a.pk, year=YEAR, month=1)
    with capture_queries() as few:
        assert client.get(url).status_code == 200
    for n in range(8):
        person = make_person(world.branch_a, name=f"新党员{n}")
        services.standards_save(
            actor=world.secretary_a,
            branch=world.branch_a,
            year=YEAR,
            rows=[services.StandardRow(person_id=person.pk, kind="student", base=None)],
        )
        _pay(world, person, YEAR, 1)
    with assert_max_queries(few.count):
        assert client.get(url).status_code == 200


def test_statistics_query_count_and_export(as_role, world, standards):
    _pay(world, world.member_a, YEAR, 1, D(75), date(YEAR, 1, 3))
    client = as_role("org_officer")
    with assert_max_queries(25):
        page = client.get(_url("statistics", org=world.committee.pk, year=YEAR)).content.decode()
    assert "机关党总支" in page and "75.00" in page
    response = client.get(_url("statistics_export", org=world.committee.pk, year=YEAR))
    assert response.status_code == 200


# --- the import ----------------------------------------------------------------------------


def _workbook(rows):
    wb = Workbook()
    ws = wb.active
    ws.title = excel.SHEET
    ws.append(list(excel.COLUMNS))
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("党费.xlsx", out.getvalue(), content_type=excel.XLSX_CONTENT_TYPE)


@pytest.fixture
def numbered(world, standards):
    world.member_a.staff_number = "T001"
    world.member_a.save()
    secretary = world.secretary_a.person
    secretary.staff_number = "T002"
    secretary.save()
    make_person(world.branch_b, name="钱外支", staff_number="T009")
    return world


def test_an_import_with_one_bad_row_imports_nothing_and_lists_every_problem(as_role, numbered):
    upload = _workbook(
        [
            ["T001", "赵党员", 2026, 1, 75, "2026-01-05", ""],
            ["T002", "王某", 2026, 13, "abc", "2026-02-30", ""],
            ["T009", "钱外支", 2026, 1, 1, "2026-01-05", ""],
            ["T001", "赵党员", 2026, 1, 75, "2026-01-05", ""],
            ["T002", "张书记", 2025, 1, None, None, ""],
        ]
    )
    response = as_role("officer").post(_url("import"), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200 and not DuesPayment.objects.exists()
    for text in (
        "第3行",
        "与名册不符",
        "应为1至12",
        "金额应为数字",
        "第4行",
        "没有该工号/学号",
        "与第2行重复",
        "尚未核定2025年党费标准",
    ):
        assert text in page, text


def test_a_good_import_is_written(as_role, numbered):
    upload = _workbook(
        [
            ["示例：20240001", "张三", 2026, 3, 12.5, "2026-03-15", ""],
            ["T001", "赵党员", 2026, 1, 75, "2026-01-05", "微信"],
            ["T001", "赵党员", 2026, 2, None, None, ""],
            ["T002", "张书记", "2026", "1", "15.00", date(2026, 2, 3), ""],
        ]
    )
    response = as_role("officer").post(_url("import"), {"file": upload})
    assert response.status_code == 302
    states = dict(DuesPayment.objects.values_list("person__staff_number", "state").filter(month=1))
    assert states == {"T001": "paid", "T002": "late"}
    assert DuesPayment.objects.get(month=2).state == "arrears"
    assert AuditEvent.objects.filter(event="finance.payment_imported").count() == 3


def test_the_import_refuses_what_is_not_a_workbook(as_role, numbered):
    upload = SimpleUploadedFile("党费.xlsx", b"not a workbook")
    page = as_role("officer").post(_url("import"), {"file": upload}).content.decode()
    assert "xlsx" in page and not DuesPayment.objects.exists()
    template = as_role("officer").get(_url("import_template"))
    sheet = load_workbook(io.BytesIO(template.content)).active
    assert sheet["A1"].value == "工号/学号*"


# --- the API -------------------------------------------------------------------------------


def test_api_by_role(api_as_role, world, standards):
    _pay(world, world.member_a, YEAR, 1, D(75), date(YEAR, 1, 3))
    for name in ("finance-standards-list", "finance-payments-list"):
        url = reverse(name)
        assert_role_matrix(
            api_as_role, url, {"officer": 200, "member": 200, "anonymous": (401, 403)}
        )
        mine = api_as_role("member").get(url).json()["results"]
        assert {r["person"] for r in mine} == {world.member_a.pk}
        assert api_as_role("other_officer").get(url).json()["results"] == []
    standard = DuesStandard.objects.get(person=world.member_a)
    detail = reverse("finance-standards-detail", args=[standard.pk])
    assert_role_matrix(api_as_role, detail, {"officer": 200, "other_officer": 404, "member": 200})
    stats = reverse("finance-statistics")
    assert_role_matrix(
        api_as_role,
        stats + f"?org={world.branch_a.pk}&year={YEAR}",
        {"officer": 200, "other_officer": 404, "member": 403, "anonymous": (401, 403)},
    )
    assert api_as_role("officer").get(stats + "?year=abc").status_code == 400


def test_api_batch_of_payments(api_as_role, world, standards):
    url = reverse("finance-payments-batch")
    body = {
        "organisation": world.branch_a.pk,
        "year": YEAR,
        "month": 5,
        "rows": [
            {"person": world.member_a.pk, "paid": "75.00", "paid_on": "2026-05-03"},
            {"person": world.secretary_a.person.pk, "paid": "15.00"},
        ],
    }
    assert_role_matrix(
        api_as_role,
        url,
        {"officer": 200, "other_officer": 404, "member": 403, "anonymous": (401, 403)},
        method="post",
        data=body,
        format="json",
    )
    answer = api_as_role("officer").post(url, body, format="json").json()
    assert [r["saved"] for r in answer] == [True, False]
    assert "paid_on" in answer[1]["errors"]
    bad = api_as_role("officer").post(url, {**body, "month": 13, "rows": []}, format="json")
    assert bad.status_code == 400 and {"month", "rows"} <= set(bad.json())


def test_api_lists_cost_the_same_for_more_rows(api_as_role, world, standards):
    client = api_as_role("officer")
    url = reverse("finance-payments-list")
    _pay(world, world.member_a, YEAR, 1)
    with capture_queries() as few:
        assert client.get(url).status_code == 200
    for month in range(2, 10):
        _pay(world, world.member_a, YEAR, month)
        _pay(world, world.secretary_a.person, YEAR, month)
    with assert_max_queries(few.count):
        assert len(client.get(url).json()["results"]) == 17
