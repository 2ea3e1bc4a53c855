"""Exports as background jobs (core.jobs): lifecycle, owner-only access, the same rows as the
export wrote before jobs, failures recorded in Chinese, eager mode (no broker) and queued mode
(a broker and a worker)."""

import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.core import jobs
from dangjian.core.models import Job, SecurityEvent
from dangjian.org import exports, selectors
from dangjian.org.models import Person
from tests.factories import make_person
from tests.harness import assert_max_queries, assert_role_matrix

pytestmark = pytest.mark.django_db


def sheet_rows(content: bytes) -> list[tuple]:
    return [tuple(r) for r in load_workbook(io.BytesIO(content)).worksheets[0].values]


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def export_job(user, path="/org/people/export.xlsx", query="") -> Job:
    return Job.objects.create(
        owner=user, title="人员名册.xlsx", params={"path": path, "query": query, "ip": "10.1.2.3"}
    )


# --- eager mode: the job runs in the request, which answers with its file -------------------


def test_an_export_in_eager_mode_is_a_finished_job_and_answers_with_its_file(world, as_user, media):
    for _ in range(3):
        make_person(world.branch_a)
    client = as_user(world.secretary_a)
    response = client.get(reverse("org:person_export"), {"q": ""})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    content = body(response)
    [job] = Job.objects.all()
    assert job.owner == world.secretary_a and job.state == Job.State.DONE
    assert job.rows == Person.objects.visible_to(world.secretary_a).count()
    assert job.file_size == len(content) and job.file.name.startswith("exports/")
    assert job.expires_at > timezone.now() + timedelta(days=6)
    assert job.params["path"] == "/org/people/export.xlsx"
    # 我的导出 lists it; its file downloads again, the same bytes.
    listing = client.get(reverse("job_list"))
    assert "人员名册-" in listing.content.decode() and reverse("job_file", args=[job.pk]) in (
        listing.content.decode()
    )
    again = client.get(reverse("job_file", args=[job.pk]))
    assert again.status_code == 200 and body(again) == content
    assert again["Cache-Control"] == "private, no-store"


def test_an_export_job_writes_the_same_rows_as_the_export_itself(world, as_user, media):
    for i in range(5):
        make_person(world.branch_a, name=f'=HYPERLINK("x"){i}', phone="13800138000")
    client = as_user(world.secretary_a)
    via_job = sheet_rows(body(client.get(reverse("org:person_export"))))
    people = selectors.people_for_list(world.secretary_a).order_by("name", "id")
    direct = sheet_rows(b"".join(exports.export_people(people, full_identity=False)))
    assert via_job == direct
    assert len(via_job) == 1 + people.count()
    # Formula neutralisation and masking are the export's own: unchanged.
    ws = load_workbook(io.BytesIO(body(client.get(reverse("org:person_export"))))).worksheets[0]
    names = [c for c in ws["A"] if str(c.value).startswith("=HYPERLINK")]
    assert names and all(c.data_type == "s" and c.quotePrefix for c in names)
    assert all(row[5] == "138****8000" for row in via_job[1:] if row[0].startswith("="))


def test_a_table_export_runs_as_a_job_too(world, as_user, media):
    response = as_user(world.org_officer).get(reverse("development:case_export"))
    assert response.status_code == 200 and body(response).startswith(b"PK")
    [job] = Job.objects.all()
    assert job.state == Job.State.DONE and job.params["personal_data"] is True
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT).count() == 1


def test_exports_holding_one_time_secrets_are_never_stored(world, as_user, media):
    from dangjian.core.export import xlsx_response, xlsx_table

    request = type("R", (), {"user": world.secretary_a})()
    content = xlsx_table(sheet="s", headers=["链接"], rows=[["https://x/t/secret"]])
    response = xlsx_response(request, content, "链接.xlsx", job=False)
    assert body(response).startswith(b"PK")
    assert not Job.objects.exists()


# --- queued mode: a broker and a worker -------------------------------------------------------


def test_with_a_broker_the_export_is_queued_and_the_page_polls_until_done(
    world, as_user, media, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    queued = []
    monkeypatch.setattr("dangjian.core.tasks.run_job.delay", queued.append)
    client = as_user(world.org_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("org:person_export"), REMOTE_ADDR="10.0.0.9")
    [job] = Job.objects.all()
    assert response.status_code == 302 and response["Location"] == reverse(
        "job_detail", args=[job.pk]
    )
    assert queued == [job.pk] and job.state == Job.State.QUEUED
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT).exists()

    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "排队中" in page
    assert f'hx-get="{reverse("job_progress", args=[job.pk])}"' in page and "every 2s" in page

    jobs.run(job.pk)  # the worker
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.rows == Person.objects.count()
    panel = client.get(reverse("job_progress", args=[job.pk])).content.decode()
    assert "hx-trigger" not in panel  # polling stops
    assert reverse("job_file", args=[job.pk]) in panel and "已生成" in panel
    # The audit names the owner and the address of the request that started the export.
    [event] = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT)
    assert event.user == world.org_officer and event.ip == "10.0.0.9"
    assert event.rows == job.rows and event.path == "/org/people/export.xlsx"
    # A download of personal data from 我的导出 is recorded too.
    assert body(client.get(reverse("job_file", args=[job.pk]))).startswith(b"PK")
    assert SecurityEvent.objects.filter(detail__startswith="下载导出文件").count() == 1


def test_a_job_runs_once_even_if_delivered_twice(world, media):
    job = export_job(world.org_officer)
    jobs.run(job.pk)
    first = Job.objects.get(pk=job.pk)
    jobs.run(job.pk)
    again = Job.objects.get(pk=job.pk)
    assert first.state == again.state == Job.State.DONE and first.file == again.file
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT).count() == 1


def test_progress_is_reported_while_rows_are_written(world, monkeypatch):
    monkeypatch.setattr(jobs, "PROGRESS_EVERY", 2)
    job = export_job(world.org_officer)
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING)
    job.refresh_from_db()
    progress = jobs._Progress(job.pk)
    token = jobs._progress.set(progress)
    try:
        seen = []
        for _ in jobs.counted(range(5)):
            seen.append(jobs.rows_so_far(job))
    finally:
        jobs._progress.reset(token)
    assert seen == [0, 2, 2, 4, 4]  # reported every 2 rows, read from the cache
    assert list(jobs.counted(range(3))) == [0, 1, 2]  # outside a job: untouched


# --- failures ---------------------------------------------------------------------------------


def test_a_job_whose_rows_are_gone_fails_in_chinese(world, media):
    job = export_job(world.org_officer, path="/reports/999999/export.xlsx")
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.error == jobs.NOT_FOUND
    assert not job.file


def test_a_job_whose_owner_lost_the_right_fails_with_the_rule(world, media):
    job = export_job(world.member_user)
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error == "仅党组织书记、委员和组织部干事可以访问。"


def test_an_error_while_writing_fails_the_job_and_leaves_no_file(
    world, as_user, media, monkeypatch
):
    def broken(*args, **kwargs):
        yield b"PK"
        raise RuntimeError("disk full")

    monkeypatch.setattr(exports, "export_people", broken)
    response = as_user(world.org_officer).get(reverse("org:person_export"))
    [job] = Job.objects.all()
    assert response.status_code == 302 and response["Location"] == reverse(
        "job_detail", args=[job.pk]
    )
    assert job.state == Job.State.FAILED and job.error == jobs.INTERNAL
    assert not job.file and not list((media / "exports").rglob("*.xlsx"))
    page = as_user(world.org_officer).get(response["Location"]).content.decode()
    assert "导出失败" in page and "hx-trigger" not in page
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT).exists()


# --- owner only -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["job_detail", "job_progress", "job_file"])
def test_a_job_is_its_owners_alone(world, as_role, media, name):
    job = export_job(world.secretary_a)
    jobs.run(job.pk)
    url = reverse(name, args=[job.pk])
    assert_role_matrix(
        as_role,
        url,
        {
            "officer": 200,
            "other_officer": 404,
            "gb_officer": 404,
            "member": 404,
            "org_officer": 404,
            "admin": 404,
            "anonymous": 302,
        },
    )


def test_my_exports_lists_only_my_jobs_in_constant_queries(world, as_user, media):
    mine = [export_job(world.secretary_a) for _ in range(3)]
    export_job(world.secretary_b)
    client = as_user(world.secretary_a)
    client.get(reverse("job_list"))  # warm the session
    with assert_max_queries(12):
        page = client.get(reverse("job_list")).content.decode()
    for job in mine:
        assert reverse("job_detail", args=[job.pk]) in page
    other = Job.objects.get(owner=world.secretary_b)
    assert reverse("job_detail", args=[other.pk]) not in page


# --- the sweep ----------------------------------------------------------------------------------


def test_the_sweep_removes_expired_jobs_and_fails_abandoned_ones(world, media, settings):
    done = export_job(world.org_officer)
    jobs.run(done.pk)
    done.refresh_from_db()
    path = media / done.file.name
    assert path.is_file()
    later = timezone.now() + timedelta(days=settings.EXPORT_KEEP_DAYS, minutes=1)
    abandoned = export_job(world.org_officer)
    Job.objects.filter(pk=abandoned.pk).update(
        state=Job.State.RUNNING, created_at=later - timedelta(hours=settings.JOB_STALE_HOURS + 1)
    )
    result = jobs.sweep(now=later)
    assert result.expired == 1 and result.stale == 1
    assert not Job.objects.filter(pk=done.pk).exists() and not path.exists()
    abandoned.refresh_from_db()
    assert abandoned.state == Job.State.FAILED and abandoned.error == jobs.STALE


def test_the_sweep_command_runs_the_job_sweep(world, media):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("sweep_reminders", stdout=out)
    assert "删除过期导出 0" in out.getvalue()
    cache.clear()


# --- read_ahead: the export's rows fetched by a helper thread (PostgreSQL) --------------------


def _as_postgresql():
    from unittest import mock

    return mock.patch.object(jobs, "connection", mock.Mock(vendor="postgresql"))


def test_read_ahead_yields_every_row_in_order_across_batches():
    with _as_postgresql():
        assert list(jobs.read_ahead(iter(range(23)), batch=5, depth=2)) == list(range(23))
        assert list(jobs.read_ahead(iter(range(10)), batch=5)) == list(range(10))
        assert list(jobs.read_ahead(iter([]), batch=5)) == []


def test_read_ahead_hands_the_sources_error_to_the_reader():
    def failing():
        yield from range(12)
        raise ValueError("数据库连接中断")

    rows = []
    with _as_postgresql(), pytest.raises(ValueError, match="数据库连接中断"):
        for row in jobs.read_ahead(failing(), batch=5):
            rows.append(row)
    assert rows == list(range(10))  # the batches read before the error


def test_read_ahead_stops_its_helper_when_the_reader_stops():
    import threading

    with _as_postgresql():
        rows = jobs.read_ahead(iter(range(100_000)), batch=10, depth=1)
        assert [next(rows) for _ in range(25)] == list(range(25))
        rows.close()
    assert not any(t.name == "export-read-ahead" for t in threading.enumerate())


def test_read_ahead_streams_a_query_inside_the_exports_transaction(world):
    from django.db import transaction

    for number in range(7):
        make_person(world.branch_a, name=f"预读{number:02d}")
    query = Person.objects.filter(name__startswith="预读").order_by("name")
    with transaction.atomic():
        names = list(jobs.read_ahead(query.values_list("name", flat=True).iterator(2), batch=3))
    assert names == [f"预读{number:02d}" for number in range(7)]
