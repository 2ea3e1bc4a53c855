"""The people count table (org.counts): equal to a recount after every kind of change, and
the totals the pages read from it equal to counting the people."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

from dangjian.org import counts, selectors, services
from dangjian.org.models import PeopleCount, Person
from dangjian.org.rules import MEMBER_STATUSES
from tests.factories import make_org, make_person, make_user
from tests.org.test_excel import id_no, row, run


def assert_in_step() -> None:
    expected = {key: n for key, n in counts.expected().items() if n}
    assert counts.stored() == expected


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_counted_after_each_kind_of_change(world, media):
    assert_in_step()  # the cast, created with save()
    person = services.person_create(
        actor=None, name="新人", gender="F", category="student", primary_org=world.branch_b
    )
    assert_in_step()
    services.person_change_status(
        actor=None, person=person, new_status="applicant", effective_on=date(2024, 3, 1)
    )
    assert_in_step()
    services.person_update(actor=None, person=person, primary_org=world.branch_a)  # a transfer
    assert_in_step()
    services.person_update(actor=None, person=person, category="staff")
    assert_in_step()
    services.person_update(actor=None, person=person, is_active=False)  # off the register
    assert_in_step()
    services.person_update(actor=None, person=person, primary_org=None)
    assert_in_step()
    # A row saved with only some fields loaded, as the admin site or a script may do.
    partial = Person.objects.only("name").get(pk=world.member_b.pk)
    partial.name = "钱党员甲"
    partial.save(update_fields=["name"])
    assert_in_step()
    moved = Person.objects.only("name").get(pk=world.member_b.pk)
    moved.party_status = "masses"
    moved.save(update_fields=["party_status"])
    assert_in_step()
    # An import writes in bulk.
    rows = [
        row(name="导入甲", id_number=id_no(1)),
        row(name="导入乙", birth_date="1990-01-01", party_status="正式党员"),
    ]
    job = run(world.secretary_a, rows)
    assert job.state == "done", job.errors
    assert_in_step()
    Person.objects.filter(name__startswith="导入").delete()
    assert_in_step()
    world.member_a.delete()
    assert_in_step()


def test_moving_an_organisation_moves_its_counts_with_it(world):
    make_person(world.branch_b, status="probationary")
    before = counts.subtree_total(world.gb_b)
    services.organisation_move(actor=world.admin, org=world.branch_b, new_parent=world.gb_a)
    world.gb_a.refresh_from_db()
    world.gb_b.refresh_from_db()
    assert counts.subtree_total(world.gb_b) == 0
    assert (
        counts.subtree_total(world.gb_a)
        == Person.objects.filter(
            primary_org__path__startswith=world.gb_a.path, is_active=True
        ).count()
    )
    assert before == 3  # the secretary, the member and the probationary member
    assert_in_step()


def test_recount_repairs_and_is_idempotent(world, capsys):
    PeopleCount.objects.filter(organisation=world.branch_a).update(n=99)
    PeopleCount.objects.filter(organisation=world.branch_b).delete()
    call_command("recount")
    assert "已更正" in capsys.readouterr().out
    assert_in_step()
    call_command("recount")
    assert "一致" in capsys.readouterr().out
    assert_in_step()


def test_paused_counting_is_rebuilt(world):
    with counts.paused():
        make_person(world.branch_a)
    assert counts.stored() != {k: n for k, n in counts.expected().items() if n}
    counts.rebuild()
    assert_in_step()


@pytest.fixture
def crowd(world):
    """People of every status and category, some off the register, one without a branch."""
    other = make_org(world.gb_b, kind="branch", name="二支部", code="BB2")
    statuses = ["masses", "applicant", "activist", "full", "probationary", "full"]
    for i, status in enumerate(statuses * 2):
        org = (world.branch_a, world.branch_b, other)[i % 3]
        make_person(org, status=status, category=("staff", "student")[i % 2])
    make_person(world.branch_b, status="full", is_active=False)
    make_person(None, status="masses")
    return world


ROLES = ("secretary_a", "secretary_b", "gb_secretary_a", "org_officer", "member_user")
FILTERS = (
    {},
    {"status": "member"},
    {"status": "applicant,activist"},
    {"party_status": "full"},
    {"status": "member", "party_status": "probationary"},
    {"category": "student"},
    {"inactive": "1"},
    {"org": "BB"},
    {"org": "GA", "status": "member"},
    {"q": "人员"},
)


@pytest.mark.parametrize("role", ROLES)
def test_people_list_totals_equal_a_count(crowd, as_user, role):
    user = getattr(crowd, role)
    client = as_user(user)
    for params in FILTERS:
        params = dict(params)
        if "org" in params:
            params["org"] = {"BB": crowd.branch_b, "GA": crowd.gb_a}[params["org"]].pk
        response = client.get(reverse("org:person_list"), params)
        if response.status_code != 200:  # a member has no people list
            assert role == "member_user"
            continue
        filters = response.context["page"]
        counted = _filtered(user, params).count()
        assert response.context["total"] == counted, params
        assert filters is not None


def _filtered(user, params):
    from django.http import QueryDict

    from dangjian.org.filters import PersonFilter

    data = QueryDict(mutable=True)
    data.update({"inactive": "false", **{k: str(v) for k, v in params.items()}})
    return PersonFilter(data, selectors.people_for_list(user), user=user).qs


@pytest.mark.parametrize("role", ROLES)
def test_home_counts_equal_a_count(crowd, role):
    user = getattr(crowd, role)
    figures = selectors.scope_counts(user)
    people = Person.objects.visible_to(user).filter(is_active=True)
    by_status = dict(people.values_list("party_status").annotate(n=Count("id")))
    assert figures["people"] == people.count()
    assert figures["members"] == sum(by_status.get(s, 0) for s in MEMBER_STATUSES)
    assert figures["masses"] == by_status.get("masses", 0)


def test_own_record_outside_the_scope_is_counted(world):
    """A secretary whose own record lies in another branch sees it in the list and its total."""
    person = make_person(world.branch_b, name="外支部书记")
    officer = make_user(person)
    services.position_create(
        actor=None,
        person=person,
        organisation=world.branch_a,
        title="secretary",
        starts_on=date(2020, 1, 1),
        ends_on=date(2020, 1, 2),
    )
    figures = selectors.scope_counts(officer)
    assert figures["people"] == 1  # only themselves: the position has ended


def test_tree_member_counts_equal_a_count(crowd):
    nodes = [crowd.gb_a, crowd.gb_b]
    got = selectors.subtree_member_counts(crowd.committee.path, nodes)
    for node in nodes:
        assert (
            got[node.path]
            == Person.objects.filter(
                primary_org__path__startswith=node.path,
                is_active=True,
                party_status__in=MEMBER_STATUSES,
            ).count()
        )
    groups = selectors.subtree_member_counts(crowd.branch_a.path, [crowd.group_a])
    assert groups == {crowd.group_a.path: 0}
