"""Meetings with attendance from Excel: one row per meeting."""

from datetime import date, time

from dangjian.core.models import DataImport
from dangjian.orglife import services
from dangjian.orglife.models import Attendance, Meeting, StudyRecord
from tests.imports.conftest import errors_of

from .conftest import *  # noqa: F403 (fixtures)


def row(**values):
    base = {
        "organisation": "BA",
        "kind": "党员大会",
        "topic": "学习贯彻全会精神",
        "held_on": "2025-03-10",
        "starts_at": "14:30",
        "ends_at": "16:00",
        "place": "党员活动室",
    }
    return base | values


def test_everyone_present_by_default_and_lists_by_number_or_name(world, people, run_import):
    job = run_import(
        "meetings",
        world.secretary_a,
        [
            row(study_hours=2, minutes="传达学习"),
            row(
                topic="专题党课",
                kind="党课",
                held_on="2025-04-08",
                present="A001、陈二",
                excused="赵党员",
                host="A001",
                starts_at=0.375,  # an Excel time cell: 09:00
                ends_at="10:30",
            ),
        ],
    )
    assert job.state == DataImport.State.DONE, job.errors
    first, second = Meeting.objects.order_by("held_on")
    assert first.attendance.filter(status="present").count() == first.attendance.count() > 2
    assert StudyRecord.objects.filter(meeting=first).count() == first.attendance.count()
    assert second.starts_at == time(9, 0) and second.host == people["a1"]
    statuses = dict(Attendance.objects.filter(meeting=second).values_list("person__name", "status"))
    assert statuses == {"陈一": "present", "陈二": "present", "赵党员": "excused"}


def test_bad_rows_listed_nothing_imported(world, people, run_import):
    job = run_import(
        "meetings",
        world.secretary_a,
        [
            row(),
            row(organisation="BB", topic="b"),  # 3: out of scope
            row(ends_at="14:00", topic="c"),  # 4: ends before it starts (the service's rule)
            row(present="林一", topic="d"),  # 5: not a member of BA
            row(held_on="2999-01-01", topic="e"),  # 6: a held meeting in the future
            row(kind="茶话会", topic="f"),  # 7: not a kind
            row(),  # 8: the same meeting as row 2
        ],
    )
    assert job.state == DataImport.State.INVALID
    assert errors_of(job) == [
        (3, "组织编码"),
        (4, "结束时间"),
        (5, "出席人员"),
        (6, "日期"),
        (7, "会议类型"),
        (8, "主题"),
    ]
    assert not Meeting.objects.exists()


def test_meeting_already_recorded(world, people, run_import):
    services.meeting_create(
        actor=world.secretary_a,
        organisation=world.branch_a,
        kind="general",
        topic="学习贯彻全会精神",
        held_on=date(2025, 3, 10),
        starts_at=time(14, 30),
        ends_at=time(16, 0),
        place="党员活动室",
    )
    job = run_import("meetings", world.secretary_a, [row()])
    assert job.state == DataImport.State.INVALID and "已登记过" in job.errors[0]["message"]
