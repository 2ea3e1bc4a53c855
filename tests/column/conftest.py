import pytest

from dangjian.column import services
from dangjian.column.models import ColumnKind


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def draft(world, actor=None, org=None, **fields):
    fields.setdefault("column", ColumnKind.BRIEFING)
    fields.setdefault("title", "机关一支部开展主题党日活动")
    fields.setdefault(
        "body", "11月20日，机关一支部组织党员开展主题党日活动。\n\n全体党员重温入党誓词。"
    )
    return services.article_create(
        actor=actor or world.secretary_a, organisation=org or world.branch_a, **fields
    )


def submitted(world, **kwargs):
    article = draft(world, **kwargs)
    return services.article_submit(actor=kwargs.get("actor") or world.secretary_a, article=article)


def published(world, reviewer=None, **kwargs):
    article = submitted(world, **kwargs)
    return services.article_approve(actor=reviewer or world.gb_secretary_a, article=article)
