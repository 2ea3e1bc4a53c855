"""Score item 1 (《支部考核办法》评分表第1项: 班子健全，分工明确，定期改选) shows what the elections
records say: the branch's term, whether it ran out with no new committee, and an election
completed in the year."""

from datetime import date

from dangjian.assessment import selectors
from dangjian.assessment.models import ItemReference
from dangjian.elections.models import Election, ElectionState
from dangjian.org.models import Term


def test_item_1_is_the_reelection_reference(template):
    item = template.indicators.get(order=1).items.get(number=1)
    assert item.reference == ItemReference.REELECTION


def test_the_reference_reads_the_term_and_the_election(world, ass_a):
    on = date(2025, 12, 31)
    assert "尚未登记委员会届次" in selectors.reelection_reference(world.branch_a, 2025, on).text
    Term.objects.create(
        organisation=world.branch_a, number=2, starts_on=date(2022, 3, 1), ends_on=date(2025, 3, 1)
    )
    text = selectors.reelection_reference(world.branch_a, 2025, on).text
    assert "第2届委员会" in text and "已届满未换届" in text
    new = Term.objects.create(
        organisation=world.branch_a, number=3, starts_on=date(2025, 4, 1), ends_on=date(2028, 4, 1)
    )
    Election.objects.create(
        organisation=world.branch_a,
        seats=3,
        planned_on=date(2025, 3, 20),
        plan="方案",
        state=ElectionState.APPOINTED,
        held_on=date(2025, 3, 25),
        new_term=new,
    )
    reference = selectors.references(ass_a, today=on)[ItemReference.REELECTION]
    assert "第3届委员会" in reference.text and "按期在任" in reference.text
    assert "2025-03-25完成换届选举" in reference.text
