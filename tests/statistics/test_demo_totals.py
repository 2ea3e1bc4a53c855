"""The annual tables of the demo institution against the people list they drill into: every
figure of the whole institution's row and of its first organisations below equals the total
the people list shows for the figure's link."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dangjian.core.models import User
from dangjian.org.models import Organisation, StandingChange
from dangjian.statistics import rules, selectors, services
from dangjian.statistics.models import StatisticsRun

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    # In a transaction rolled back afterwards: the demo's audit rows are append-only, and
    # deleting the demo would leave them to the tests that run next on this worker.
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", people=800, stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_demo_tables_match_the_people_list(demo_world, client):
    # The demo has this year's changes of every cause.
    causes = set(StandingChange.objects.values_list("cause", flat=True))
    assert causes >= {
        "suspended",
        "removed",
        "expelled",
        "withdrawn",
        "deceased",
        "transferred_out",
        "transferred_in",
        "restored",
    }
    committee = Organisation.objects.get(depth=1)
    run = services.run_request(
        actor=None,
        organisation=committee,
        cut_off=rules.default_cut_off(timezone.localdate()),
    )
    # Without a broker the task ran when the request's transaction committed (none here:
    # the test's own transaction holds it back), so compute it now.
    services.run_compute(run.pk)
    run = StatisticsRun.objects.get(pk=run.pk)
    assert run.state == "done"
    client.force_login(User.objects.get(username="zuzhibu"))
    tables = selectors.tables_of(run)
    checked = 0
    for table in tables:
        for row in table["rows"][:4]:
            for column, cell in zip(table["columns"], row["cells"], strict=True):
                if not cell["query"]:
                    continue
                response = client.get(reverse("org:person_list") + "?" + cell["query"])
                assert response.context["total"] == cell["value"], (
                    table["title"],
                    row["name"],
                    column.label,
                )
                checked += 1
    total = run.figures["rows"][0]["figures"]
    assert total["total"] > 100 and total["change_left"] == 3 and total["change_deceased"] == 2
    assert (
        total["total"]
        == sum(total[f"age_{key}"] for key, _l, _h in rules_age_bands()) + total["age_unknown"]
    )
    assert checked > 150


def rules_age_bands():
    from dangjian.org.rules import AGE_BANDS

    return AGE_BANDS
