"""Dates as office files hold them (issue: dates of the people import): real date cells, Excel
serial numbers, 1990-01-31 / 1990/1/31 / 1990.1.31 / 1990年1月31日, impossible dates refused
naming row and column."""

from datetime import date, datetime

import pytest

from dangjian.core import rules as core_rules
from dangjian.org import excel
from dangjian.org.models import ImportJob, Person
from tests.org.test_excel import media, row, run  # noqa: F401  (media: autouse fixture)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(1990, 1, 31), date(1990, 1, 31)),
        (datetime(1990, 1, 31, 0, 0), date(1990, 1, 31)),
        ("1990-01-31", date(1990, 1, 31)),
        ("1990-1-31", date(1990, 1, 31)),
        ("1990/01/31", date(1990, 1, 31)),
        ("1990/1/3", date(1990, 1, 3)),
        ("1990.1.31", date(1990, 1, 31)),
        ("1990年1月31日", date(1990, 1, 31)),
        ("1990年01月31日", date(1990, 1, 31)),
        ("1990 年 1 月 31 日", date(1990, 1, 31)),
        ("1990年1月31", date(1990, 1, 31)),
        # Excel serial numbers (1900 date system): 32904 is 1990-01-31, 61 is 1900-03-01
        (32904, date(1990, 1, 31)),
        (32904.0, date(1990, 1, 31)),
        (32904.75, date(1990, 1, 31)),  # a date and time cell saved as a number
        (61, date(1900, 3, 1)),
        (2958465, date(9999, 12, 31)),
        ("2000-02-29", date(2000, 2, 29)),
    ],
)
def test_office_date_reads_the_formats_people_use(value, expected):
    assert core_rules.office_date(value) == (expected, None)


@pytest.mark.parametrize(
    "value",
    ["1990-13-01", "1990-02-30", "1900-02-29", "2001年2月29日", "1990/4/31"],
)
def test_office_date_refuses_days_that_do_not_exist(value):
    parsed, message = core_rules.office_date(value)
    assert parsed is None and message == f"“{value}”不是有效的日期（没有这一天）"


@pytest.mark.parametrize(
    "value",
    ["31.01.1990", "1990", "32904", "90-1-31", "一九九〇年一月", "1990-01-31x", 60, 0, -5, 2958466],
)
def test_office_date_refuses_other_text_and_names_the_formats(value):
    parsed, message = core_rules.office_date(value)
    assert parsed is None
    assert core_rules.DATE_FORMATS_TEXT in message


def test_a_year_typed_alone_is_not_read_as_a_serial_number():
    assert core_rules.office_date(1990) == (
        None,
        f"“1990”只有年份，应填写{core_rules.DATE_FORMATS_TEXT}",
    )


def test_the_template_instructions_list_the_accepted_formats():
    assert core_rules.DATE_FORMATS_TEXT in excel.COLUMN_BY_FIELD["birth_date"].rule


def test_import_accepts_serial_numbers_and_chinese_dates(world):
    rows = [
        row(name="序号日期", birth_date=32904),  # a date cell saved as a plain number
        row(name="中文日期", birth_date="1991年2月3日"),
        row(name="点号日期", birth_date="1992.3.4"),
        row(name="真日期", birth_date=datetime(1993, 4, 5)),
        row(
            name="入党日期",
            birth_date="1994/5/6",
            party_status="正式党员",
            joined_on="2020年7月1日",
        ),
    ]
    job = run(world.secretary_a, rows)
    assert job.state == ImportJob.State.DONE, job.errors
    births = dict(
        Person.objects.filter(name__in=[r[0] for r in rows]).values_list("name", "birth_date")
    )
    assert births == {
        "序号日期": date(1990, 1, 31),
        "中文日期": date(1991, 2, 3),
        "点号日期": date(1992, 3, 4),
        "真日期": date(1993, 4, 5),
        "入党日期": date(1994, 5, 6),
    }
    assert Person.objects.get(name="入党日期").joined_on == date(2020, 7, 1)


def test_impossible_dates_are_refused_naming_row_and_column(world):
    before = Person.objects.count()
    rows = [
        row(name="好", birth_date="1990年1月31日"),  # row 2
        row(name="坏一", birth_date="1990年2月30日"),  # 3
        row(name="坏二", birth_date=60),  # 4: Excel's non-existent 1900-02-29
        row(name="坏三", birth_date="1990/1/31", party_status="正式党员", joined_on="2019.13.1"),
    ]
    job = run(world.secretary_a, rows)
    assert job.state == ImportJob.State.INVALID and Person.objects.count() == before
    found = {(e["row"], e["column"], e["message"]) for e in job.errors}
    assert (3, "出生日期", "“1990年2月30日”不是有效的日期（没有这一天）") in found
    assert (4, "出生日期", f"“60”不是有效的日期，应填写{core_rules.DATE_FORMATS_TEXT}") in found
    assert (5, "入党日期", "“2019.13.1”不是有效的日期（没有这一天）") in found
    assert 2 not in {r for r, _c, _m in found}
