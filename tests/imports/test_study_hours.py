"""Study hours as a learning platform exports them (core.imports + orglife.imports)."""

from datetime import date
from decimal import Decimal

from dangjian.core import imports
from dangjian.core.models import AuditEvent, DataImport
from dangjian.orglife.models import StudyRecord
from tests.imports.conftest import errors_of, workbook

from .conftest import *  # noqa: F403 (fixtures)


def row(**values):
    base = {
        "name": "陈一",
        "staff_number": "A001",
        "title": "学习贯彻党的二十大精神",
        "hours": 2,
        "studied_on": "2025-05-01",
    }
    return base | values


def test_happy_path_by_staff_number_and_id_number(world, people, run_import):
    id_number = people["a1"].id_number
    job = run_import(
        "study-hours",
        world.secretary_a,
        [
            row(),
            row(
                staff_number="",
                id_number=id_number,
                title="廉政专题",
                hours="1.25",
                category="廉政教育",
            ),
            row(name="陈二", staff_number="A002", studied_on="2025-06-02 14:22"),
        ],
    )
    assert job.state == DataImport.State.DONE and job.imported_rows == 3
    records = StudyRecord.objects.order_by("id")
    assert [r.person.name for r in records] == ["陈一", "陈一", "陈二"]
    assert records[1].hours == Decimal("1.3") and records[1].integrity
    assert records[2].studied_on == date(2025, 6, 2)
    assert job.rows == []  # the personal data read is dropped
    assert AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT, note__contains="学习学时")


def test_one_bad_row_imports_nothing_and_every_bad_row_is_listed(world, people, run_import):
    job = run_import(
        "study-hours",
        world.secretary_a,
        [
            row(),
            row(staff_number="NOPE"),  # row 3: unknown person
            row(hours="两", title="课程4"),  # row 4: not a number
            row(studied_on="2999-01-01", hours=0, title="课程5"),  # row 5: future, zero hours
            row(name="别人", title="课程6"),  # row 6: name does not match
            row(),  # row 7: the same as row 2
        ],
    )
    assert job.state == DataImport.State.INVALID
    assert StudyRecord.objects.count() == 0
    assert errors_of(job) == [
        (3, "工号/学号"),
        (4, "学时"),
        (5, "学时"),
        (5, "完成日期"),
        (6, "姓名"),
        (7, "课程名称"),
    ]
    assert "与第2行重复" in job.errors[-1]["message"]


def test_a_platform_export_header_is_recognised(world, people, django_capture_on_commit_callbacks):
    spec = imports.spec_for("study-hours")
    headers = ["学员姓名", "学号", "证件号码", "课程名称", "获得学时", "完成时间"]
    upload = workbook(spec, [row()], headers=headers)
    rows = imports.read_rows(spec, upload)
    assert rows == [
        [2, "陈一", "A001", None, "学习贯彻党的二十大精神", 2, "2025-05-01", None, None]
    ]


def test_out_of_scope_person_is_a_row_error(world, people, run_import):
    job = run_import("study-hours", world.secretary_a, [row(name="林一", staff_number="B001")])
    assert job.state == DataImport.State.INVALID
    assert "管理范围内没有" in job.errors[0]["message"]
    assert not StudyRecord.objects.exists()


def test_already_recorded_is_refused(world, people, run_import):
    assert run_import("study-hours", world.secretary_a, [row()]).state == DataImport.State.DONE
    again = run_import("study-hours", world.secretary_a, [row()])
    assert again.state == DataImport.State.INVALID and "已登记过" in again.errors[0]["message"]
    assert StudyRecord.objects.count() == 1
