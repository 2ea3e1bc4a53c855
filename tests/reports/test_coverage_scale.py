"""Coverage (推广面) and the quarterly list over many organisations (issue 13): counted in SQL by
path prefix — no `LIKE` per organisation (SQLite refused 17,126 of them: "Expression tree is too
large"), no path compared with every other in Python — and the same figures as the rule."""

from datetime import date

import pytest
from django.urls import reverse

from dangjian.org import rollup
from dangjian.org.models import Organisation
from dangjian.reports import rules, selectors, views
from tests.factories import make_org
from tests.harness import assert_max_queries, assert_num_queries
from tests.reports.helpers import make_post

pytestmark = pytest.mark.django_db

YEAR = 2025  # the year tests.reports.helpers.make_post gives posts
ON = date(2025, 6, 1)


def expected(org: Organisation) -> tuple[int, int]:
    """(covered, total) by the rule, from every branch path and published post count."""
    branches = list(
        Organisation.objects.filter(
            kind="branch", dissolved_on__isnull=True, path__startswith=org.path
        ).values_list("path", flat=True)
    )
    published: dict[str, int] = {}
    for post in selectors.Post.objects.filter(
        year=YEAR, state__in=selectors.PUBLISHED_STATES
    ).select_related("organisation"):
        path = post.organisation.path
        published[path] = published.get(path, 0) + 1
    return rules.coverage_counts(branches, published)


@pytest.fixture
def wide(world):
    """More committees and general branches than a query names one by one, with branches that
    run the mechanism through their own posts or their groups', one dissolved, one not covered."""
    committees = [world.committee]
    for i in range(rollup.FEW_PATHS + 3):
        committees.append(make_org(None, name=f"学院{i}委员会"))
    for i, committee in enumerate(committees[1:]):
        gb = make_org(committee)
        covered = make_org(gb)
        if i % 2:
            make_post(covered, "published")
        else:
            make_post(make_org(covered), "performing")  # a group's post covers its branch
        make_org(gb)  # not covered
        gone = make_org(gb)
        make_post(gone, "published")
        Organisation.objects.filter(pk=gone.pk).update(dissolved_on=date(2025, 1, 1))
        direct = make_org(committee, kind="branch")  # a branch directly under the committee
        make_post(direct, "claimed")  # not yet published
    make_post(world.branch_a, "evaluated")
    make_post(world.gb_a, "published")  # a general branch's own post covers no branch
    return committees


def test_coverage_of_many_organisations_equals_the_rule(wide):
    orgs = list(Organisation.objects.exclude(kind="group"))
    assert len(orgs) > rollup.FEW_PATHS
    with assert_max_queries(4):
        coverage = selectors.coverage_for(orgs, YEAR, on=ON)
    for org in orgs:
        c = coverage[org.pk]
        assert (c.covered, c.total) == expected(org), org.name
    assert coverage[wide[1].pk].covered == 1 and coverage[wide[1].pk].total == 3
    assert sum(c.covered for c in coverage.values()) > 0


def test_coverage_of_a_few_organisations_equals_the_rule(wide, world):
    orgs = [world.committee, world.gb_a, world.branch_a, wide[1]]
    coverage = selectors.coverage_for(orgs, YEAR, on=ON)
    for org in orgs:
        assert (coverage[org.pk].covered, coverage[org.pk].total) == expected(org)


def test_sections_find_the_level_below_each_of_many_roots(wide):
    sections = selectors.report_sections(wide, YEAR, 2, today=ON)
    assert [s.root.org for s in sections] == wide
    for section in sections:
        below = Organisation.objects.filter(
            path__startswith=section.root.org.path,
            depth=section.root.org.depth + 1,
            kind__in=rules.REPORTING_KINDS,
        )
        assert {r.org.pk for r in section.children} == set(below.values_list("pk", flat=True))


def test_the_department_pages_through_the_committees(wide, world, as_user):
    client = as_user(world.org_officer)
    url = reverse("reports:report_list") + f"?year={YEAR}&quarter=2"
    client.get(url)
    with assert_num_queries(None) as first:
        page = client.get(url).content.decode()
    shown = [c for c in wide if f'id="section-{c.pk}"' in page]
    assert len(shown) == views.ROOTS_PER_PAGE and "下一页" in page
    # The next page costs what the first did, whatever the number of committees.
    after = page.split("after=")[1].split('"')[0]
    with assert_num_queries(first):
        page = client.get(url + f"&after={after}").content.decode()
    assert not any(f'id="section-{c.pk}"' in page for c in shown)
