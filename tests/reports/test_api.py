"""REST API of quarterly reports: scoping, workflow actions, 400s in Chinese, coverage."""

import pytest
from rest_framework.test import APIClient

from dangjian.reports import services
from tests.factories import make_org
from tests.harness import assert_num_queries
from tests.reports.conftest import QUARTER, YEAR
from tests.reports.helpers import make_post

pytestmark = pytest.mark.django_db

BASE = "/api/v1/quarterly-reports/"


def api(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_list_scoped(world, draft):
    assert [r["id"] for r in api(world.secretary_a).get(BASE).json()["results"]] == [draft.pk]
    assert api(world.gb_secretary_a).get(BASE).json()["results"][0]["overdue"] is True
    assert api(world.secretary_b).get(BASE).json()["results"] == []


def test_list_filters(world, draft):
    client = api(world.org_officer)
    assert len(client.get(BASE, {"year": YEAR, "quarter": QUARTER}).json()["results"]) == 1
    assert client.get(BASE, {"status": "submitted"}).json()["results"] == []
    assert client.get(BASE, {"organisation": world.branch_b.pk}).json()["results"] == []
    response = client.get(BASE, {"quarter": 5})
    assert response.status_code == 400
    assert "quarter" in response.json()


def test_list_query_count_is_constant(world):
    client = api(world.org_officer)

    def count(expected=None):
        with assert_num_queries(expected) as ctx:
            assert client.get(BASE).status_code == 200
        return ctx

    for org in (world.branch_a, world.branch_b):
        services.report_generate(actor=world.org_officer, organisation=org, year=YEAR, quarter=1)
    two = count()
    for n in range(4):
        org = make_org(world.gb_b, name=f"支部{n}", code=f"X{n}")
        services.report_generate(actor=world.org_officer, organisation=org, year=YEAR, quarter=1)
    count(two)


@pytest.mark.parametrize(
    "method,suffix",
    [
        ("get", ""),
        ("patch", ""),
        ("post", "refresh/"),
        ("post", "submit/"),
        ("post", "accept/"),
        ("post", "return/"),
    ],
)
def test_detail_endpoints_by_role(world, draft, method, suffix):
    url = f"{BASE}{draft.pk}/{suffix}"
    assert getattr(api(None), method)(url).status_code in (401, 403)
    assert getattr(api(world.member_user), method)(url).status_code == 403
    assert getattr(api(world.secretary_b), method)(url).status_code == 404


def test_retrieve_in_scope(world, draft):
    data = api(world.secretary_a).get(f"{BASE}{draft.pk}/").json()
    assert data["organisation_name"] == "机关一支部"
    assert data["due_date"] == "2025-06-20"
    assert data["deadline_state"] == "overdue"
    assert data["figures"]["branches"] == 1


def test_create_generates_a_draft(world):
    client = api(world.secretary_a)
    payload = {"organisation": world.branch_a.pk, "year": YEAR, "quarter": QUARTER}
    response = client.post(BASE, payload, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "draft"
    again = client.post(BASE, payload, format="json")
    assert again.status_code == 400
    assert "每个季度只填报一份" in again.json()["quarter"][0]


def test_create_out_of_scope_or_bad_input_is_400(world):
    client = api(world.secretary_a)
    response = client.post(
        BASE, {"organisation": world.branch_b.pk, "year": YEAR, "quarter": 2}, format="json"
    )
    assert response.status_code == 400
    assert "不在您的管理范围内" in response.json()["organisation"][0]
    response = client.post(
        BASE, {"organisation": world.group_a.pk, "year": YEAR, "quarter": 2}, format="json"
    )
    assert "党小组不单独填报" in response.json()["organisation"][0]
    response = client.post(BASE, {"organisation": "x", "year": "y"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) >= {"organisation", "year", "quarter"}


def test_workflow_through_the_api(world, draft):
    branch = api(world.secretary_a)
    url = f"{BASE}{draft.pk}/"
    response = branch.post(f"{url}submit/")
    assert response.status_code == 400
    assert "工作进展情况" in response.json()["progress"][0]
    assert branch.patch(url, {"progress": "进展"}, format="json").json()["progress"] == "进展"
    assert branch.post(f"{url}submit/").json()["status"] == "submitted"
    response = branch.patch(url, {"progress": "改"}, format="json")
    assert response.status_code == 400
    assert "须由上级党组织退回" in response.json()["status"][0]
    response = branch.post(f"{url}accept/")
    assert response.status_code == 403
    assert "上级党组织审核" in response.json()["detail"]
    above = api(world.gb_secretary_a)
    response = above.post(f"{url}return/", {}, format="json")
    assert response.status_code == 400
    assert "审核意见" in response.json()["note"][0]
    response = above.post(f"{url}return/", {"note": "请补充"}, format="json")
    assert response.json()["status"] == "returned"
    assert branch.post(f"{url}submit/").json()["status"] == "submitted"
    assert above.post(f"{url}accept/", {"note": "同意"}, format="json").json()["status"] == (
        "accepted"
    )


def test_coverage_endpoint(world):
    make_post(world.branch_a, "published", holder=world.member_a, year=2025)
    url = f"{BASE}coverage/"
    data = (
        api(world.org_officer).get(url, {"organisation": world.committee.pk, "year": 2025}).json()
    )
    assert (data["branches"], data["covered_branches"], data["percent"]) == (2, 1, 50.0)
    assert data["target_met"] is False  # December 2025 has passed
    assert data["verdict"] == "shortfall"
    data = api(world.gb_secretary_a).get(url, {"organisation": world.gb_a.pk, "year": 2025}).json()
    assert data["percent"] == 100.0 and data["target_met"] is True
    assert api(world.secretary_b).get(url, {"organisation": world.gb_a.pk}).status_code == 404
    assert api(world.member_user).get(url, {"organisation": world.gb_a.pk}).status_code == 403
    assert api(None).get(url, {"organisation": world.gb_a.pk}).status_code in (401, 403)
    assert api(world.org_officer).get(url).status_code == 400


def test_schema_lists_the_report_routes(world):
    client = api(world.org_officer)
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in (
        "/api/v1/quarterly-reports/",
        "/api/v1/quarterly-reports/{id}/submit/",
        "/api/v1/quarterly-reports/{id}/return/",
        "/api/v1/quarterly-reports/coverage/",
    ):
        assert path in schema["paths"]
