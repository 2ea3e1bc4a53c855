"""Shared plumbing: parameter parsing (core.params) and list filters (core.filters)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict
from django.test import RequestFactory

from dangjian.core.filters import (
    FlagField,
    FlagWidget,
    ListFilterSet,
    SearchFilter,
    SubtreeFilter,
    YearFilter,
)
from dangjian.core.params import parse_date, parse_int, parse_year
from dangjian.org.models import Person


@pytest.mark.parametrize(
    "raw, kwargs, expected",
    [
        ("12", {}, 12),
        (" 7 ", {}, 7),
        ("x", {"default": 3}, 3),
        (None, {}, None),
        ("0", {"low": 1, "default": 1}, 1),
        ("1", {"low": 1}, 1),
        ("10", {"high": 9}, None),
        ("9", {"high": 9}, 9),
    ],
)
def test_parse_int_bounds(raw, kwargs, expected):
    assert parse_int(raw, **kwargs) == expected


def test_parse_date_and_year():
    assert parse_date("2026年3月20日") == date(2026, 3, 20)
    assert parse_date("2026-02-30") is None
    assert parse_date("", date(2026, 1, 1)) == date(2026, 1, 1)
    assert parse_year("1999") is None and parse_year("2000") == 2000 and parse_year("2101") is None


class PersonFilter(ListFilterSet):
    org = SubtreeFilter("primary_org", out_of_scope="404")
    # Joined the list in that year or later (a year filter with a page default).
    since = YearFilter(field_name="created_at__year", lookup_expr="gte")
    q = SearchFilter(fields=["name"])

    page_defaults = {"since": "2000"}

    class Meta:
        model = Person
        fields = []


def _request(user, query=""):
    request = RequestFactory().get("/?" + query)
    request.user = user
    return request


def test_a_page_filters_by_subtree_and_search(world):
    request = _request(world.gb_secretary_a, f"org={world.branch_a.pk}&q=赵")
    filters = PersonFilter.for_page(request, Person.objects.visible_to(world.gb_secretary_a))
    assert list(filters.qs) == [world.member_a]
    assert filters.active["q"] == "赵"
    assert "org=" in filters.querystring() and "q=" not in filters.querystring(q=None)


def test_an_out_of_scope_organisation_is_404_on_a_page(world):
    request = _request(world.secretary_a, f"org={world.branch_b.pk}")
    filters = PersonFilter.for_page(request, Person.objects.visible_to(world.secretary_a))
    with pytest.raises(Http404):
        list(filters.qs)


def test_a_bad_value_is_left_out_on_a_page_and_named_in_errors(world):
    request = _request(world.org_officer, "since=abc")
    filters = PersonFilter.for_page(request, Person.objects.all())
    assert not filters.is_valid() and "since" in filters.errors
    assert filters.qs.count() == Person.objects.count()
    assert "since" not in filters.active


def test_page_defaults_apply_only_when_absent(world):
    filters = PersonFilter.for_page(_request(world.org_officer), Person.objects.all())
    assert filters.data["since"] == "2000"
    api = PersonFilter(QueryDict(""), Person.objects.all(), user=world.org_officer)
    assert "since" not in api.data


@pytest.mark.parametrize(
    "raw, expected", [("1", True), ("true", True), ("No", False), ("0", False), ("", None)]
)
def test_flag_field_reads_yes_and_no(raw, expected):
    assert FlagField(required=False).clean(raw) is expected


def test_flag_field_refuses_anything_else_and_the_lenient_widget_ignores_it():
    with pytest.raises(ValidationError):
        FlagField(required=False).clean("maybe")
    assert FlagWidget().value_from_datadict({"f": "maybe"}, {}, "f") is None
    assert FlagWidget().value_from_datadict({"f": "yes"}, {}, "f") is True
