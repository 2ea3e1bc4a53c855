"""Uploaded files are served only to users who may see the row that holds them."""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from dangjian.posts.models import DutyRecord
from tests.core.upload_samples import pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def attachment(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    record = DutyRecord(
        person=world.member_a,
        organisation=world.branch_a,
        occurred_on=date(2026, 3, 2),
        place="活动室",
        content="集中学习",
    )
    record.attachment.save("photo.png", ContentFile(png_bytes()), save=False)
    record.save()
    return reverse("media_file", args=[record.attachment.name])


@pytest.mark.parametrize(
    "who,status",
    [("member_user", 200), ("secretary_a", 200), ("secretary_b", 404), ("org_officer", 200)],
)
def test_file_follows_the_scope_of_its_record(world, as_user, attachment, who, status):
    response = as_user(getattr(world, who)).get(attachment)
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == png_bytes()


def test_anonymous_is_sent_to_login(as_user, attachment):
    assert as_user(None).get(attachment).status_code == 302


def test_unknown_or_escaping_paths_are_404(world, as_user, attachment):
    client = as_user(world.org_officer)
    assert client.get(reverse("media_file", args=["duty/none.txt"])).status_code == 404
    assert client.get("/media/../settings.py").status_code == 404


def test_every_uploaded_file_field_is_protected():
    # A new FileField must be added to PROTECTED_FILES, or its files could never be opened.
    from django.apps import apps
    from django.db import models

    from dangjian.core.uploads import protected_fields

    PROTECTED_FILES = [(model._meta.label, name) for model, name in protected_fields()]

    fields = {
        (f"{m._meta.app_label}.{m.__name__}", f.name)
        for m in apps.get_models()
        if m.__module__.startswith("dangjian.")
        for f in m._meta.get_fields()
        if isinstance(f, models.FileField)
    }
    fields.discard(("org.ImportJob", "file"))  # the importer's own upload, never downloaded
    fields.discard(("core.Job", "file"))  # an export: served to its owner by core.job_views
    assert fields == set(PROTECTED_FILES)
    # ... and every one of them is under the upload policy.
    from dangjian.core.uploads import UploadFileField

    for label, name in PROTECTED_FILES:
        assert isinstance(apps.get_model(label)._meta.get_field(name), UploadFileField), label


def test_a_meeting_attachment_follows_the_meetings_scope(world, as_user, settings, tmp_path):
    from datetime import time

    from dangjian.orglife.models import Meeting

    settings.MEDIA_ROOT = tmp_path
    meeting = Meeting(
        organisation=world.branch_a,
        kind="general",
        topic="党员大会",
        held_on=date(2026, 3, 2),
        starts_at=time(14),
        ends_at=time(16),
        place="活动室",
    )
    meeting.attachment.save("minutes.pdf", ContentFile(pdf_bytes()), save=False)
    meeting.save()
    url = reverse("media_file", args=[meeting.attachment.name])
    assert as_user(world.secretary_a).get(url).status_code == 200
    assert as_user(world.secretary_b).get(url).status_code == 404
