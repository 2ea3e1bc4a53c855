"""Shared builders for the posts tests (on top of tests/conftest.py's `world`)."""

import pytest
from django.utils import timezone

from dangjian.posts import services
from dangjian.posts.models import PostType


@pytest.fixture
def year():
    return timezone.localdate().year


@pytest.fixture
def post_type():
    """Catalogue posts seeded by migration 0002, by name."""

    def get(name="党建工作岗"):
        return PostType.objects.get(organisation=None, name=name)

    return get


@pytest.fixture
def make_post(world, post_type, year):
    """A post in state 设岗, set by the organisation department."""

    def make(org=None, type_name="党建工作岗", post_year=None, **fields):
        return services.post_create(
            actor=world.org_officer,
            organisation=org or world.branch_a,
            post_type=post_type(type_name),
            year=post_year or year,
            **fields,
        )

    return make


@pytest.fixture
def published_post(world, make_post):
    """branch_a's post held by member_a, confirmed by gb_a and published."""
    post = make_post()
    post = services.post_claim(actor=world.member_user, post=post)
    post = services.post_confirm(actor=world.gb_secretary_a, post=post)
    return services.post_publish(actor=world.secretary_a, post=post)
