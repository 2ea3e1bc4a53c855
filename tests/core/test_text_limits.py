"""Length limits on free text: a 5 MB note is refused by the form and the API with a Chinese
message — nothing stored, nothing audited — and no TextField or hand-written text field can be
added without a limit."""

from datetime import date

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from rest_framework import serializers
from rest_framework.test import APIClient

from dangjian.core import text_limits
from dangjian.core.models import AuditEvent
from dangjian.org.models import Person
from dangjian.org.services import PERSON_FIELDS
from dangjian.orglife.models import Meeting
from dangjian.posts.models import DutyRecord

pytestmark = pytest.mark.django_db

FIVE_MB = "a" * (5 * 1024 * 1024)
FORM_TOO_LONG = "确保该变量包含不超过 5000 字符"  # Django's zh-hans message
API_TOO_LONG = "请确保这个字段不能超过 5000 个字符。"  # DRF's


def _api(user):
    client = APIClient()
    client.force_login(user)
    return client


def test_5mb_note_through_the_form_is_refused(world, as_user):
    person = world.member_a
    data = {k: v for k, v in model_to_dict(person, fields=PERSON_FIELDS).items() if v is not None}
    data["note"] = FIVE_MB
    audits = AuditEvent.objects.count()
    response = as_user(world.secretary_a).post(reverse("org:person_edit", args=[person.pk]), data)
    assert response.status_code == 200  # the form again, with the error
    assert FORM_TOO_LONG in response.content.decode()
    assert Person.objects.get(pk=person.pk).note == ""
    assert AuditEvent.objects.count() == audits


def test_5mb_note_through_the_api_is_400(world):
    audits = AuditEvent.objects.count()
    response = _api(world.secretary_a).patch(
        f"/api/v1/people/{world.member_a.pk}/", {"note": FIVE_MB}, format="json"
    )
    assert response.status_code == 400
    assert API_TOO_LONG in response.json()["note"][0]
    assert Person.objects.get(pk=world.member_a.pk).note == ""
    assert AuditEvent.objects.count() == audits


def test_a_note_at_the_limit_is_accepted(world):
    response = _api(world.secretary_a).patch(
        f"/api/v1/people/{world.member_a.pk}/", {"note": "a" * 5000}, format="json"
    )
    assert response.status_code == 200
    assert len(Person.objects.get(pk=world.member_a.pk).note) == 5000


def test_hand_written_serializer_field_gets_the_default_limit(world):
    """POST /duty-records/ declares `content` by hand: the default limit applies."""
    response = _api(world.member_user).post(
        "/api/v1/duty-records/",
        {"occurred_on": str(date.today()), "place": "会议室", "content": "a" * 5001},
        format="json",
    )
    assert response.status_code == 400
    assert API_TOO_LONG in response.json()["content"][0]
    assert not DutyRecord.objects.exists()


def test_duty_record_form_refuses_long_content(world, as_user):
    response = as_user(world.member_user).post(
        reverse("posts:duty_record_create"),
        {"occurred_on": str(date.today()), "place": "会议室", "content": "a" * 5001},
    )
    assert response.status_code == 200
    assert FORM_TOO_LONG in response.content.decode()
    assert not DutyRecord.objects.exists()


def test_limits_follow_the_purpose_of_the_text():
    assert Meeting._meta.get_field("minutes").max_length == text_limits.TEXT_MINUTES == 20_000
    assert Person._meta.get_field("note").max_length == text_limits.TEXT_DEFAULT == 5_000


def test_every_text_field_has_a_limit_and_the_check_catches_a_missing_one(monkeypatch):
    assert text_limits.check_text_fields_have_max_length() == []
    field = Person._meta.get_field("note")
    monkeypatch.setattr(field, "max_length", None)
    errors = text_limits.check_text_fields_have_max_length()
    assert [e.id for e in errors] == ["dangjian.E102"]
    assert "org.Person.note" in errors[0].msg


def test_default_limit_for_hand_written_fields(settings):
    from django import forms

    assert forms.CharField().max_length == 5000
    assert forms.CharField(max_length=20).max_length == 20
    assert serializers.CharField().max_length == 5000
    assert serializers.CharField(read_only=True).max_length is None
    settings.TEXT_INPUT_MAX_LENGTH = 300
    assert forms.CharField().max_length == 300
