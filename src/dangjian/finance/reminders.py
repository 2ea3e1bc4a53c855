"""Reminders (待办) of dues, a few queries whatever the number of rows:

- the member in arrears for the last month that has ended (《党费规定》第十二条: 按月交纳);
- the secretary of the branch, for each member whose run of arrears reaches
  FINANCE_DUES_LAPSE_MONTHS (《中国共产党章程》第九条: 连续六个月不交纳党费，视为自行脱党 —
  the branch talks with the member and, without proper reason, handles it as the Constitution
  says)."""

from collections.abc import Iterator
from datetime import date

from django.urls import reverse
from django.utils.http import urlencode

from dangjian.core.reminders import Due
from dangjian.finance import rules, selectors
from dangjian.finance.models import DuesPayment, PaymentState
from dangjian.org.models import Position


def collect(today: date, horizon: date) -> Iterator[Due]:
    through = selectors.last_closed_period(today)
    year, month = rules.month_of(through)
    mine = reverse("finance:my_dues")
    for pk, person_id in DuesPayment.objects.filter(
        period=through, state=PaymentState.ARREARS
    ).values_list("pk", "person_id"):
        yield Due(
            person_id=person_id,
            key=f"finance:arrears:{pk}",
            category="党费",
            title=f"您{year}年{month}月的党费尚未交纳，请及时交纳",
            due_on=today,
            url=f"{mine}?{urlencode({'year': year})}",
        )
    lapsed = selectors.lapsed_members(DuesPayment.objects.all(), through)
    secretaries = dict(
        Position.objects.current(today)
        .filter(title="secretary", organisation_id__in={x.organisation_id for x in lapsed})
        .values_list("organisation_id", "person_id")
    )
    collection = reverse("finance:collection")
    for x in lapsed:
        secretary = secretaries.get(x.organisation_id)
        if secretary is None:
            continue
        yield Due(
            person_id=secretary,
            key=f"finance:lapsed:{x.person_id}:{through}",
            category="党费",
            title=(
                f"{x.name}已连续{x.run}个月未交纳党费（《中国共产党章程》第九条：连续六个月"
                "不交纳党费视为自行脱党），请谈话了解原因并按规定处理"
            ),
            due_on=today,
            url=f"{collection}?{urlencode(dict(org=x.organisation_id, year=year, month=month))}",
        )
