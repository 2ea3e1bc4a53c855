"""Score item 8 (《支部考核办法》: 加强对流动党员管理，建立档案，保持联系) shows what membership
records: the branch's members away during the year, and those out of touch."""

from datetime import date

from dangjian.assessment import selectors
from dangjian.assessment.models import ItemReference
from dangjian.membership import services as membership
from tests.factories import make_person


def test_item_8_is_the_members_away_reference(template):
    item = template.indicators.get(order=2).items.get(number=8)
    assert item.reference == ItemReference.MEMBERS_AWAY


def test_the_reference_counts_the_year_s_members_away_and_the_lapsed(world, ass_a):
    on = date(2025, 12, 31)
    reference = selectors.members_away_reference(world.branch_a, 2025, on)
    assert "没有登记外出的流动党员" in reference.text
    second = make_person(world.branch_a, name="周党员")
    intern = membership.away_create(
        actor=world.secretary_a,
        person=world.member_a,
        kind="intern",
        place="深圳",
        left_on=date(2025, 9, 1),
    )
    abroad = membership.away_create(
        actor=world.secretary_a,
        person=second,
        kind="abroad",
        place="英国",
        left_on=date(2025, 3, 1),
    )
    # The contact log: the last contact is what the lapse rule reads.
    for away, day in (
        (intern, date(2025, 10, 1)),
        (intern, date(2025, 12, 1)),
        (abroad, date(2025, 9, 30)),
    ):
        membership.contact_create(
            actor=world.secretary_a, away=away, contacted_on=day, way="phone", content="近况"
        )
    membership.away_create(  # back before the year: not counted
        actor=world.secretary_a,
        person=second,
        kind="study",
        place="北京",
        left_on=date(2024, 3, 1),
        returned_on=date(2024, 7, 1),
    )
    reference = selectors.references(ass_a, today=on)[ItemReference.MEMBERS_AWAY]
    # 1 December is within the 90 days; 30 September is 92 days before 31 December.
    assert "登记流动党员2名" in reference.text and "联系超期1名" in reference.text
    assert "联系记录3次，联系到2名" in reference.text
