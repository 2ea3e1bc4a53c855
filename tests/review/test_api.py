"""The API of 联述联评联考 (/api/v1/review/): scoping, the steps, and 400 naming the field."""

import pytest

from dangjian.review.models import ReportState, RoundState
from tests.harness import assert_role_matrix
from tests.review.conftest import TEXT

pytestmark = pytest.mark.django_db
BASE = "/api/v1/review"


def test_round_endpoints_scoped(api_as_role, round_):
    assert_role_matrix(
        api_as_role,
        f"{BASE}/rounds/{round_.pk}/",
        {
            "officer": 200,
            "gb_officer": 200,
            "org_officer": 200,
            "member": 404,
            "anonymous": (401, 403),
        },
    )
    listed = api_as_role("member").get(f"{BASE}/rounds/").json()
    assert listed["results"] == []


def test_round_create_via_api(api_as_role, world, today):
    client = api_as_role("gb_officer")
    bad = client.post(
        f"{BASE}/rounds/",
        {"organisation": world.gb_a.pk, "year": "x", "level": "branch"},
        format="json",
    )
    assert bad.status_code == 400 and "year" in bad.json()
    other = api_as_role("other_officer").post(
        f"{BASE}/rounds/",
        {"organisation": world.gb_a.pk, "year": today.year, "level": "branch"},
        format="json",
    )
    assert (
        other.status_code == 400 and "organisation" in other.json()
    )  # not a choice in their scope
    ok = client.post(
        f"{BASE}/rounds/",
        {"organisation": world.gb_a.pk, "year": today.year, "level": "branch"},
        format="json",
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["weight_masses"] == 40 and ok.json()["state"] == "open"


def test_report_endpoints_scoped(api_as_role, report_a):
    assert_role_matrix(
        api_as_role,
        f"{BASE}/reports/{report_a.pk}/",
        {
            "officer": 200,
            "gb_officer": 200,
            "org_officer": 200,
            "other_officer": 404,
            "member": 404,
            "anonymous": (401, 403),
        },
    )
    mine = api_as_role("officer").get(f"{BASE}/reports/").json()["results"]
    assert [r["organisation_name"] for r in mine] == ["机关一支部"]
    bad = api_as_role("org_officer").get(f"{BASE}/reports/?state=nope")
    assert bad.status_code == 400 and "state" in bad.json()


def test_steps_via_api(api_as_role, world, round_, report_a, report_b, today, review):
    url = f"{BASE}/reports/{report_a.pk}"
    short = api_as_role("officer").post(f"{url}/submit/", {"text": "短"}, format="json")
    assert short.status_code == 400 and "至少50字" in str(short.json()["text"])
    assert (
        api_as_role("other_officer")
        .post(f"{url}/submit/", {"text": TEXT}, format="json")
        .status_code
        == 404
    )
    done = api_as_role("officer").post(f"{url}/submit/", {"text": TEXT}, format="json")
    assert done.status_code == 200 and done.json()["state"] == ReportState.REPORTED
    own = api_as_role("officer").post(
        f"{url}/rating/", {"opens_on": today, "closes_on": today, "links": 3}, format="json"
    )
    assert own.status_code == 403 and "上一级党组织" in str(own.json())
    bad = api_as_role("gb_officer").post(
        f"{url}/rating/",
        {"opens_on": today, "closes_on": "2000-01-01", "min_responses": 3},
        format="json",
    )
    assert bad.status_code == 400 and "closes_on" in bad.json()
    ok = api_as_role("gb_officer").post(
        f"{url}/rating/",
        {"opens_on": today, "closes_on": today, "min_responses": 3, "links": 4},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["state"] == ReportState.RATING
    progress = api_as_role("gb_officer").get(f"{url}/rating/").json()
    assert progress["responses"] == 0 and progress["minimum"] == 3 and progress["issued"] == 4
    early = api_as_role("gb_officer").post(
        f"{url}/review/", {"score": 90, "comment": "好"}, format="json"
    )
    assert early.status_code == 400 and "最少有效票数" in str(early.json()["score"])
    high = api_as_role("gb_officer").post(
        f"{url}/review/", {"score": 101, "comment": "好"}, format="json"
    )
    assert high.status_code == 400 and "score" in high.json()
    # the rest through the services, then publish
    report_a.refresh_from_db()
    from dangjian.surveys import services as surveys

    for token in report_a.survey.tokens.values_list("token", flat=True)[:3]:
        surveys.ballot_cast(token=token, ratings={report_a.secretary_id: "competent"})
    reviewed = api_as_role("gb_officer").post(
        f"{url}/review/", {"score": "88.5", "comment": "好"}, format="json"
    )
    assert reviewed.status_code == 200, reviewed.content
    assert reviewed.json()["total"] == "87.1" and reviewed.json()["grade"] == "称职"  # 34 + 53.1
    review(report_b)
    assert api_as_role("gb_officer").post(f"{BASE}/rounds/{round_.pk}/publish/").status_code == 403
    published = api_as_role("org_officer").post(f"{BASE}/rounds/{round_.pk}/publish/")
    assert published.status_code == 200 and published.json()["state"] == RoundState.PUBLISHED
