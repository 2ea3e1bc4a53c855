"""The demo member (login dangyuan) holds a post with a year of 亮岗履职 behind it, so a first
visitor signed in as a member sees real figures on 我的岗位, 我的履职记实, 履职小结 and
我的学习学时."""

from datetime import date

from dangjian.demo.mechanism import give_member_a_post
from dangjian.orglife.models import StudyRecord
from dangjian.posts.models import Commitment, DutyCheck, DutyRecord, DutySummary, Post


def test_the_demo_member_gets_a_post_records_a_commitment_and_hours(world):
    today = date(2026, 12, 7)
    march = DutyCheck.objects.create(
        organisation=world.branch_b,
        kind="monthly",
        period_start=date(2026, 3, 1),
        period_end=date(2026, 3, 31),
        checked_on=date(2026, 4, 3),
    )
    give_member_a_post(world.member_b, today)

    post = Post.objects.get(holder=world.member_b, year=2026)
    assert post.state == "performing" and post.organisation == world.branch_b
    records = DutyRecord.objects.filter(person=world.member_b, post=post).order_by("occurred_on")
    assert [r.occurred_on.month for r in records] == list(range(3, 13))
    assert records.last().occurred_on == today  # this month's figure is not zero
    assert [r.occurred_on.month for r in records if r.duty_check_id == march.pk] == [3]
    march.refresh_from_db()
    assert march.records_checked == 1
    assert Commitment.objects.filter(person=world.member_b, year=2026).exists()
    assert DutySummary.objects.filter(person=world.member_b, year=2026, semester=1).exists()
    assert sum(r.hours for r in StudyRecord.objects.filter(person=world.member_b)) == 10

    give_member_a_post(world.member_b, today)  # a second load adds nothing
    assert Post.objects.filter(holder=world.member_b).count() == 1
    assert DutyRecord.objects.filter(person=world.member_b).count() == 10


def test_before_march_the_member_has_a_post_and_no_records_yet(world):
    give_member_a_post(world.member_b, date(2026, 2, 10))
    assert Post.objects.filter(holder=world.member_b, year=2026).exists()
    assert not DutyRecord.objects.filter(person=world.member_b).exists()
    assert not DutySummary.objects.filter(person=world.member_b).exists()
