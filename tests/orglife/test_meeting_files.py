"""Several photos and files per meeting, through the upload policy (issue 14)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangjian.core.models import AuditEvent
from dangjian.orglife import rules, services
from dangjian.orglife.models import MeetingFile
from tests.harness import assert_role_matrix

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def photo(name="会场.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def pdf(name="签到表.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_files_cap_boundary():
    assert rules.meeting_files_error(19, 20) is None
    assert "最多上传20个" in rules.meeting_files_error(20, 20)


def test_add_several_files_audited(world, make_meeting):
    meeting = make_meeting()
    services.meeting_file_add(
        actor=world.secretary_a, meeting=meeting, file=photo(), caption="会场"
    )
    services.meeting_file_add(actor=world.secretary_a, meeting=meeting, file=pdf())
    names = [f.file_name for f in meeting.files.all()]
    assert names == ["会场.png", "签到表.pdf"]
    assert meeting.files.first().is_image
    events = AuditEvent.objects.filter(object_id=meeting.pk, event="orglife.meeting_file_added")
    assert events.count() == 2


def test_add_refused_out_of_scope_and_over_cap(world, make_meeting, settings):
    meeting = make_meeting()
    with pytest.raises(PermissionDenied):
        services.meeting_file_add(actor=world.secretary_b, meeting=meeting, file=photo())
    settings.ORGLIFE_MEETING_MAX_FILES = 1
    services.meeting_file_add(actor=world.secretary_a, meeting=meeting, file=photo())
    with pytest.raises(ValidationError, match="最多上传1个"):
        services.meeting_file_add(actor=world.secretary_a, meeting=meeting, file=pdf())


def test_upload_policy_refuses_disguised_file(world, make_meeting):
    meeting = make_meeting()
    fake = SimpleUploadedFile("照片.png", b"<html><script>alert(1)</script>", "image/png")
    with pytest.raises(ValidationError):
        services.meeting_file_add(actor=world.secretary_a, meeting=meeting, file=fake)
    assert not meeting.files.exists()


def test_page_upload_and_delete(world, make_meeting, as_role):
    meeting = make_meeting()
    client = as_role("officer")
    url = reverse("orglife:meeting_file_add", args=[meeting.pk])
    response = client.post(url, {"file": photo(), "caption": "会场照片"})
    assert response.status_code == 302
    row = meeting.files.get()
    detail = client.get(reverse("orglife:meeting_detail", args=[meeting.pk])).content.decode()
    assert "会场照片" in detail and row.file.url in detail
    # a refused file comes back with the caption kept and the reason in Chinese
    bad = client.post(url, {"file": SimpleUploadedFile("a.exe", b"MZ\x90\x00"), "caption": "留下"})
    assert bad.status_code == 200 and "留下" in bad.content.decode()
    assert meeting.files.count() == 1
    delete = client.post(reverse("orglife:meeting_file_delete", args=[row.pk]))
    assert delete.status_code == 302 and not meeting.files.exists()


def test_page_roles(world, make_meeting, as_role):
    meeting = make_meeting()
    url = reverse("orglife:meeting_file_add", args=[meeting.pk])
    assert_role_matrix(
        as_role,
        url,
        # one file object: only the first role's request reads it
        {"gb_officer": 302, "other_officer": 404, "member": 403, "anonymous": 302},
        method="post",
        data={"file": photo()},
    )
    row = services.meeting_file_add(actor=world.secretary_a, meeting=meeting, file=photo())
    # the file is served to those who see the meeting only
    assert_role_matrix(
        as_role,
        row.file.url,
        {"officer": 200, "org_officer": 200, "other_officer": 404, "anonymous": (302, 404)},
    )


def test_api_files(world, make_meeting, api_as_role):
    meeting = make_meeting()
    base = f"/api/v1/meetings/{meeting.pk}/files/"
    assert_role_matrix(
        api_as_role,
        base,
        {"officer": 201, "other_officer": 404, "member": 403, "anonymous": (401, 403)},
        method="post",
        data={"file": pdf(), "caption": "讲稿"},
        format="multipart",
    )
    created = api_as_role("officer").post(base, {"file": pdf()}, format="multipart")
    assert created.status_code == 201 and created.json()["name"] == "签到表.pdf"
    listed = api_as_role("officer").get(base)
    assert [f["name"] for f in listed.json()] == ["签到表.pdf"]
    bad = api_as_role("officer").post(
        base, {"file": SimpleUploadedFile("x.pdf", b"not a pdf")}, format="multipart"
    )
    assert bad.status_code == 400 and "file" in bad.json()
    pk = created.json()["id"]
    assert api_as_role("other_officer").delete(f"{base}{pk}/").status_code == 404
    assert api_as_role("officer").delete(f"{base}{pk}/").status_code == 204
    assert not MeetingFile.objects.exists()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
