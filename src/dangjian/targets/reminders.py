"""Reminders of decomposed tasks: the responsible person is reminded before the deadline and
while the task is overdue (《168模式实施意见》§四(一)3: 明确…完成时限、责任人)."""

from collections.abc import Iterator
from datetime import date

from django.urls import reverse

from dangjian.core.reminders import Due
from dangjian.targets import rules
from dangjian.targets.models import Task


def collect(today: date, horizon: date) -> Iterator[Due]:
    tasks = Task.objects.filter(completed_on__isnull=True, deadline__lte=horizon).values_list(
        "pk", "title", "deadline", "responsible_id"
    )
    for pk, title, deadline, person_id in tasks.iterator(chunk_size=2000):
        late = rules.is_overdue(deadline, None, today)
        yield Due(
            person_id=person_id,
            key=f"targets:task:{pk}",
            category="目标任务",
            title=f"任务“{title}”{'已逾期' if late else '即将到期'}，请报告进展",
            due_on=deadline,
            url=reverse("targets:task_detail", args=[pk]),
        )
