"""Type-ahead pickers (issue 13): a few scoped matches as JSON instead of a select of every
organisation or person; the forms that use them still validate against their scoped querysets."""

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.org import pickers
from dangjian.org.widgets import Typeahead, TypeaheadMultiple
from dangjian.orglife.forms import TrainingForm
from tests.factories import make_person
from tests.harness import assert_max_queries

pytestmark = pytest.mark.django_db


def results(client, name, **params):
    response = client.get(reverse(f"org:pick_{name}"), params)
    assert response.status_code == 200
    return [(row["id"], row["label"]) for row in response.json()["results"]]


def test_organisations_are_matched_within_the_scope(world, as_user):
    client = as_user(world.secretary_a)
    assert results(client, "organisations", q="支部") == [
        (world.branch_a.pk, "机关一支部（中共示范学院委员会）")
    ]
    client = as_user(world.org_officer)
    found = [pk for pk, _ in results(client, "organisations", q="支部")]
    assert found == [world.branch_a.pk, world.branch_b.pk]


def test_organisations_by_kind(world, as_user):
    client = as_user(world.org_officer)
    found = [pk for pk, _ in results(client, "organisations", q="党", kind="general_branch")]
    assert found == [world.gb_a.pk, world.gb_b.pk]
    # An unknown kind is ignored rather than an error.
    assert results(client, "organisations", q="机关一", kind="nonsense")


def test_people_by_surname_prefix_within_the_scope(world, as_user):
    make_person(world.branch_b, name="赵同学", status="masses")
    client = as_user(world.secretary_a)
    assert [pk for pk, _ in results(client, "people", q="赵")] == [world.member_a.pk]
    client = as_user(world.org_officer)
    assert len(results(client, "people", q="赵")) == 2
    assert [pk for pk, _ in results(client, "people", q="赵", members="1")] == [world.member_a.pk]
    # A middle character is not a prefix: the search stays on the name index.
    assert results(client, "people", q="党员") == []
    assert results(client, "people", q="") == []


def test_people_by_staff_number(world, as_user):
    person = make_person(world.branch_a, name="孙老师", staff_number="T2026001")
    client = as_user(world.secretary_a)
    assert results(client, "people", q="T2026001") == [(person.pk, "孙老师（机关一支部）")]


def test_pickers_need_a_login_and_answer_a_member_with_their_own_scope(world, as_user):
    response = as_user(None).get(reverse("org:pick_people"), {"q": "赵"})
    assert response.status_code == 302
    client = as_user(world.member_user)
    assert [pk for pk, _ in results(client, "people", q="赵")] == [world.member_a.pk]
    assert results(client, "organisations", q="支部") == []


def test_answers_are_bounded(world, as_user):
    for n in range(pickers.LIMIT + 5):
        make_person(world.branch_a, name=f"周{n:02d}")
    client = as_user(world.org_officer)
    with assert_max_queries(6):
        assert len(results(client, "people", q="周")) == pickers.LIMIT


def test_training_form_renders_only_the_chosen_participants(world):
    others = [make_person(world.branch_a, name=f"吴{n}") for n in range(30)]
    today = timezone.localdate()
    form = TrainingForm(
        data={
            "organisation": world.branch_a.pk,
            "kind": "training",
            "title": "专题培训",
            "category": "political",
            "starts_on": today,
            "ends_on": today,
            "hours": "2",
            "participants": [world.member_a.pk],
        },
        user=world.secretary_a,
    )
    html = str(form["participants"])
    assert isinstance(form.fields["participants"].widget, TypeaheadMultiple)
    assert "赵党员" in html and f'value="{world.member_a.pk}"' in html
    assert not any(p.name in html for p in others)
    assert reverse("org:pick_people") in html and "org/typeahead.js" in html


def test_training_form_still_refuses_people_out_of_scope(world):
    today = timezone.localdate()
    form = TrainingForm(
        data={
            "organisation": world.branch_a.pk,
            "kind": "training",
            "title": "专题培训",
            "starts_on": today,
            "ends_on": today,
            "hours": "2",
            "participants": [world.member_b.pk],
        },
        user=world.secretary_a,
    )
    assert not form.is_valid() and "participants" in form.errors


def test_single_typeahead_reads_one_value_and_shows_its_label(world):
    widget = Typeahead("org:pick_people")
    assert widget.value_from_datadict({"p": "5"}, {}, "p") == "5"
    assert widget.selected("5") == []  # no field attached: nothing to look up


def test_development_board_has_no_select_of_every_organisation(world, as_user):
    page = as_user(world.org_officer).get(reverse("development:case_list")).content.decode()
    assert 'id="f-org"' in page and reverse("org:pick_organisations") in page
    assert "信息工程学院学生支部</option>" not in page
    chosen = as_user(world.org_officer).get(
        reverse("development:case_list"), {"org": world.branch_a.pk}
    )
    assert 'value="机关一支部"' in chosen.content.decode()


def test_people_are_found_the_same_without_the_byte_order_bound(world, as_user, monkeypatch):
    """Under a language's collation the name range is not added; the prefix match alone finds
    the same people."""
    for name in ("王一", "王二", "汪三"):
        make_person(world.branch_a, name=name)
    client = as_user(world.org_officer)
    bounded = results(client, "people", q="王")
    monkeypatch.setattr(pickers, "names_in_byte_order", lambda alias: False)
    assert results(client, "people", q="王") == bounded
    assert [label.split("（")[0] for _, label in bounded] == ["王一", "王二", "王总支书记"]


def test_people_list_and_suggestion_box_filter_by_typeahead_not_a_select(world, as_user):
    for name in ("org:person_list", "public:suggestion_list"):
        page = as_user(world.org_officer).get(reverse(name)).content.decode()
        assert 'id="f-org"' in page and reverse("org:pick_organisations") in page, name
        assert "信息工程学院学生支部</option>" not in page, name
        chosen = as_user(world.org_officer).get(reverse(name), {"org": world.branch_a.pk})
        assert f'value="{world.branch_a.name}"' in chosen.content.decode(), name
