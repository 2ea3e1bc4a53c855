"""The anonymous survey answer page `/surveys/t/<token>/` is throttled per address like its API
(GET and POST, one shared count in the cache), with a clear Chinese 429 page."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from dangjian.surveys.models import SurveyBallot, SurveyToken
from dangjian.surveys.throttles import wait_text

pytestmark = pytest.mark.django_db


def _url(token):
    return reverse("surveys:answer", args=[token])


def test_answer_page_get_is_throttled(world, rating, issue, client, settings):
    settings.SURVEY_PUBLIC_RATE = "3/min"
    (token,) = issue(rating, 1)
    assert [client.get(_url(token)).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(_url(token))
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "访问过于频繁" in html and "后刷新本页" in html
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "no-store" in refused["Cache-Control"]
    assert refused["Referrer-Policy"] == "no-referrer"
    # another address has a budget of its own
    assert client.get(_url(token), REMOTE_ADDR="192.0.2.8").status_code == 200


def test_answer_page_post_is_throttled_and_stores_nothing(world, rating, issue, client, settings):
    settings.SURVEY_PUBLIC_RATE = "1/min"
    (token,) = issue(rating, 1)
    assert client.get(_url(token)).status_code == 200
    data = {f"s{world.member_a.pk}": "excellent", "comment": ""}
    refused = client.post(_url(token), data)
    assert refused.status_code == 429
    assert not SurveyBallot.objects.exists()
    assert not SurveyToken.objects.get(token=token).used


def test_page_and_api_share_one_count(world, rating, issue, client, settings):
    settings.SURVEY_PUBLIC_RATE = "3/min"
    (token,) = issue(rating, 1)
    api = APIClient()
    assert api.get(f"/api/v1/surveys/forms/{token}/").status_code == 200
    assert api.get(f"/api/v1/surveys/forms/{token}/").status_code == 200
    assert client.get(_url(token)).status_code == 200
    assert client.get(_url(token)).status_code == 429
    assert api.get(f"/api/v1/surveys/forms/{token}/").status_code == 429


def test_signed_in_visitor_is_throttled_too(world, rating, issue, client, settings):
    settings.SURVEY_PUBLIC_RATE = "1/min"
    (token,) = issue(rating, 1)
    client.force_login(world.secretary_a)
    assert client.get(_url(token)).status_code == 200
    assert client.get(_url(token)).status_code == 429


def test_done_page_is_throttled(world, rating, issue, client, settings):
    settings.SURVEY_PUBLIC_RATE = "1/min"
    (token,) = issue(rating, 1)
    assert client.get(reverse("surveys:answer_done", args=[token])).status_code == 302
    assert client.get(reverse("surveys:answer_done", args=[token])).status_code == 429


def test_wait_text():
    assert wait_text(None) == "稍后"
    assert wait_text(0.2) == "1秒后"
    assert wait_text(59) == "59秒后"
    assert wait_text(61) == "2分钟后"
