"""The demo institution's work column: something in every column and state, the review that
zongzhi has to do in his message centre, and pages within the size budget."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from dangjian.column.models import Article, ArticlePhoto, ArticleState
from dangjian.core.models import Reminder, User

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    # Loaded inside a transaction rolled back after the module: the demo's audit and security
    # events are append-only, so deleting the demo afterwards would leave them to later tests.
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO(), people=300)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_loaded, db):
    return demo_loaded


def test_every_column_and_state(demo):
    published = Article.objects.filter(state=ArticleState.PUBLISHED)
    assert set(published.values_list("column", flat=True)) == {
        "briefing",
        "news",
        "org_year",
        "annual_summary",
    }
    assert set(Article.objects.values_list("state", flat=True)) == set(ArticleState.values)
    assert published.filter(source_summary__isnull=False).exists()
    assert ArticlePhoto.objects.filter(article__state=ArticleState.PUBLISHED).exists()


def test_zongzhi_has_an_article_to_review(demo, client):
    zongzhi = User.objects.get(username="zongzhi")
    waiting = Article.objects.get(state=ArticleState.SUBMITTED)
    assert Reminder.objects.filter(
        person=zongzhi.person, key=f"column:review:{waiting.pk}", resolved_at__isnull=True
    ).exists()
    client.force_login(zongzhi)
    assert waiting.title in client.get("/column/review/").content.decode()
    page = client.get(f"/column/article/{waiting.pk}/").content.decode()
    assert 'id="approve-article"' in page
    client.force_login(User.objects.get(username="zhibu"))
    assert (
        'id="approve-article"' not in client.get(f"/column/article/{waiting.pk}/").content.decode()
    )


@pytest.mark.parametrize("username", ["zuzhibu", "zongzhi", "zhibu", None])
def test_pages_stay_under_200_kb(demo, client, username):
    if username:
        client.force_login(User.objects.get(username=username))
        pages = ["/column/article/", "/column/review/", "/column/from-summary/", "/public/column/"]
    else:
        pages = ["/public/column/", "/api/v1/public/column/"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert len(response.content) < 200 * 1024, url
