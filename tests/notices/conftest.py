import pytest

from dangjian.notices import services
from dangjian.notices.models import Audience


def draft(world, actor=None, org=None, **fields):
    fields.setdefault("audience", Audience.ALL)
    fields.setdefault("title", "关于开展主题党日活动的通知")
    fields.setdefault("body", "各党支部：\n请于本月底前开展主题党日活动。")
    return services.notice_create(
        actor=actor or world.gb_secretary_a, organisation=org or world.gb_a, **fields
    )


def published(world, actor=None, org=None, **fields):
    actor = actor or world.gb_secretary_a
    notice = draft(world, actor=actor, org=org, **fields)
    return services.notice_publish(actor=actor, notice=notice)


@pytest.fixture
def notice(world):
    """A notice of the general branch above branch_a to everyone on its roll."""
    return published(world)
