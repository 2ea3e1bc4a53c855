"""The synthetic data generator: scaled trees, reset, the demo command, pure helpers."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from dangjian.core.models import User
from dangjian.core.scoping import scope_for
from dangjian.demo import generator, institution
from dangjian.org import rules
from dangjian.org.models import Organisation, Person
from tests.demo.test_demo import load


def test_reset_goes_row_by_row_when_other_data_refers_to_people(db, monkeypatch):
    load(orgs=40, people=200)
    monkeypatch.setattr(generator, "_referenced_elsewhere", lambda model, known: True)
    generator.reset_data(batch_size=50)
    assert not generator.has_data()
    assert User.objects.get(username="zhibu").person is None


def test_scaled_mode_creates_exactly_the_counts_asked(db):
    output = load(orgs=60, people=500)
    assert Organisation.objects.count() == 60
    assert Person.objects.count() == 500
    assert Organisation.objects.find_problems() == ([], [], [], [], [])
    assert "每秒" in output and "人员 500/500 (100%)" in output
    zhibu = User.objects.get(username="zhibu")
    assert scope_for(zhibu).org_paths == (zhibu.person.primary_org.path,)


def test_scaled_mode_builds_many_committees(db):
    load(orgs=400, people=2000, seed=3)
    assert Organisation.objects.count() == 400
    assert Person.objects.count() == 2000
    assert Organisation.objects.filter(kind="committee").count() > 2
    assert Organisation.objects.find_problems() == ([], [], [], [], [])
    assert len(set(Person.objects.values_list("id_number", flat=True))) == 2000


@pytest.mark.slow
def test_demo_command_loads_once_and_does_not_serve(db):
    out = io.StringIO()
    call_command("demo", no_serve=True, stdout=out)
    # The generator's people, and the one member the demo's transfer in registers (欧阳晓).
    assert Person.objects.count() == generator.DEFAULT_PEOPLE + 1
    assert "打开 http://127.0.0.1:8000 登录" in out.getvalue()
    out = io.StringIO()
    call_command("demo", no_serve=True, addrport="0.0.0.0:8080", stdout=out)
    assert "跳过载入" in out.getvalue() and "http://127.0.0.1:8080" in out.getvalue()


def test_people_generation_is_deterministic():
    def first(seed):
        factory = generator.PeopleFactory(seed, date(2026, 3, 1))
        people = [factory.person("student", "activist") for _ in range(10)]
        people += [factory.person("staff", "full") for _ in range(10)]
        return [(p.fields["name"], p.fields["id_number"]) for p in people]

    assert first(7) == first(7)
    assert first(7) != first(8)
    assert all(rules.id_number_error(id_number) is None for _, id_number in first(7))


def test_id_numbers_stay_unique_for_one_birthday():
    ids = generator.IdNumbers(generator.random.Random(1))
    numbers = [ids.issue(date(2005, 5, 5), male=i % 2 == 0) for i in range(30_000)]
    assert len({n for n, _ in numbers}) == 30_000
    assert all(rules.id_number_error(n) is None for n, _ in numbers)
    assert all(rules.id_birth_date(n) == birth for n, birth in numbers)


def test_allocate_is_exact_and_keeps_minimums():
    assert generator.allocate(100, [1, 1, 2], [5, 5, 5]) == [26, 26, 48]
    assert sum(generator.allocate(7, [1.3, 2.1, 0.4], [0, 0, 0])) == 7
    assert generator.allocate(3, [1, 1, 1], [5, 5, 5]) == [1, 1, 1]


def test_seed_institution_spec_is_pure_data():
    spec = institution.seed_institution(2025)
    kinds = [o.kind for o in spec.committee.walk()]
    assert kinds.count("general_branch") == 12 and kinds.count("branch") == 39
    assert len({o.code for o in spec.committee.walk()}) == len(kinds)
    assert "zhibu" in institution.login_table()
