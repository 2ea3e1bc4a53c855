"""The upload policy end to end: duty-record attachments through the API and the web form,
refused types written nowhere, rolled-back and replaced files removed, downloads scoped and
served as attachments under a sandbox."""

import io
from datetime import date, time
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import resolve, reverse
from rest_framework.test import APIClient

from dangjian.core import audit, uploads
from dangjian.core.models import AuditEvent
from dangjian.posts import services as post_services
from dangjian.posts.models import DutyRecord
from tests.core import upload_samples as samples

pytestmark = pytest.mark.django_db

API = "/api/v1/duty-records/"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root) -> list:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def api(user):
    # A signed-in session, as a browser has: a request without session or token is held to
    # the anonymous body cap (ANONYMOUS_REQUEST_MAX_BYTES) before it reaches the upload policy.
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def duty_payload(**extra):
    return {"occurred_on": "2026-03-02", "place": "活动室", "content": "集中学习", **extra}


def post_record(user, name, content):
    return api(user).post(
        API, duty_payload(attachment=samples.upload(name, content)), format="multipart"
    )


# --- the duty-record attachment: used to answer 500 and leave the file behind ---------------


def test_duty_record_with_attachment_through_the_api(world, media):
    response = post_record(world.member_user, "学习照片.png", samples.png_bytes())
    assert response.status_code == 201, response.content
    record = DutyRecord.objects.get()
    # A random stored name under the area and month; the original name kept beside it.
    today = date.today()
    assert record.attachment.name.startswith(f"duty/{today:%Y}/{today:%m}/")
    assert len(record.attachment.name.rsplit("/", 1)[1]) == len("0" * 32 + ".png")
    assert record.attachment_name == "学习照片.png"
    assert record.attachment_size == len(samples.png_bytes())
    assert record.attachment_owner == world.member_user
    assert stored_files(media) == [record.attachment.name]
    # The audit trail records the file by its original name.
    (event,) = [e for e in audit.events_for(record) if e.action == AuditEvent.Action.CREATE]
    assert event.changes["附件"] == [None, "学习照片.png"]


def test_duty_record_with_attachment_through_the_web_form(world, as_user, media):
    response = as_user(world.member_user).post(
        reverse("posts:duty_record_create"),
        duty_payload(attachment=samples.upload("会议记录.pdf", samples.pdf_bytes())),
    )
    assert response.status_code == 302
    record = DutyRecord.objects.get()
    assert record.attachment_name == "会议记录.pdf"
    assert stored_files(media) == [record.attachment.name]


@pytest.mark.parametrize(("name", "content"), samples.REFUSED.items(), ids=list(samples.REFUSED))
def test_refused_files_through_the_api_are_400_and_write_nothing(world, media, name, content):
    response = post_record(world.member_user, name, content)
    assert response.status_code == 400
    assert list(response.json()) == ["attachment"]
    assert "不能上传" in response.json()["attachment"][0]
    assert not DutyRecord.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize(("name", "content"), samples.REFUSED.items(), ids=list(samples.REFUSED))
def test_refused_files_through_the_web_form_keep_what_was_typed(
    world, as_user, media, name, content
):
    response = as_user(world.member_user).post(
        reverse("posts:duty_record_create"),
        duty_payload(attachment=samples.upload(name, content)),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["attachment"] and "不能上传" in form.errors["attachment"][0]
    assert form["place"].value() == "活动室"
    assert not DutyRecord.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize(("name", "make"), samples.ACCEPTED.items(), ids=list(samples.ACCEPTED))
def test_real_documents_and_pictures_are_accepted(world, media, name, make):
    response = post_record(world.member_user, name, make())
    assert response.status_code == 201, response.content
    assert DutyRecord.objects.get().attachment_name == name


def test_size_cap_and_quota_are_settings(world, media, settings):
    settings.UPLOAD_MAX_MB = 1
    big = samples.pdf_bytes() + b"%" * (1024 * 1024)
    response = post_record(world.member_user, "大文件.pdf", big)
    assert response.status_code == 400
    assert "超过了1MB的上限" in response.json()["attachment"][0]

    settings.UPLOAD_MAX_MB = 10
    settings.UPLOAD_QUOTA_MB = 1
    assert post_record(world.member_user, "a.png", samples.png_bytes()).status_code == 201
    DutyRecord.objects.update(attachment_size=1024 * 1024 - 10)  # nearly the whole quota
    response = post_record(world.member_user, "b.png", samples.png_bytes())
    assert response.status_code == 400
    assert "超过每人1MB的存储上限" in response.json()["attachment"][0]
    # the quota is per person: another member still may upload
    other = post_record(make_member_user(world), "c.png", samples.png_bytes())
    assert other.status_code == 201
    assert len(stored_files(media)) == 2


def make_member_user(world):
    from tests.factories import make_person, make_user

    return make_user(make_person(world.branch_a, name="孙党员"))


def test_caps_by_area_and_the_import_cap(settings):
    assert uploads.max_bytes("imports") == 20 * 1024 * 1024
    assert uploads.max_bytes("duty") == 10 * 1024 * 1024
    assert uploads.AREAS["imports"] == ("xlsx",)
    settings.UPLOAD_AREA_MAX_MB = {"meetings": 20}
    assert uploads.max_bytes("meetings") == 20 * 1024 * 1024
    assert uploads.max_bytes("duty") == 10 * 1024 * 1024


def test_stored_files_are_not_world_readable(world, media):
    assert post_record(world.member_user, "a.png", samples.png_bytes()).status_code == 201
    path = media / DutyRecord.objects.get().attachment.name
    assert path.stat().st_mode & 0o777 == 0o640
    assert path.parent.stat().st_mode & 0o777 == 0o750


# --- every file input is under the policy -------------------------------------------------


def _file_fields_of_forms():
    from dangjian.assessment.forms import ClaimForm
    from dangjian.development.forms import CaseCreateForm, EventForm, ReportForm, StepForm
    from dangjian.org.forms import ImportForm
    from dangjian.orglife.forms import MeetingForm
    from dangjian.posts.forms import DutyRecordForm
    from dangjian.targets.forms import ProgressForm

    return {
        "posts.DutyRecordForm": DutyRecordForm.base_fields["attachment"],
        "orglife.MeetingForm": MeetingForm.base_fields["attachment"],
        "development.StepForm": StepForm.base_fields["document"],
        "development.CaseCreateForm": CaseCreateForm.base_fields["document"],
        "development.ReportForm": ReportForm.base_fields["document"],
        "development.EventForm": EventForm.base_fields["document"],
        "targets.ProgressForm": ProgressForm.base_fields["evidence"],
        "assessment.ClaimForm": ClaimForm.base_fields["evidence"],
        "org.ImportForm": ImportForm.base_fields["file"],
    }


def test_every_form_file_field_is_an_upload_field():
    from django import forms

    for label, field in _file_fields_of_forms().items():
        assert isinstance(field, uploads.UploadField), label
    # and no form anywhere declares a bare FileField
    import importlib

    for app in ("posts", "orglife", "development", "targets", "assessment", "org"):
        module = importlib.import_module(f"dangjian.{app}.forms")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm):
                for name, field in value.base_fields.items():
                    if isinstance(field, forms.FileField):
                        assert isinstance(field, uploads.UploadField), (value, name)


def test_every_serializer_file_input_is_an_upload_field():
    import importlib

    from rest_framework import serializers

    for app in ("posts", "orglife", "development", "targets", "assessment", "org"):
        module = importlib.import_module(f"dangjian.{app}.serializers")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, serializers.Serializer):
                if issubclass(value, serializers.ModelSerializer) and not hasattr(value, "Meta"):
                    continue  # an abstract base (core.serializer_fields.RecordSerializer)
                for name, field in value().fields.items():
                    if isinstance(field, serializers.FileField) and not field.read_only:
                        assert isinstance(field, uploads.UploadSerializerField), (value, name)


@pytest.mark.parametrize("name", ["minutes.html", "minutes.svg"])
def test_meeting_and_development_forms_refuse_pages_and_svg(world, name):
    from dangjian.development.forms import StepForm
    from dangjian.orglife.forms import MeetingForm

    content = samples.HTML if name.endswith(".html") else samples.SVG
    meeting = MeetingForm(
        {"kind": "general", "topic": "党员大会", "held_on": "2026-03-02", "place": "活动室"},
        {"attachment": samples.upload(name, content)},
        organisation=world.branch_a,
    )
    assert not meeting.is_valid() and "不能上传" in meeting.errors["attachment"][0]
    step = StepForm({"on": "2026-03-02"}, {"document": samples.upload(name, content)})
    assert not step.is_valid() and "不能上传" in step.errors["document"][0]


def test_the_model_field_refuses_what_no_form_checked(world, media):
    """A service or a script writing a file directly meets the same policy."""
    record = DutyRecord(
        person=world.member_a,
        organisation=world.branch_a,
        occurred_on=date(2026, 3, 2),
        place="活动室",
        content="集中学习",
        attachment=samples.upload("x.pdf", samples.HTML),
    )
    with pytest.raises(ValidationError) as exc:
        record.save()
    assert "attachment" in exc.value.message_dict
    assert stored_files(media) == []


# --- files of rolled-back, replaced and deleted rows -------------------------------------------


def test_a_failed_write_leaves_no_file(world, media, monkeypatch):
    """The file is stored while the row is saved; when the write fails after that, the
    transaction rolls back and the file goes with it."""

    def fail(**kwargs):
        raise ValidationError({"content": "写入失败"})

    monkeypatch.setattr(post_services.audit, "created", fail)
    response = post_record(world.member_user, "a.png", samples.png_bytes())
    assert response.status_code == 400 and response.json() == {"content": ["写入失败"]}
    assert not DutyRecord.objects.exists()
    assert stored_files(media) == []


def test_a_rolled_back_service_call_leaves_no_file(world, media):
    with pytest.raises(RuntimeError), transaction.atomic():
        post_services.duty_record_create(
            actor=world.member_user,
            occurred_on=date(2026, 3, 2),
            place="活动室",
            content="集中学习",
            attachment=samples.upload("a.pdf", samples.pdf_bytes()),
        )
        assert len(stored_files(media)) == 1
        raise RuntimeError
    assert uploads.discard_rolled_back() == 1
    assert stored_files(media) == []


def test_a_replaced_file_is_deleted_after_the_change_commits(
    world, media, django_capture_on_commit_callbacks
):
    assert post_record(world.member_user, "旧.png", samples.png_bytes()).status_code == 201
    record = DutyRecord.objects.get()
    old = record.attachment.name
    with django_capture_on_commit_callbacks(execute=True):
        response = api(world.member_user).patch(
            f"{API}{record.pk}/",
            {"attachment": samples.upload("新.pdf", samples.pdf_bytes())},
            format="multipart",
        )
    assert response.status_code == 200, response.content
    record.refresh_from_db()
    assert record.attachment_name == "新.pdf" and record.attachment.name != old
    assert stored_files(media) == [record.attachment.name]
    (event,) = [e for e in audit.events_for(record) if e.action == AuditEvent.Action.UPDATE]
    assert event.changes["附件"] == ["旧.png", "新.pdf"]


def test_a_deleted_rows_file_is_deleted(world, media, django_capture_on_commit_callbacks):
    assert post_record(world.member_user, "a.png", samples.png_bytes()).status_code == 201
    record = DutyRecord.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert api(world.member_user).delete(f"{API}{record.pk}/").status_code == 204
    assert stored_files(media) == []


def test_a_file_another_row_still_uses_is_kept(world, media, django_capture_on_commit_callbacks):
    assert post_record(world.member_user, "a.png", samples.png_bytes()).status_code == 201
    record = DutyRecord.objects.get()
    twin = DutyRecord.objects.get(pk=record.pk)
    twin.pk = None
    twin.save()
    with django_capture_on_commit_callbacks(execute=True):
        post_services.duty_record_delete(actor=world.member_user, record=record)
    assert stored_files(media) == [twin.attachment.name]


# --- downloads -----------------------------------------------------------------------------


@pytest.fixture
def pdf_record(world, media):
    response = post_record(world.member_user, "2026年3月 学习记录.pdf", samples.pdf_bytes())
    assert response.status_code == 201
    return DutyRecord.objects.get()


@pytest.mark.parametrize(
    ("who", "status"),
    [("member_user", 200), ("secretary_a", 200), ("org_officer", 200), ("secretary_b", 404)],
)
def test_the_download_follows_the_records_scope(world, as_user, pdf_record, who, status):
    url = reverse("media_file", args=[pdf_record.attachment.name])
    response = as_user(getattr(world, who)).get(url)
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == samples.pdf_bytes()


def test_anonymous_download_goes_to_login(as_user, pdf_record):
    response = as_user(None).get(reverse("media_file", args=[pdf_record.attachment.name]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_api_gives_the_scoped_download_url(world, pdf_record):
    data = api(world.secretary_a).get(f"{API}{pdf_record.pk}/").json()
    assert data["attachment"].endswith(reverse("media_file", args=[pdf_record.attachment.name]))


def test_documents_download_as_attachments_under_their_original_name(world, as_user, pdf_record):
    response = as_user(world.secretary_a).get(
        reverse("media_file", args=[pdf_record.attachment.name])
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f"attachment; filename*=utf-8''{quote('2026年3月 学习记录.pdf')}"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"].startswith("sandbox")


def test_pictures_are_inline_in_a_sandbox(world, as_user, media):
    assert post_record(world.member_user, "photo.png", samples.png_bytes()).status_code == 201
    record = DutyRecord.objects.get()
    response = as_user(world.member_user).get(reverse("media_file", args=[record.attachment.name]))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="photo.png"'
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["Cache-Control"] == "private, no-store"


def test_a_page_stored_before_the_policy_is_never_served_as_a_page(world, as_user, media):
    """Files uploaded before the policy (an .html or .svg meeting attachment) download as
    opaque bytes: the type comes from the content, not from the name."""
    from dangjian.orglife.models import Meeting

    for name, content in (("meetings/2026/03/old.html", samples.HTML), ("m/x.svg", samples.SVG)):
        path = media / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        meeting = Meeting.objects.create(
            organisation=world.branch_a,
            kind="general",
            topic="党员大会",
            held_on=date(2026, 3, 2),
            starts_at=time(14),
            ends_at=time(16),
            place="活动室",
            attachment=name,
        )
        response = as_user(world.org_officer).get(reverse("media_file", args=[name]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/octet-stream"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["Content-Security-Policy"].startswith("sandbox")
        meeting.delete()


def test_a_file_on_disk_without_a_row_is_not_served(world, as_user, media):
    (media / "duty").mkdir()
    (media / "duty" / "stray.pdf").write_bytes(samples.pdf_bytes())
    response = as_user(world.org_officer).get(reverse("media_file", args=["duty/stray.pdf"]))
    assert response.status_code == 404


def test_media_root_is_served_by_the_scoped_view_only(settings):
    from django.conf import settings as conf

    assert resolve("/media/duty/2026/03/x.pdf").func.__name__ == "media_file"
    media_root = conf.MEDIA_ROOT.resolve()
    static_roots = [conf.STATIC_ROOT, *getattr(conf, "STATICFILES_DIRS", [])]
    for root in static_roots:
        root = root.resolve() if hasattr(root, "resolve") else root
        assert media_root != root and root not in media_root.parents
        assert media_root not in getattr(root, "parents", [])


# --- orphans, the edit form, the meeting audit --------------------------------------------


def test_sweep_uploads_lists_and_removes_only_old_unreferenced_files(world, media):
    import os

    from django.core.management import call_command

    assert post_record(world.member_user, "a.png", samples.png_bytes()).status_code == 201
    kept = DutyRecord.objects.get().attachment.name
    orphan, fresh = media / "duty" / "orphan.png", media / "duty" / "fresh.png"
    orphan.write_bytes(samples.png_bytes())
    fresh.write_bytes(samples.png_bytes())
    two_days_ago = orphan.stat().st_mtime - 2 * 24 * 3600
    os.utime(orphan, (two_days_ago, two_days_ago))
    os.utime(media / kept, (two_days_ago, two_days_ago))

    out = io.StringIO()
    call_command("sweep_uploads", stdout=out)
    assert out.getvalue().splitlines()[0] == "duty/orphan.png"
    assert "发现（未删除，加 --delete 删除）孤儿文件 1 个" in out.getvalue()
    assert orphan.exists()

    call_command("sweep_uploads", "--delete", stdout=io.StringIO())
    assert stored_files(media) == sorted([kept, "duty/fresh.png"])


def test_the_edit_form_shows_the_original_name(world, as_user, media):
    assert post_record(world.member_user, "学习照片.png", samples.png_bytes()).status_code == 201
    record = DutyRecord.objects.get()
    page = as_user(world.member_user).get(reverse("posts:duty_record_edit", args=[record.pk]))
    html = page.content.decode()
    assert ">学习照片.png</a>" in html
    assert f">{record.attachment.name}<" not in html


def test_the_meeting_audit_names_the_original_file(world, media):
    from dangjian.orglife import services as orglife_services

    meeting = orglife_services.meeting_create(
        actor=world.secretary_a,
        organisation=world.branch_a,
        kind="general",
        topic="党员大会",
        held_on=date(2026, 3, 2),
        starts_at=time(14),
        ends_at=time(16),
        place="活动室",
        attachment=samples.upload("会议纪要.pdf", samples.pdf_bytes()),
    )
    (event,) = audit.events_for(meeting)
    assert event.changes["附件"] == [None, "会议纪要.pdf"]


def test_a_media_root_inside_a_public_folder_fails_the_system_check(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.MEDIA_ROOT = tmp_path / "media"
    assert uploads.check_media_not_public() == []
    settings.MEDIA_ROOT = tmp_path / "static" / "media"
    (error,) = uploads.check_media_not_public()
    assert error.id == "core.E103" and "会被公开访问" in error.msg
    settings.MEDIA_ROOT = tmp_path
    assert [e.id for e in uploads.check_media_not_public()] == ["core.E103"]
