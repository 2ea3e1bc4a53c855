"""`dangjian bench` and the scaled modules, on a small scaled demo (nothing here is timed)."""

import io

import pytest
from django.core.management import call_command

from dangjian.appraisal.models import EvaluationResult
from dangjian.assessment.models import BranchAssessment
from dangjian.core.models import User
from dangjian.demo.management.commands import bench
from dangjian.development.models import Case
from dangjian.org.models import Organisation, Person
from dangjian.orglife.models import Attendance, Meeting
from dangjian.posts.models import DutyRecord, Post
from dangjian.reports.models import QuarterlyReport
from tests.demo.test_demo import load


@pytest.fixture(scope="module")
def scaled_loaded(django_db_setup, django_db_blocker):
    """A small scaled demo (60 organisations, 600 people, the modules), loaded once for the
    module and removed afterwards."""
    from dangjian.demo import generator, institution

    with django_db_blocker.unblock():
        yield load(orgs=60, people=600)
        generator.reset_data()
        User.objects.filter(username__in=[x.username for x in institution.DEMO_LOGINS]).delete()


@pytest.fixture
def scaled(scaled_loaded, db):
    return scaled_loaded


def run_bench(*args, **options) -> str:
    out = io.StringIO()
    call_command("bench", *args, stdout=out, **options)
    return out.getvalue()


def test_scaled_mode_makes_the_modules_in_proportion(scaled):
    branches = Organisation.objects.filter(kind="branch").count()
    members = Person.objects.filter(party_status__in=("full", "probationary")).count()
    assert Meeting.objects.filter(organisation__kind="branch").count() == 5 * branches
    assert Attendance.objects.count() > members  # every member at the general meeting
    assert Post.objects.count() >= branches
    assert DutyRecord.objects.count() > 0
    assert EvaluationResult.objects.count() == members
    assert BranchAssessment.objects.count() == branches
    assert QuarterlyReport.objects.exists()
    pipeline = ("applicant", "activist", "candidate", "target", "probationary")
    assert Case.objects.count() == Person.objects.filter(party_status__in=pipeline).count()


@pytest.mark.parametrize("user", ["zuzhibu", "zhibu", "dangyuan", bench.PUBLIC])
def test_single_request_mode_prints_every_page_of_the_mix(scaled, user):
    output = run_bench("--user", user, "--repeat", "1")
    _account, pages = bench.role_mix(user)
    for label in pages:
        assert label in output
    if user in ("zuzhibu", "zhibu"):
        assert "人员名册 / 管理后台" in output and "人员名册 / 主查询" in output


def test_skip_leaves_a_page_out(scaled):
    output = run_bench("--user", "zuzhibu", "--repeat", "1", "--skip", "季报表", "--no-ratio")
    assert "季报表" in output and "跳过" in output
    assert "人员名册 / 管理后台" not in output
    output = run_bench("--user", "zhibu", "--repeat", "1", "--skip", "zuzhibu:季报表", "--no-ratio")
    assert "跳过" not in output


def test_percentile_is_nearest_rank():
    values = list(range(1, 21))
    assert bench.percentile(values, 50) == 10
    assert bench.percentile(values, 95) == 19
    assert bench.percentile(values, 99) == 20
    assert bench.percentile([7.0], 99) == 7.0
