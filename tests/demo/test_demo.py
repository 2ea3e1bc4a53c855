"""The demo institution (《基层组织建设实施意见》§四(一)) and the synthetic data generator."""

import io

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

# Every test here reads the demo institution, loaded once per module (about 30 s, much more on
# a busy machine): CI runs them, the everyday run does not.
pytestmark = pytest.mark.slow


def load(**options) -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    """The seed institution with fewer people than the default, loaded once for the module
    (each test's own changes roll back) and removed afterwards."""
    with django_db_blocker.unblock():
        output = load(people=800)
        yield output
        generator.reset_data()
        User.objects.filter(username__in=[x.username for x in institution.DEMO_LOGINS]).delete()


@pytest.fixture
def demo(demo_loaded, db):
    return demo_loaded


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
    from dangjian.membership.models import MemberAway
    from dangjian.posts.models import Commitment, Post

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
    # The member's own 亮岗履职 pages show a post at work, its commitment and duty records.
    year = timezone.localdate().year
    person = users["dangyuan"].person
    post = Post.objects.get(holder=person, year=year, state="performing")
    assert post.duty_records.exists() or timezone.localdate().month < 3
    assert Commitment.objects.filter(person=person, year=year).exists()
    assert MemberAway.objects.exists()  # and some members are away
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
    # Holders of student posts are students (《基层组织建设实施意见》§四(四)5).
    assert (
        not Post.objects.filter(post_type__audience="student")
        .exclude(holder__category="student")
        .exclude(holder=None)
        .exists()
    )


def test_a_year_of_organisational_life_development_and_visits(demo):
    from dangjian.core.models import Reminder
    from dangjian.development.models import Case, Vote
    from dangjian.orglife.models import Attendance, Meeting, StudyRecord
    from dangjian.outreach.models import Contact, Visit

    assert Meeting.objects.exists() and Attendance.objects.filter(status="excused").exists()
    assert StudyRecord.objects.filter(integrity=True).exists()
    assert Contact.objects.exists() and Visit.objects.exists()
    # People at the steps of the pipeline, and one vote that fails the majority rule:
    # votes in favour exactly half of those who should attend.
    stages = set(Case.objects.values_list("stage", flat=True))
    assert {1, 2, 4, 5, 9, 10} <= stages
    failed = Vote.objects.get(passed=False)
    assert (
        failed.in_favour * 2 == failed.should_attend and failed.present * 2 > failed.should_attend
    )
    # Every case's person has the Party status its step implies.
    assert not Case.objects.filter(stage=9).exclude(person__party_status="probationary").exists()
    assert Reminder.objects.exists()  # the demo runs the reminder sweep once


# Issue 13: no page over 200 KB of HTML — pickers are type-aheads, long lists are paged.
PAGE_BUDGET = 200 * 1024
OFFICER_PAGES = (
    "/",
    "/org/people/",
    "/reports/",
    "/development/",
    "/development/new/",
    "/posts/",
    "/posts/new/",
    "/posts/annex2/",
    "/targets/items/",
    "/targets/items/new/",
    "/orglife/",
    "/orglife/new/",
    "/orglife/trainings/new/",
    "/orglife/hours/new/",
    "/orglife/compliance/",
    "/orglife/hours/",
    "/outreach/compliance/",
    "/public/suggestions/",
)


@pytest.mark.parametrize("username", ["zuzhibu", "zongzhi", "zhibu", "dangyuan"])
def test_key_pages_stay_under_200_kb(demo, client, username):
    from dangjian.public.models import Suggestion

    client.force_login(User.objects.get(username=username))
    pages = list(OFFICER_PAGES) if username != "dangyuan" else ["/", "/posts/my/"]
    if username != "dangyuan":
        suggestion = Suggestion.objects.filter(status="received").order_by("id").first()
        if username == "zuzhibu" and suggestion is not None:
            pages.append(f"/public/suggestions/{suggestion.pk}/")
    sizes = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        sizes[url] = len(response.content)
    assert {u: n for u, n in sizes.items() if n > PAGE_BUDGET} == {}


def test_demo_imports_and_meeting_photos(demo):
    from dangjian.core.models import DataImport
    from dangjian.orglife.models import MeetingFile

    jobs = DataImport.objects.filter(created_by__username="zhibu").order_by("id")
    assert [j.state for j in jobs] == ["done", "invalid", "valid"]
    assert jobs[0].imported_rows > 0 and jobs[0].rows == []
    assert {e["column"] for e in jobs[1].errors} == {"结束时间", "出席人员", "日期"}
    assert (
        MeetingFile.objects.filter(meeting__organisation__name="信息工程学院学生支部").count() >= 3
    )
