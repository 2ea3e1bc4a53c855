"""支部活动经费: the ledger's lines (a record type with a voucher under the upload policy), the
computed income lines, the ledger page and its export — by role, with bad input."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangjian.finance import services
from dangjian.finance.models import FundEntry, FundKind
from tests.factories import make_person
from tests.harness import assert_max_queries, assert_role_matrix, capture_queries

pytestmark = pytest.mark.django_db

YEAR = 2026
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def entry(world):
    return services.fund_entry_create(
        actor=world.secretary_a,
        organisation=world.branch_a,
        year=YEAR,
        kind=FundKind.SPENDING,
        amount=D("260.00"),
        on=date(YEAR, 5, 4),
        summary="主题党日活动交通费",
    )


def _url(name, *args):
    return reverse(f"finance:fund_{name}", args=args)


def test_entries_follow_the_rules_and_rights(world, entry):
    with pytest.raises(ValidationError) as refused:
        services.fund_entry_update(actor=world.secretary_a, entry=entry, on=date(YEAR + 1, 1, 1))
    assert "on" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.fund_entry_update(actor=world.secretary_a, entry=entry, amount=D(0))
    assert "amount" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.fund_entry_create(
            actor=world.gb_secretary_a,
            organisation=world.gb_a,
            year=YEAR,
            kind=FundKind.OTHER_INCOME,
            amount=D(1),
            on=date(YEAR, 1, 1),
            summary="总支",
        )
    assert "organisation" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        services.fund_entry_update(actor=world.secretary_b, entry=entry, summary="越权")
    with pytest.raises(ValidationError):
        services.fund_compute(
            actor=world.secretary_a,
            branch=world.branch_a,
            year=YEAR,
            kind=FundKind.SPENDING,
            on=date(YEAR, 1, 1),
        )
    services.fund_entry_delete(actor=world.gb_secretary_a, entry=entry)
    assert not FundEntry.objects.exists()


def test_the_allocation_counts_members_from_the_count_table(world):
    for n in range(3):
        make_person(world.branch_b, name=f"学生{n}", category="student")
    make_person(world.branch_b, name="退休", category="retiree")
    make_person(world.branch_b, name="群众", status="masses")
    entry = services.fund_compute(
        actor=world.secretary_b,
        branch=world.branch_b,
        year=YEAR,
        kind=FundKind.ALLOCATION,
        on=date(YEAR, 3, 1),
    )
    # 李书记 (staff) and 钱党员 (staff) and the retiree at 100, three students at 50.
    assert entry.amount == D(450) and "学生党员3名" in entry.summary
    assert (
        services.fund_compute(
            actor=world.secretary_b,
            branch=world.branch_b,
            year=YEAR,
            kind=FundKind.DUES_RETURN,
            on=date(YEAR, 3, 1),
        )
        is None
    )  # nothing paid, nothing returned


def test_pages_by_role(as_role, world, entry):
    everyone = {"officer": 200, "gb_officer": 200, "org_officer": 200, "anonymous": 302}
    assert_role_matrix(as_role, _url("list"), {**everyone, "other_officer": 200, "member": 200})
    assert_role_matrix(
        as_role, _url("detail", entry.pk), {**everyone, "other_officer": 404, "member": 404}
    )
    assert_role_matrix(
        as_role, _url("edit", entry.pk), {**everyone, "other_officer": 404, "member": 403}
    )
    assert_role_matrix(as_role, _url("create"), {"officer": 200, "member": 403, "anonymous": 302})
    assert_role_matrix(as_role, _url("export"), {"officer": 200, "member": 200, "anonymous": 302})
    assert_role_matrix(
        as_role,
        _url("delete", entry.pk),
        {"officer": 302, "other_officer": 404, "member": (403, 404), "anonymous": 302},
        method="post",
    )
    assert "主题党日" not in as_role("member").get(_url("list")).content.decode()
    assert "主题党日" not in as_role("other_officer").get(_url("list")).content.decode()


def test_the_ledger_page_computes_and_exports(as_role, world, entry):
    client = as_role("officer")
    url = reverse("finance:ledger") + f"?org={world.branch_a.pk}&year={YEAR}"
    with assert_max_queries(30):
        page = client.get(url).content.decode()
    assert "主题党日活动交通费" in page and "未上传" in page
    response = client.post(
        reverse("finance:ledger"),
        {"org": world.branch_a.pk, "year": YEAR, "action": FundKind.ALLOCATION},
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "200.00" in page  # two staff members × 100
    assert (
        client.get(reverse("finance:ledger_export") + f"?org={world.branch_a.pk}").status_code
        == 200
    )
    response = as_role("other_officer").post(
        reverse("finance:ledger"),
        {"org": world.branch_a.pk, "year": YEAR, "action": FundKind.ALLOCATION},
    )
    assert response.status_code == 404


def test_a_voucher_is_uploaded_under_the_policy_and_bad_input_is_kept(as_role, world, entry):
    client = as_role("officer")
    data = {
        "organisation": world.branch_a.pk,
        "year": YEAR,
        "kind": FundKind.SPENDING,
        "amount": "-5",
        "on": f"{YEAR}-06-01",
        "summary": "购买学习资料",
    }
    page = client.post(_url("create"), data).content.decode()
    assert "购买学习资料" in page and "金额应大于0" in page
    bad = SimpleUploadedFile(
        "凭证.pdf", b"<script>alert(1)</script>", content_type="application/pdf"
    )
    page = client.post(_url("create"), {**data, "amount": "80", "voucher": bad}).content.decode()
    assert FundEntry.objects.count() == 1 and "购买学习资料" in page
    good = SimpleUploadedFile("凭证.pdf", PDF, content_type="application/pdf")
    response = client.post(_url("create"), {**data, "amount": "80", "voucher": good})
    assert response.status_code == 302
    created = FundEntry.objects.latest("id")
    assert created.voucher_name == "凭证.pdf" and created.voucher_size == len(PDF)
    ledger = client.get(reverse("finance:ledger") + f"?org={world.branch_a.pk}&year={YEAR}")
    assert created.voucher.url in ledger.content.decode()
    assert_role_matrix(
        as_role, created.voucher.url, {"officer": 200, "other_officer": 404, "member": 404}
    )


def test_api_by_role_and_bad_input(api_as_role, world, entry):
    url = reverse("finance-fund-list")
    assert_role_matrix(api_as_role, url, {"officer": 200, "member": 200, "anonymous": (401, 403)})
    assert api_as_role("member").get(url).json()["results"] == []
    detail = reverse("finance-fund-detail", args=[entry.pk])
    assert_role_matrix(api_as_role, detail, {"officer": 200, "other_officer": 404, "member": 404})
    answer = api_as_role("officer").post(
        url,
        {"organisation": world.branch_a.pk, "year": YEAR, "kind": "spending", "amount": "abc"},
        format="json",
    )
    assert answer.status_code == 400 and {"amount", "on", "summary"} <= set(answer.json())
    with capture_queries() as few:
        api_as_role("officer").get(url)
    for n in range(5):
        services.fund_entry_create(
            actor=world.secretary_a,
            organisation=world.branch_a,
            year=YEAR,
            kind=FundKind.OTHER_INCOME,
            amount=D(n + 1),
            on=date(YEAR, 2, 1),
            summary=f"其他收入{n}",
        )
    with assert_max_queries(few.count):
        assert len(api_as_role("officer").get(url).json()["results"]) == 6
