"""Positions (任职) from Excel: person, organisation, title, term."""

from datetime import date

from dangjian.core.models import DataImport
from dangjian.org.models import Position
from tests.imports.conftest import errors_of

from .conftest import *  # noqa: F403 (fixtures)


def row(**values):
    base = {
        "name": "陈一",
        "staff_number": "A001",
        "organisation": "BA",
        "title": "组织委员",
        "starts_on": "2023-01-10",
    }
    return base | values


def test_happy_path_current_and_past_terms(world, people, run_import):
    job = run_import(
        "positions",
        world.gb_secretary_a,
        [
            row(),
            row(
                name="陈二",
                staff_number="A002",
                title="宣传委员",
                ends_on="2024-12-31",
                note="上届",
            ),
            row(organisation="GRA", title="党小组长"),
        ],
    )
    assert job.state == DataImport.State.DONE and job.imported_rows == 3
    mine = Position.objects.filter(person__in=[people["a1"], people["a2"]]).order_by("id")
    assert [(p.organisation.code, p.title, p.ends_on) for p in mine] == [
        ("BA", "organisation", None),
        ("BA", "propaganda", date(2024, 12, 31)),
        ("GRA", "group_leader", None),
    ]


def test_bad_rows_listed_nothing_imported(world, people, run_import):
    job = run_import(
        "positions",
        world.secretary_a,
        [
            row(),
            row(organisation="BB"),  # 3: another branch's organisation
            row(title="队长"),  # 4: not a title
            row(ends_on="2022-01-01"),  # 5: ends before it starts (the service's rule)
            row(title="书记"),  # 6: BA already has a secretary (the service's rule)
            row(starts_on="明天"),  # 7: not a date
        ],
    )
    assert job.state == DataImport.State.INVALID
    assert errors_of(job) == [
        (3, "组织编码"),
        (4, "职务"),
        (5, "离任日期"),
        (6, "职务"),
        (7, "任职日期"),
    ]
    assert "不在您的管理范围内" in job.errors[0]["message"]
    assert "已有在任书记" in job.errors[3]["message"]
    assert not Position.objects.filter(person=people["a1"]).exists()


def test_two_current_secretaries_in_one_file(world, people, run_import):
    world_branch = world.branch_b
    assert world_branch.code == "BB"
    job = run_import(
        "positions",
        world.org_officer,
        [
            row(name="林一", staff_number="B001", organisation="GRA", title="书记"),
            row(organisation="GRA", title="书记"),
        ],
    )
    assert job.state == DataImport.State.INVALID
    assert job.errors[0]["row"] == 3 and "与第2行重复" in job.errors[0]["message"]
