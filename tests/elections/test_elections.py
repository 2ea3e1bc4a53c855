"""换届选举 end to end: the services' rules and rights step by step, the one-step appointment,
the term reminders, the pages and the API by role, bad input, the score sheet's item 1."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from dangjian.core.models import AuditEvent
from dangjian.elections import reminders, rules, services
from dangjian.elections.models import ElectionState
from dangjian.org.models import Position, Term
from tests.factories import make_person
from tests.harness import (
    assert_max_queries,
    assert_num_queries,
    assert_role_matrix,
    capture_queries,
)

pytestmark = pytest.mark.django_db

TODAY = date.today()


@pytest.fixture
def term(world):
    return Term.objects.create(
        organisation=world.branch_a,
        number=3,
        starts_on=TODAY - timedelta(days=3 * 365 - 30),
        ends_on=rules.term_ends_on(TODAY - timedelta(days=3 * 365 - 30), 3),
    )


@pytest.fixture
def people(world):
    return [make_person(world.branch_a, name=f"候选{n}") for n in range(4)]


@pytest.fixture
def election(world, term):
    return services.election_create(
        actor=world.secretary_a,
        organisation=world.branch_a,
        seats=3,
        planned_on=TODAY + timedelta(days=20),
        plan="委员会3名，差额选举，无记名投票。",
    )


def _approved(world, election, people):
    services.election_submit(actor=world.secretary_a, election=election)
    services.election_approve_plan(actor=world.gb_secretary_a, election=election, note="同意")
    titles = ["secretary", "organisation", "propaganda", "committee"]
    return [
        services.candidate_add(actor=world.secretary_a, election=election, person=p, title=t)
        for p, t in zip(people, titles, strict=True)
    ]


def test_the_whole_election_appoints_the_new_committee(world, term, election, people):
    assert election.term == term  # the organisation's current term, by default
    candidates = _approved(world, election, people)
    services.election_record_ballot(
        actor=world.secretary_a,
        election=election,
        held_on=TODAY,
        entitled=25,
        present=21,
        votes={
            candidates[0].pk: 20,
            candidates[1].pk: 18,
            candidates[2].pk: 11,
            candidates[3].pk: 10,
        },
    )
    election.refresh_from_db()
    assert election.state == ElectionState.VOTED
    assert [c.elected for c in election.candidates.order_by("id")] == [True, True, True, False]
    with pytest.raises(PermissionDenied):  # its own officers do not approve the result
        services.election_approve_result(actor=world.secretary_a, election=election)
    services.election_approve_result(actor=world.gb_secretary_a, election=election)
    services.election_appoint(actor=world.secretary_a, election=election, starts_on=TODAY)
    election.refresh_from_db()
    assert election.state == ElectionState.APPOINTED
    new = election.new_term
    assert new.number == 4 and new.starts_on == TODAY
    assert new.ends_on == rules.term_ends_on(TODAY, 3)
    term.refresh_from_db()
    assert term.ends_on == TODAY - timedelta(days=1)
    old = Position.objects.get(person=world.secretary_a.person, organisation=world.branch_a)
    assert old.ends_on == TODAY - timedelta(days=1)  # the old secretary's office ended
    current = Position.objects.current(TODAY).filter(organisation=world.branch_a)
    assert {(p.person.name, p.title) for p in current} == {
        ("候选0", "secretary"),
        ("候选1", "organisation"),
        ("候选2", "propaganda"),
    }
    events = set(AuditEvent.objects.filter(object_id=election.pk).values_list("event", flat=True))
    assert {
        "elections.plan_submitted",
        "elections.plan_approved",
        "elections.ballot_recorded",
        "elections.result_approved",
        "elections.committee_appointed",
    } <= events


def test_each_step_names_the_rule_it_breaks(world, election, people):
    with pytest.raises(ValidationError) as refused:  # one election under way at a time
        services.election_create(
            actor=world.secretary_a,
            organisation=world.branch_a,
            seats=3,
            planned_on=TODAY,
            plan="x",
        )
    assert "正在进行" in str(refused.value)
    with pytest.raises(ValidationError) as refused:  # the plan first
        services.election_record_ballot(
            actor=world.secretary_a,
            election=election,
            held_on=TODAY,
            entitled=5,
            present=5,
            votes={},
        )
    assert "方案须先经批复" in str(refused.value)
    with pytest.raises(PermissionDenied):  # the level above approves the plan
        services.election_submit(actor=world.secretary_a, election=election)
        services.election_approve_plan(actor=world.secretary_a, election=election)
    services.election_approve_plan(actor=world.gb_secretary_a, election=election)
    probationary = make_person(world.branch_a, name="预备", status="probationary")
    with pytest.raises(ValidationError) as refused:
        services.candidate_add(actor=world.secretary_a, election=election, person=probationary)
    assert "第五条" in str(refused.value)
    with pytest.raises(ValidationError):
        services.candidate_add(actor=world.secretary_a, election=election, person=world.member_b)
    three = [
        services.candidate_add(actor=world.secretary_a, election=election, person=p)
        for p in people[:3]
    ]
    votes = {c.pk: 5 for c in three}
    with pytest.raises(ValidationError) as refused:  # 差额: four candidates for three seats
        services.election_record_ballot(
            actor=world.secretary_a,
            election=election,
            held_on=TODAY,
            entitled=5,
            present=5,
            votes=votes,
        )
    assert "差额" in str(refused.value)
    fourth = services.candidate_add(actor=world.secretary_a, election=election, person=people[3])
    votes[fourth.pk] = 1
    with pytest.raises(ValidationError) as refused:  # 4 of 5 is not more than four fifths
        services.election_record_ballot(
            actor=world.secretary_a,
            election=election,
            held_on=TODAY,
            entitled=5,
            present=4,
            votes=votes,
        )
    assert "五分之四" in str(refused.value.message_dict["present"])
    votes = {three[0].pk: 5, three[1].pk: 4, three[2].pk: 3, fourth.pk: 3}
    with pytest.raises(ValidationError) as refused:  # a tie at the last seat
        services.election_record_ballot(
            actor=world.secretary_a,
            election=election,
            held_on=TODAY,
            entitled=5,
            present=5,
            votes=votes,
        )
    assert "再次投票" in str(refused.value)
    votes[fourth.pk] = 6
    with pytest.raises(ValidationError) as refused:
        services.election_record_ballot(
            actor=world.secretary_a,
            election=election,
            held_on=TODAY,
            entitled=5,
            present=5,
            votes=votes,
        )
    assert "不能多于实到会人数" in str(refused.value)
    votes[fourth.pk] = 2
    services.election_record_ballot(
        actor=world.secretary_a,
        election=election,
        held_on=TODAY,
        entitled=5,
        present=5,
        votes=votes,
    )
    services.election_approve_result(actor=world.gb_secretary_a, election=election)
    with pytest.raises(ValidationError) as refused:  # 三人均拟任委员: no secretary
        services.election_appoint(actor=world.secretary_a, election=election, starts_on=TODAY)
    assert "1名书记" in str(refused.value)


def test_a_returned_plan_goes_back_to_draft(world, election):
    services.election_submit(actor=world.secretary_a, election=election)
    with pytest.raises(ValidationError):
        services.election_return_plan(actor=world.gb_secretary_a, election=election, note=" ")
    services.election_return_plan(
        actor=world.gb_secretary_a, election=election, note="请补充候选人推荐办法"
    )
    services.election_update(actor=world.secretary_a, election=election, plan="补充后的方案")
    election.refresh_from_db()
    assert election.state == ElectionState.DRAFT and election.plan_reply == "请补充候选人推荐办法"


# --- the term reminders ---------------------------------------------------------------------


def test_the_secretary_is_reminded_from_exactly_three_months_before(world):
    ends = date(2027, 3, 7)
    t = Term.objects.create(
        organisation=world.branch_a, number=1, starts_on=date(2024, 3, 7), ends_on=ends
    )
    Term.objects.create(  # an older term of the same branch: not reminded
        organisation=world.branch_a, number=0, starts_on=date(2021, 3, 7), ends_on=date(2024, 3, 6)
    )
    Term.objects.create(  # another organisation, far from its end
        organisation=world.branch_b, number=1, starts_on=date(2026, 1, 1), ends_on=date(2029, 1, 1)
    )
    today = date(2026, 12, 1)
    with assert_max_queries(2):
        assert list(reminders.collect(today, date(2026, 12, 6))) == []  # the day before
    with assert_num_queries(2):
        items = list(reminders.collect(today, date(2026, 12, 7)))  # exactly three months
    assert [(d.person_id, d.due_on, d.key) for d in items] == [
        (world.secretary_a.person_id, date(2026, 12, 7), f"elections:term:{t.pk}")
    ]
    assert "第1届委员会2027-03-07届满" in items[0].title and items[0].category == "换届选举"


# --- pages and API --------------------------------------------------------------------------


def _url(name, *args):
    return reverse(f"elections:{name}", args=args)


def test_pages_by_role(as_role, world, term, election):
    officers = {"officer": 200, "gb_officer": 200, "org_officer": 200, "anonymous": 302}
    assert_role_matrix(
        as_role, _url("term_list"), {**officers, "other_officer": 200, "member": 403}
    )
    assert_role_matrix(
        as_role, _url("term_export"), {"officer": 200, "member": 403, "anonymous": 302}
    )
    assert_role_matrix(as_role, _url("election_list"), {**officers, "other_officer": 200})
    assert_role_matrix(
        as_role, _url("election_detail", election.pk), {**officers, "other_officer": 404}
    )
    assert_role_matrix(
        as_role,
        _url("election_edit", election.pk),
        {**officers, "other_officer": 404, "member": 403},
    )
    assert_role_matrix(
        as_role,
        _url("election_submit", election.pk),
        {"officer": 302, "other_officer": 404, "member": 403, "anonymous": 302},
        method="post",
    )
    assert_role_matrix(
        as_role,
        _url("candidate_add", election.pk),
        {"officer": 200, "other_officer": 404, "member": 403, "anonymous": 302},
    )
    assert_role_matrix(
        as_role,
        _url("election_print", election.pk),
        {"officer": 200, "other_officer": 404, "member": 403, "anonymous": 302},
    )


def test_the_term_list_shows_each_scope_its_own(as_role, world, term):
    page = as_role("officer").get(_url("term_list")).content.decode()
    assert "机关一支部" in page and "即将届满" in page
    assert "机关一支部" not in as_role("other_officer").get(_url("term_list")).content.decode()
    page = as_role("officer").get(_url("term_list"), {"due": "maybe"}).content.decode()
    assert "已忽略该条件" in page
    assert (
        "机关一支部" not in as_role("officer").get(_url("term_list"), {"due": "0"}).content.decode()
    )


def test_the_term_list_costs_the_same_queries_with_more_rows(as_role, world, term):
    client = as_role("org_officer")
    with capture_queries() as few:
        client.get(_url("term_list"))
    for org in (world.branch_b, world.gb_a, world.gb_b, world.committee):
        Term.objects.create(
            organisation=org, number=1, starts_on=TODAY, ends_on=TODAY + timedelta(days=30)
        )
    with assert_max_queries(len(few)):
        assert client.get(_url("term_list")).status_code == 200


def test_the_approving_level_sees_its_buttons_and_the_branch_does_not(as_role, world, election):
    services.election_submit(actor=world.secretary_a, election=election)
    assert (
        "批复同意方案"
        in as_role("gb_officer").get(_url("election_detail", election.pk)).content.decode()
    )
    assert (
        "批复同意方案"
        not in as_role("officer").get(_url("election_detail", election.pk)).content.decode()
    )
    response = as_role("officer").post(_url("approve_plan", election.pk))
    assert response.status_code == 403


def test_the_ballot_form_keeps_what_was_typed_and_names_the_rule(as_role, world, election, people):
    candidates = _approved(world, election, people)
    data = {"held_on": TODAY.isoformat(), "entitled": "30", "present": "24"}
    data.update({f"votes_{c.pk}": "20" for c in candidates})
    response = as_role("officer").post(_url("ballot", election.pk), data)
    page = response.content.decode()
    assert response.status_code == 200 and "五分之四" in page and 'value="24"' in page
    data["present"] = "25"
    data[f"votes_{candidates[3].pk}"] = "3"
    response = as_role("officer").post(_url("ballot", election.pk), data)
    assert response.status_code == 302
    election.refresh_from_db()
    assert election.state == ElectionState.VOTED and election.present == 25
    services.election_approve_result(actor=world.gb_secretary_a, election=election)
    assert_role_matrix(
        as_role,
        _url("appoint", election.pk),
        {"officer": 200, "gb_officer": 200, "other_officer": 404, "member": 403},
    )
    response = as_role("officer").post(_url("appoint", election.pk), {"starts_on": "x"})
    assert response.status_code == 200 and "starts_on" in response.context["form"].errors


API = "/api/v1/elections/"


def test_api_by_role_and_bad_input(api_as_role, world, term, election, people):
    one = f"{API}{election.pk}/"
    anonymous = (401, 403)
    assert_role_matrix(api_as_role, API, {"officer": 200, "member": 200, "anonymous": anonymous})
    assert_role_matrix(
        api_as_role, one, {"officer": 200, "other_officer": 404, "anonymous": anonymous}
    )
    assert_role_matrix(
        api_as_role,
        f"{one}submit/",
        {"officer": 200, "other_officer": 404, "member": 403, "anonymous": anonymous},
        method="post",
        data={},
        format="json",
    )
    api = api_as_role("officer")
    response = api.post(API, {"organisation": world.branch_a.pk, "seats": 0}, format="json")
    assert response.status_code == 400 and {"seats", "planned_on", "plan"} <= set(response.json())
    response = api.post(
        API,
        {"organisation": world.branch_b.pk, "seats": 3, "planned_on": "2027-01-01", "plan": "x"},
        format="json",
    )
    assert response.status_code == 400 and "organisation" in response.json()
    api.post(f"{one}submit/", {}, format="json")
    assert api.post(f"{one}approve-plan/", {}, format="json").status_code == 403
    above = api_as_role("gb_officer")
    assert above.post(f"{one}approve-plan/", {"note": "同意"}, format="json").status_code == 200
    ids = []
    for p, title in zip(people, ["secretary", "committee", "committee", "committee"], strict=True):
        response = api.post(f"{one}candidates/", {"person": p.pk, "title": title}, format="json")
        assert response.status_code == 201
        ids.append(response.json()["id"])
    response = api.post(f"{one}candidates/", {"person": world.member_b.pk}, format="json")
    assert response.status_code == 400 and "person" in response.json()
    response = api.post(
        f"{one}ballot/",
        {
            "held_on": TODAY.isoformat(),
            "entitled": 10,
            "present": 8,
            "votes": {str(i): 5 for i in ids},
        },
        format="json",
    )
    assert response.status_code == 400  # 8 of 10 is not more than four fifths
    response = api.post(
        f"{one}ballot/",
        {"held_on": TODAY.isoformat(), "entitled": 10, "present": 9, "votes": "x"},
        format="json",
    )
    assert response.status_code == 400 and "votes" in response.json()
    votes = {str(ids[0]): 9, str(ids[1]): 8, str(ids[2]): 7, str(ids[3]): 2}
    response = api.post(
        f"{one}ballot/",
        {"held_on": TODAY.isoformat(), "entitled": 10, "present": 9, "votes": votes},
        format="json",
    )
    assert response.status_code == 200 and response.json()["state"] == "voted"
    assert above.post(f"{one}approve-result/", {}, format="json").status_code == 200
    assert api.post(f"{one}appoint/", {"starts_on": "nope"}, format="json").status_code == 400
    response = api.post(f"{one}appoint/", {"starts_on": TODAY.isoformat()}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "appointed"
    # 张书记's office has ended with the old committee: the level above reads on.
    assert api.get(f"{one}candidates/").status_code == 404
    rows = above.get(f"{one}candidates/").json()
    assert [r["elected"] for r in rows] == [True, True, True, False]
