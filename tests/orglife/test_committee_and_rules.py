"""Committee meetings and what each frequency rule counts (issue: domain corrections 3 and 4).

《基层组织建设实施意见》§四(二)3: the monthly organisational life of
branches (2), the committee's monthly meeting (3), the yearly 支部民主生活会 (4); score sheet
item 7 lists them side by side as different meetings."""

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangjian.orglife import rules, selectors, services
from dangjian.orglife.models import Attendance, FrequencyRule, MeetingKind
from tests.factories import make_person


def _committee_meeting(world, attendance=None, org=None):
    return services.meeting_create(
        actor=world.org_officer,
        organisation=org or world.branch_a,
        kind=MeetingKind.COMMITTEE,
        topic="研究本月工作",
        held_on=date(2025, 3, 10),
        starts_at=time(14, 0),
        ends_at=time(15, 0),
        place="支部办公室",
        attendance=attendance,
    )


# --- 3. committee meetings ----------------------------------------------------------------


def test_a_committee_meetings_roster_is_the_committee_not_the_branch(world):
    # branch_a: secretary 张书记 (committee) and 赵党员 (member)
    meeting = _committee_meeting(world)
    rows = list(meeting.attendance.all())
    assert [(r.person_id, r.role, r.status) for r in rows] == [
        (world.secretary_a.person_id, "member", "present")
    ]
    counted = selectors.attach_counts([meeting])[0]
    assert (counted.present_count, counted.should_count, counted.observer_count) == (1, 1, 0)


def test_others_who_come_to_a_committee_meeting_are_listed_as_observers(world):
    meeting = _committee_meeting(
        world,
        attendance=[
            {"person_id": world.secretary_a.person_id, "status": "present"},
            {"person_id": world.member_a.pk, "status": "present"},
        ],
    )
    roles = dict(meeting.attendance.values_list("person_id", "role"))
    assert roles == {world.secretary_a.person_id: "member", world.member_a.pk: "observer"}
    counted = selectors.attach_counts([meeting])[0]
    assert (counted.present_count, counted.should_count, counted.observer_count) == (1, 1, 1)
    assert services.attendance_summary(meeting.attendance.all()).endswith("列席1人")


def test_an_observer_is_recorded_only_when_present(world):
    with pytest.raises(ValidationError) as caught:
        _committee_meeting(
            world, attendance=[{"person_id": world.member_a.pk, "status": "excused"}]
        )
    assert "赵党员不是委员，只能登记为列席（到会）。" in caught.value.message_dict["attendance"]


def test_a_committee_member_may_be_excused(world):
    meeting = _committee_meeting(
        world, attendance=[{"person_id": world.secretary_a.person_id, "status": "excused"}]
    )
    assert meeting.attendance.get().role == "member"


def test_the_general_branch_committee_too(world):
    make_person(world.gb_a, name="总支干事")  # registered with the general branch itself
    meeting = _committee_meeting(world, org=world.gb_a)
    assert list(meeting.attendance.values_list("person_id", "role")) == [
        (world.gb_secretary_a.person_id, "member")
    ]


def test_other_meetings_keep_every_member_on_the_roster(world, make_meeting):
    meeting = make_meeting(kind="org_life")
    assert set(meeting.attendance.values_list("role", flat=True)) == {"member"}
    assert meeting.attendance.count() == 2


def test_changing_a_meeting_to_a_committee_meeting_checks_its_list_again(world, make_meeting):
    meeting = make_meeting(kind="org_life")  # both present
    services.meeting_update(actor=world.org_officer, meeting=meeting, kind="committee")
    roles = dict(Attendance.objects.filter(meeting=meeting).values_list("person_id", "role"))
    assert roles == {world.secretary_a.person_id: "member", world.member_a.pk: "observer"}


def test_attendance_role_rule():
    assert rules.attendance_role("committee", on_roster=True) == "member"
    assert rules.attendance_role("committee", on_roster=False) == "observer"
    assert rules.attendance_role("general", on_roster=False) == "member"
    assert rules.observer_error("甲", "present") is None
    assert rules.observer_error("甲", "absent") == "甲不是委员，只能登记为列席（到会）。"


def test_api_committee_meeting_lists_observers(world, as_user):
    client = as_user(world.secretary_a)
    response = client.post(
        "/api/v1/meetings/",
        {
            "organisation": world.branch_a.pk,
            "kind": "committee",
            "topic": "支委会",
            "held_on": "2025-03-10",
            "starts_at": "14:00",
            "ends_at": "15:00",
            "place": "支部办公室",
            "attendance": [
                {"person": world.secretary_a.person_id, "status": "present"},
                {"person": world.member_a.pk, "status": "present"},
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    roles = {row["person"]: row["role_display"] for row in response.json()["attendance"]}
    assert roles == {world.secretary_a.person_id: "应到", world.member_a.pk: "列席"}
    refused = client.post(
        "/api/v1/meetings/",
        {
            "organisation": world.branch_a.pk,
            "kind": "committee",
            "topic": "支委会",
            "held_on": "2025-03-11",
            "starts_at": "14:00",
            "ends_at": "15:00",
            "place": "支部办公室",
            "attendance": [{"person": world.member_a.pk, "status": "absent"}],
        },
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "不是委员" in str(refused.json())


def test_the_form_lists_the_committee_first_and_others_as_not_attending(world, as_user):
    client = as_user(world.secretary_a)
    page = client.get(reverse("orglife:meeting_create") + "?kind=committee")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'id="att-{world.member_a.pk}-none" value="none" autocomplete="off" checked' in html
    assert f'id="att-{world.secretary_a.person_id}-present" value="present"' in html
    assert html.index("张书记") < html.index("赵党员")
    assert "<script>" not in html  # the list's behaviour lives in a static file


# --- 4. what each frequency rule counts ----------------------------------------------------


@pytest.mark.django_db
def test_the_stored_default_rules_are_the_seed_rules():
    stored = {
        (r.name, r.org_kind, r.branch_category): r
        for r in FrequencyRule.objects.filter(is_active=True)
    }
    assert len(stored) == len(rules.SEED_FREQUENCY_RULES)
    for seed in rules.SEED_FREQUENCY_RULES:
        rule = stored[(seed.name, seed.org_kind, seed.branch_category)]
        assert tuple(rule.kinds) == seed.kinds
        assert (rule.period, rule.min_count, rule.min_minutes) == (
            seed.period,
            seed.min_count,
            seed.min_minutes,
        )
        assert rule.include_subtree == seed.include_subtree
        assert rule.source == seed.source
        assert rule.source.startswith("《")  # cited by title and article, not by file name


def _seed(name, org_kind="branch", category=""):
    return next(
        r
        for r in rules.SEED_FREQUENCY_RULES
        if (r.name, r.org_kind, r.branch_category) == (name, org_kind, category)
    )


def test_each_rule_counts_only_the_meetings_its_article_names():
    # 四(二)3(4): 一般每年至少召开一次党支部民主生活会 — the monthly 组织生活会 is not one
    assert _seed("支部民主生活会").kinds == ("democratic_life",)
    assert _seed("支部民主生活会").source.endswith("四(二)3(4)")
    # 四(二)3(3): 党支部委员会一般每月开一次 — only the committee's meetings
    assert _seed("党支部委员会").kinds == ("committee",)
    # 四(二)3(2): monthly organisational life of student (二次), staff, organ and retiree branches
    for name, category, count in [
        ("学生党支部组织生活", "student", 2),
        ("教工党支部组织生活", "staff", 1),
        ("机关党支部组织生活", "organ", 1),
        ("离退休党支部组织生活", "retiree", 1),
    ]:
        seed = _seed(name, category=category)
        assert (seed.period, seed.min_count, seed.min_minutes) == ("month", count, 120)
        assert "committee" not in seed.kinds and "democratic_life" not in seed.kinds
        assert "org_life" in seed.kinds
    # score item 7: 每期上1次党课、每学期开展1次党日活动
    assert _seed("党课").kinds == ("lecture",) and _seed("党课").period == "semester"
    assert _seed("主题党日").kinds == ("party_day",)
    # 四(二)3(1) general branches: half-yearly forum (its branches' count too), analysis, review
    assert _seed("师生员工座谈会", "general_branch").include_subtree
    assert _seed("师生员工思想状况分析", "general_branch").kinds == ("thought_analysis",)
    assert _seed("入党积极分子考察分析", "general_branch").kinds == ("activist_review",)
    assert _seed("干部民主生活会", "general_branch").period == "year"


def test_monthly_organisational_life_does_not_count_as_the_yearly_democratic_life(
    world, make_meeting
):
    for month in range(1, 13):
        make_meeting(kind="org_life", held_on=date(2025, month, 10))
    yearly = FrequencyRule.objects.filter(name="支部民主生活会", org_kind="branch")
    [status] = selectors.compliance_for(
        [world.branch_a], None, date(2025, 12, 15), date(2025, 12, 31), list(yearly)
    )
    assert status.rows[0].result.count == 0  # it used to read 12/1
    make_meeting(kind="democratic_life", held_on=date(2025, 12, 20))
    [status] = selectors.compliance_for(
        [world.branch_a], None, date(2025, 12, 15), date(2025, 12, 31), list(yearly)
    )
    assert status.rows[0].result.count == 1
