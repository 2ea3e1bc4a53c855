"""The demo institution (seed 004 §四(一)) and the synthetic data generator."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from dangjian.core.models import User
from dangjian.core.scoping import scope_for
from dangjian.demo import generator, institution
from dangjian.org import rules
from dangjian.org.models import LeadingGroup, Organisation, Person, Position

SEED_GENERAL_BRANCHES = [
    "机关党总支",
    "教学党总支",
    "离退休党总支",
    "管理工程学院党总支",
    "建筑与环境工程学院党总支",
    "化学与制药工程学院党总支",
    "艺术设计学院党总支",
    "机械工程学院党总支",
    "财经学院党总支",
    "车辆工程学院党总支",
    "自动化学院党总支",
    "信息工程学院党总支",
]


def load(**options) -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def demo(db):
    """The seed institution with fewer people than the default, to keep the tests fast."""
    return load(people=800)


def org(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def children(name: str) -> list[str]:
    return [o.name for o in Organisation.objects.get_children(org(name))]


def covered(name: str) -> list[str]:
    return [u.name for u in org(name).covered_units.order_by("display_order")]


def test_seed_institution_has_12_general_branches_and_39_branches(demo):
    committee = Organisation.objects.get(kind="committee")
    assert committee.name == "中共重庆工业职业技术学院委员会"
    assert children(committee.name) == SEED_GENERAL_BRANCHES
    assert Organisation.objects.filter(kind="branch").count() == 39
    assert children("机关党总支") == [f"机关{n}支部" for n in "一二三四五六七八"]
    assert children("教学党总支") == [f"教学{n}支部" for n in "一二三四五六"]
    assert children("离退休党总支") == [f"离退休{n}支部" for n in "一二三四五"]
    assert children("机械工程学院党总支") == [
        "机械工程学院教工一支部",
        "机械工程学院教工二支部",
        "机械工程学院学生支部",
    ]
    assert children("管理工程学院党总支") == ["管理工程学院教工支部", "管理工程学院学生支部"]
    assert org("财经学院教工二支部").short_name == "教工二支部"


def test_seed_branches_cover_the_offices_the_seed_names(demo):
    assert covered("机关一支部") == ["组织部", "宣传部", "纪委办", "人事处"]
    assert covered("机关二支部") == ["党政办", "工会（离退休工作处）"]
    assert covered("机关七支部") == ["第三机床厂", "培训继续教育学院", "国际合作交流处"]
    assert covered("教学六支部") == ["科研处（合作发展处）", "教育技术与信息中心"]
    assert covered("信息工程学院学生支部") == ["信息工程学院"]
    college = org("信息工程学院学生支部").covered_units.get()
    assert college.kind == "college"
    assert college.children.filter(kind="class").count() >= 4


def test_branch_categories(demo):
    def category(name):
        return org(name).category

    assert category("机关三支部") == "organ"
    assert category("教学二支部") == "staff"
    assert category("机械工程学院教工一支部") == "staff"
    assert category("信息工程学院学生支部") == "student"
    assert category("离退休五支部") == "retiree"


def test_party_groups_for_interns_seconded_teachers_and_retirees(demo):
    for branch in Organisation.objects.filter(kind="branch", category="student"):
        names = [g.name for g in Organisation.objects.get_children(branch)]
        assert names and all(n.startswith("顶岗实习第") for n in names), branch.name
    for branch in Organisation.objects.filter(kind="branch", category="retiree"):
        names = [g.name for g in Organisation.objects.get_children(branch)]
        assert len(names) >= 2 and all(n.endswith("片区党小组") for n in names)
    assert Organisation.objects.filter(kind="group", name__contains="挂职").exists()
    for person in Person.objects.exclude(group=None).select_related("group", "primary_org"):
        assert person.group.path.startswith(person.primary_org.path)
        assert person.is_member


def test_tree_is_consistent_and_codes_deterministic(demo):
    assert Organisation.objects.find_problems() == ([], [], [], [], [])
    assert org("中共重庆工业职业技术学院委员会").code == "C01"
    assert org("机关一支部").code == "C01-G01-B01"
    assert Organisation.objects.filter(activity_room_area__lt=20).exists()  # some below standard


def test_every_branch_and_general_branch_has_a_current_secretary(demo):
    secretaries = set(
        Position.objects.current()
        .filter(title="secretary")
        .values_list("organisation_id", flat=True)
    )
    for o in Organisation.objects.filter(kind__in=["committee", "general_branch", "branch"]):
        assert o.pk in secretaries, o.name
        assert o.terms.filter(ends_on__gt=timezone.localdate()).exists(), o.name
    for position in Position.objects.select_related("person"):
        if position.title != "group_leader":
            assert position.person.party_status == "full"


def test_id_numbers_valid_unique_and_consistent(demo):
    rows = list(Person.objects.values_list("id_number", "birth_date", "gender"))
    assert len(rows) == 800
    assert len({r[0] for r in rows}) == len(rows)
    for id_number, birth, gender in rows:
        assert rules.id_number_error(id_number) is None
        assert id_number.startswith("5001")
        assert rules.id_birth_date(id_number) == birth
        assert rules.id_gender(id_number) == gender


def test_party_status_dates_are_consistent(demo):
    today = timezone.localdate()
    for p in Person.objects.all():
        assert rules.phone_error(p.phone) is None and p.phone
        if p.applied_on:
            assert rules.age_on(p.birth_date, p.applied_on) >= 18
            assert p.applied_on <= (p.status_since or today) <= today
        if p.party_status in ("probationary", "full"):
            assert p.probation_starts_on == p.joined_on
            assert p.probation_ends_on == rules.probation_end(p.joined_on)
        if p.party_status == "probationary":
            assert p.probation_ends_on > today
        if p.party_status == "full":
            assert p.status_since == p.probation_ends_on <= today
        if p.category == "student":
            assert p.unit.kind == "class" and 17 <= rules.age_on(p.birth_date, today) <= 25
    assert set(
        Person.objects.filter(primary_org__category="retiree").values_list(
            "party_status", flat=True
        )
    ) == {"full"}
    student_statuses = set(
        Person.objects.filter(category="student").values_list("party_status", flat=True)
    )
    assert {"applicant", "activist", "candidate", "target", "probationary"} <= student_statuses
    member = Person.objects.filter(party_status="full").first()
    assert [c.to_status for c in member.status_changes.order_by("effective_on")] == [
        "probationary",
        "full",
    ]


def test_leading_group_of_the_168_mechanism(demo):
    group = LeadingGroup.objects.get()
    assert group.organisation.kind == "committee"
    assert (group.name, group.office) == ("“168”工作领导小组", "党委组织部")
    roles = set(group.members.values_list("role", flat=True))
    assert roles == {"leader", "deputy", "member", "office_head"}


def test_demo_logins_have_the_intended_scope(demo):
    users = {u.username: u for u in User.objects.select_related("person__primary_org")}
    assert set(users) == {login.username for login in institution.DEMO_LOGINS}
    assert all(u.check_password("demo-2026") for u in users.values())
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert scope_for(users["zuzhibu"]).everything
    assert users["zuzhibu"].is_org_officer
    assert users["zuzhibu"].person.primary_org.name == "机关一支部"
    assert scope_for(users["zongzhi"]).org_paths == (org("信息工程学院党总支").path,)
    assert scope_for(users["zhibu"]).org_paths == (org("信息工程学院学生支部").path,)
    member = scope_for(users["dangyuan"])
    assert not member.is_officer and member.person_id == users["dangyuan"].person_id
    assert users["dangyuan"].person.party_status == "full"
    assert users["dangyuan"].person.primary_org.name == "信息工程学院学生支部"
    for user in users.values():
        assert user.is_staff == (user.username == "admin")


def test_load_twice_refuses_without_reset(demo):
    with pytest.raises(CommandError, match="--reset"):
        load(people=50)
    assert Person.objects.count() == 800
    load(people=300, reset=True)
    assert Person.objects.count() == 300
    assert Organisation.objects.filter(kind="branch").count() == 39
    assert scope_for(User.objects.get(username="zhibu")).org_paths


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


def test_demo_command_loads_once_and_does_not_serve(db):
    out = io.StringIO()
    call_command("demo", no_serve=True, stdout=out)
    assert Person.objects.count() == generator.DEFAULT_PEOPLE
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


def test_a_year_of_the_mechanism_has_something_on_every_page(demo):
    from dangjian.posts.models import Commitment, DutyCheck, DutyRecord, Post
    from dangjian.public.models import Suggestion
    from dangjian.targets.models import Opinion, Task, WorkItem

    # Work items stand at every one of the six steps, plus done.
    assert set(WorkItem.objects.values_list("step", flat=True)) == set(range(1, 8))
    # Posts in every state of the six steps of post setting, most of them performed.
    assert {"set", "claimed", "confirmed", "published", "performing", "evaluated"} <= set(
        Post.objects.values_list("state", flat=True)
    )
    assert Opinion.objects.filter(handling="pending").exists()
    overdue = Task.objects.filter(completed_on__isnull=True, deadline__lt=timezone.localdate())
    assert overdue.exists()
    assert Commitment.objects.filter(published_on__isnull=False).exists()
    assert DutyRecord.objects.filter(duty_check__isnull=False).exists()
    assert DutyCheck.objects.filter(kind="quarterly").exists() or timezone.localdate().month < 4
    assert Suggestion.objects.filter(status="received").exists()
    # Holders of student posts are students (seed 004 §四(四)5).
    assert (
        not Post.objects.filter(post_type__audience="student")
        .exclude(holder__category="student")
        .exclude(holder=None)
        .exists()
    )
