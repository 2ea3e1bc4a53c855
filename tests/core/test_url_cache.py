"""{% url %} remembers reversals (core/templatetags/url_cache.py) and still behaves as Django's."""

from unittest import mock

import pytest
from django.template import Context, Template, engines
from django.urls import NoReverseMatch, reverse, set_script_prefix

from dangjian.core.serializer_fields import ChoiceLabel
from dangjian.core.templatetags import url_cache
from dangjian.org.models import Person


def render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


def test_the_builtin_url_tag_is_the_cached_one():
    node = Template("{% url 'home' %}").nodelist[0]
    assert isinstance(node, url_cache.CachedURLNode)


def test_same_paths_as_django_and_each_name_reversed_once():
    url_cache.cached_reverse.cache_clear()
    with mock.patch.object(url_cache, "reverse", wraps=reverse) as spy:
        for _ in range(3):
            assert render("{% url 'home' %}") == reverse("home")
            path = reverse("org:person_detail", args=[7])
            assert render("{% url 'org:person_detail' 7 %}") == path
            assert render("{% url 'org:person_detail' pk=8 %}") == reverse(
                "org:person_detail", kwargs={"pk": 8}
            )
    assert spy.call_count == 3


def test_an_object_argument_takes_djangos_path():
    class Shown:
        pk = 5

        def __str__(self):
            return "5"

    with mock.patch.object(url_cache, "cached_reverse") as cached:
        assert render("{% url 'org:person_detail' p %}", p=Shown()) == reverse(
            "org:person_detail", args=[5]
        )
    cached.assert_not_called()


def test_unknown_name_raises_unless_assigned():
    with pytest.raises(NoReverseMatch):
        render("{% url 'no-such-page' %}")
    assert render("{% url 'no-such-page' as u %}[{{ u }}]") == "[]"
    assert render("{% url 'home' as u %}[{{ u }}]") == f"[{reverse('home')}]"


def test_the_script_prefix_is_part_of_the_key():
    try:
        set_script_prefix("/dangjian/")
        assert render("{% url 'home' %}") == "/dangjian/"
    finally:
        set_script_prefix("/")
    assert render("{% url 'home' %}") == "/"


def test_autoescape_applies_to_the_cached_path():
    rendered = Template("{% url 'org:person_detail' 3 %}").render(Context(autoescape=True))
    assert rendered == reverse("org:person_detail", args=[3])


def test_choice_label_reads_the_label_without_source():
    field = ChoiceLabel("party_status")
    person = Person(party_status="probationary")
    assert field.get_attribute(person) == person.get_party_status_display()
    assert field.read_only


def test_another_root_urlconf_is_another_key(settings):
    url_cache.cached_reverse.cache_clear()
    assert render("{% url 'home' %}") == "/"
    settings.ROOT_URLCONF = "tests.core.urls_elsewhere"
    assert render("{% url 'home' %}") == "/elsewhere/"
