"""Score item 10 (《支部考核办法》: 按规定缴纳党费, 看清单) shows what the dues records say: the
branch's dues of the year, the months in arrears and the members six months running."""

from datetime import date
from decimal import Decimal as D

from dangjian.assessment import selectors
from dangjian.assessment.models import ItemReference
from dangjian.finance import services as finance


def test_item_10_is_the_dues_reference(template):
    item = template.indicators.get(order=2).items.get(number=10)
    assert item.reference == ItemReference.DUES


def test_the_reference_reads_the_year_s_dues(world, ass_a):
    on = date(2025, 12, 31)
    reference = selectors.dues_reference(world.branch_a, 2025, on)
    assert "尚未登记党费收缴" in reference.text
    finance.standards_save(
        actor=world.secretary_a,
        branch=world.branch_a,
        year=2025,
        rows=[finance.StandardRow(person_id=world.member_a.pk, kind="in_work", base=D(3000))],
    )
    for month in range(1, 13):
        paid = month <= 5
        finance.payments_save(
            actor=world.secretary_a,
            branch=world.branch_a,
            year=2025,
            month=month,
            rows=[
                finance.PaymentRow(
                    person_id=world.member_a.pk,
                    paid=D(15) if paid else None,
                    paid_on=date(2025, month, 3) if paid else None,
                    note="",
                )
            ],
        )
    reference = selectors.references(ass_a, today=date(2026, 3, 1))[ItemReference.DUES]
    assert "应交180.00元，实交75.00元" in reference.text
    assert "欠缴7人次" in reference.text and "连续6个月以上未交纳1名" in reference.text
