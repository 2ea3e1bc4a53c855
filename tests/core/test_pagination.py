"""Keyset pagination walks every row exactly once, forwards and backwards, in either order."""

from datetime import date, timedelta

import pytest

from dangjian.core.pagination import keyset_page
from dangjian.posts.models import DutyRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(world):
    # Several rows share a date, so the id decides ties.
    return [
        DutyRecord.objects.create(
            person=world.member_a,
            organisation=world.branch_a,
            occurred_on=date(2026, 3, 1) + timedelta(days=n // 3),
            place="活动室",
            content=str(n),
        ).pk
        for n in range(11)
    ]


@pytest.mark.parametrize("order", [("occurred_on", "id"), ("-occurred_on", "-id")])
def test_pages_cover_every_row_once_and_come_back(records, order):
    qs = DutyRecord.objects.all()
    expected = list(qs.order_by(*order).values_list("pk", flat=True))
    pages, token = [], ""
    while True:
        page = keyset_page(qs, order=order, after=token, size=4)
        pages.append(page)
        if not page.next_token:
            break
        token = page.next_token
    assert [r.pk for p in pages for r in p.rows] == expected
    # Walking back from the last page gives the previous pages again.
    back = keyset_page(qs, order=order, before=pages[-1].prev_token, size=4)
    assert [r.pk for r in back.rows] == [r.pk for r in pages[-2].rows]


def test_a_broken_token_starts_from_the_first_page(records):
    page = keyset_page(DutyRecord.objects.all(), order=("-occurred_on", "-id"), after="%%%", size=4)
    assert page.rows[0].pk == max(records)


@pytest.mark.parametrize(
    "values",
    [
        ["x", "y", "z"],  # a cursor of another order
        ["not a date", 5],  # a value the field cannot take
        ["2026-03-01", 10**30],  # an id beyond any integer column
        ["2026-03-01", {"id": 1}],  # not a plain value
    ],
)
def test_a_hand_made_cursor_starts_over_instead_of_failing(records, values):
    from dangjian.core.pagination import _encode

    qs = DutyRecord.objects.all()
    page = keyset_page(qs, order=("occurred_on", "id"), after=_encode(values), size=4)
    assert [r.pk for r in page.rows] == records[:4]
