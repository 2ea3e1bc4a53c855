"""Issue 3's promise: an officer runs a year of the six-step method for a branch through the
pages alone — from the opinions to the published evaluation — and prints annex 1 from it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.org.models import Unit
from dangjian.targets.models import Step, Task, WorkItem

pytestmark = pytest.mark.django_db


def post(client, name, data, *args, follow=False):
    response = client.post(reverse(f"targets:{name}", args=args), data, follow=follow)
    assert response.status_code in (200, 302), response.content.decode()[:500]
    if response.status_code == 200 and not follow:
        form = response.context.get("form") if response.context else None
        assert form is None or not form.errors, form.errors
    return response


def close(client, item):
    post(client, "workitem_close_step", {}, item.pk)
    item.refresh_from_db()
    return item.step


def test_a_year_from_opinions_to_the_published_evaluation(world, as_user):
    today = timezone.localdate().isoformat()
    year = timezone.localdate().year
    office = Unit.objects.create(name="组织部", kind="office")
    client = as_user(world.secretary_a)
    branch = world.branch_a.pk

    post(
        client,
        "plan_create",
        {
            "organisation": branch,
            "year": year,
            "theme": "基层组织工作建设年",
            "featured_work": "党员示范岗",
            "theoretical_study": "支部组织力调研",
        },
    )
    post(
        client,
        "workitem_create",
        {"organisation": branch, "year": year, "kind": "annual_plan", "title": "年度党建工作计划"},
    )
    item = WorkItem.objects.get(organisation=world.branch_a)

    # Step 1: an opinion collected, then answered; the step is refused while it is pending.
    post(
        client,
        "opinion_create",
        {
            "source": "form",
            "category": "party",
            "content": "活动形式可以更丰富",
            "received_on": today,
            "handling": "pending",
        },
        item.pk,
    )
    assert close(client, item) == Step.OPINIONS
    opinion = item.opinions.get()
    post(
        client,
        "opinion_edit",
        {
            "source": "form",
            "category": "party",
            "content": "活动形式可以更丰富",
            "received_on": today,
            "handling": "adopted",
            "response": "已纳入计划",
        },
        opinion.pk,
    )
    assert close(client, item) == Step.DECISION

    # Step 2: the decision meeting.
    post(
        client,
        "decision_create",
        {
            "meeting_kind": "committee",
            "held_on": today,
            "attendees": "支委会全体委员",
            "decisions": "通过年度计划",
        },
        item.pk,
    )
    assert close(client, item) == Step.DECOMPOSITION

    # Step 3: a task to an office, with its role among the eight.
    post(
        client,
        "task_create",
        {
            "title": "建设党员活动室",
            "target": "面积不少于20平方米",
            "measures": "整合场地",
            "assignee_kind": "unit",
            "assignee_unit": office.pk,
            "responsible": world.member_a.pk,
            "deadline": f"{year}-12-31",
            "role": 5,
        },
        item.pk,
    )
    assert close(client, item) == Step.COMMITMENT
    task = Task.objects.get(work_item=item)

    # Step 4: the task's commitment published; step 5: its progress reported.
    post(client, "task_publish", {"commitment": "年内建成", "published_on": today}, task.pk)
    assert close(client, item) == Step.IMPLEMENTATION
    post(client, "task_progress", {"reported_on": today, "percent": 100, "note": "已建成"}, task.pk)
    assert close(client, item) == Step.EVALUATION

    # Step 6: the evaluation recorded and published; the item is done.
    post(
        client,
        "evaluation_edit",
        {
            "evaluated_on": today,
            "method": "个人述岗自评、民意测评、综合评定",
            "result": "全部完成",
            "rewards": "评为示范岗",
        },
        item.pk,
    )
    post(client, "evaluation_publish", {"published_on": today}, item.pk)
    assert close(client, item) == Step.DONE

    # Annex 1 is printed from what was entered.
    page = client.get(reverse("targets:annex1") + f"?org={branch}&year={year}").content.decode()
    assert "建设党员活动室" in page and "面积不少于20平方米" in page and "年内建成" in page
