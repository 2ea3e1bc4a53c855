"""Word and PDF of the posts' forms: 党员岗位责任承诺书, 党员定岗情况登记表 and annex 2
(党员亮岗履职一览表), with the print page's scoping; downloads of personal data are audited."""

import sys

import pytest
from django.urls import reverse

from dangjian.core import jobs
from dangjian.core.models import Job, SecurityEvent
from dangjian.posts import services
from tests.documents_check import (
    OFFICER_ONLY,
    assert_download_roles,
    assert_downloads,
    docx_text,
    pdf_text,
)
from tests.posts.test_views import AREAS

pytestmark = pytest.mark.django_db


@pytest.fixture
def commitment(world, year):
    return services.commitment_create(actor=world.member_user, year=year, **AREAS)


def test_commitment_word_and_pdf(world, as_user, commitment):
    word, pdf = assert_downloads(
        as_user(world.secretary_a),
        "posts:commitment_print",
        [commitment.pk],
        contains=["党员岗位责任承诺书", "姓名：赵党员", "按时参加组织生活"],
    )
    assert "所在党支部：机关一支部" in word


def test_commitment_downloads_by_role(world, as_role, commitment):
    # The member's own commitment: the member reads it too, as on its print page.
    assert_download_roles(
        as_role,
        "posts:commitment_print",
        [commitment.pk],
        {"officer": 200, "other_officer": 404, "member": 200, "anonymous": 302},
    )


def test_a_download_of_personal_data_is_recorded(world, as_user, commitment):
    client = as_user(world.secretary_a)
    response = client.get(reverse("posts:commitment_print_docx", args=[commitment.pk]))
    docx_text(response)
    [event] = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT)
    assert event.user == world.secretary_a and event.rows == 1
    assert event.detail == f"党员承诺书（{world.member_a}）（Word）"


@pytest.mark.parametrize("name", ["posts:registration", "posts:annex2"])
def test_registration_and_annex2_word_and_pdf(world, as_user, as_role, published_post, year, name):
    q = f"?org={world.branch_a.pk}&year={year}"
    word, _pdf = assert_downloads(
        as_user(world.gb_secretary_a), name, query=q, contains=[world.member_a.name]
    )
    assert published_post.name in word
    # As on the print page, another branch's officer gets the form of their own scope.
    assert_download_roles(as_role, name, [], {**OFFICER_ONLY, "other_officer": 200}, query=q)
    other = docx_text(as_user(world.secretary_b).get(reverse(f"{name}_docx") + q))
    assert world.member_a.name not in other


# --- a long form is a background job, as exports are -----------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_with_a_broker_a_long_form_is_written_by_the_worker(
    world,
    as_user,
    published_post,
    year,
    media,
    settings,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    queued = []
    monkeypatch.setattr("dangjian.core.tasks.run_job.delay", queued.append)
    client = as_user(world.gb_secretary_a)
    url = reverse("posts:annex2_pdf") + f"?org={world.branch_a.pk}&year={year}"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url)
    [job] = Job.objects.all()
    assert response.status_code == 302 and response["Location"] == reverse(
        "job_detail", args=[job.pk]
    )
    assert queued == [job.pk] and job.title.endswith("党员亮岗履职一览表.pdf")
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT).exists()
    jobs.run(job.pk)  # the worker asks the view again as the job's owner
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error
    text = pdf_text(client.get(reverse("job_file", args=[job.pk])))
    assert world.member_a.name in text.replace("\n", "")
    [event] = SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.EXPORT, detail__endswith="党员亮岗履职一览表（PDF）"
    )
    assert event.rows == 1 and event.user == world.gb_secretary_a


def test_a_pdf_job_without_weasyprint_fails_in_chinese(
    world, as_user, published_post, year, media, monkeypatch
):
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    client = as_user(world.gb_secretary_a)
    response = client.get(reverse("posts:annex2_pdf") + f"?org={world.branch_a.pk}&year={year}")
    [job] = Job.objects.all()
    assert response.status_code == 302 and job.state == Job.State.FAILED
    assert "fonts-noto-cjk" in job.error
    page = client.get(response["Location"]).content.decode()
    assert "暂不能" in page or "尚未安装" in page
