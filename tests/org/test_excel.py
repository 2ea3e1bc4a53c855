"""People import and export (XLSX): template, row validation, all-or-nothing, progress, scope."""

import io
from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from dangjian.core import rules as core_rules
from dangjian.core.imports import HELP_SHEET
from dangjian.core.models import AuditEvent
from dangjian.org import excel, exports
from dangjian.org.models import ImportJob, Person
from tests.factories import make_id_number, make_person
from tests.harness import assert_num_queries


def _person_imports():
    """The import events of people (not those of other imports a demo may have left: audit
    rows are append-only and outlive a module's demo)."""
    return AuditEvent.objects.filter(
        action="import", content_type=ContentType.objects.get_for_model(Person)
    )


HEADERS = [c.header for c in excel.COLUMNS]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def row(**values) -> list:
    """One data row in template order; keyword arguments override the defaults by field."""
    data = {
        "name": "新同志",
        "gender": "男",
        "ethnicity": "",
        "birth_date": "",
        "id_number": "",
        "phone": "",
        "category": "教职工",
        "unit": "",
        "class_unit": "",
        "party_status": "群众",
        "joined_on": "",
        "primary_org": "BA",
        "group": "",
        "note": "",
    }
    data.update(values)
    return [data.get(f, "") for f in excel.FIELDS]


def xlsx(rows, header=HEADERS, name="people.xlsx") -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


def id_no(seq: int, birth: date = date(1995, 5, 5)) -> str:
    return make_id_number(birth, seq)


def run(user, rows, chunk=1000) -> ImportJob:
    job = excel.import_job_create(user=user, uploaded_file=xlsx(rows))
    return excel.import_job_run(job=job, chunk=chunk)


def sheet_rows(content: bytes) -> list[tuple]:
    ws = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return list(ws.iter_rows(values_only=True))


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


# --- Template -------------------------------------------------------------------------------


def test_template_has_headers_rules_scoped_codes_and_dropdowns(world, as_user):
    response = as_user(world.secretary_a).get(reverse("org:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == excel.XLSX_CONTENT_TYPE
    assert "filename*=utf-8''" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == [excel.DATA_SHEET, HELP_SHEET, excel.ORG_SHEET]
    data = wb[excel.DATA_SHEET]
    assert [c.value for c in data[1]] == HEADERS
    assert HEADERS[:2] == ["姓名*", "性别*"]
    assert data["A2"].value.startswith(excel.EXAMPLE_PREFIX)
    dropdowns = {dv.formula1 for dv in data.data_validations.dataValidation}
    statuses = "群众,入党申请人,入党积极分子,培养考察对象,发展对象,预备党员,正式党员"
    assert dropdowns == {
        '"男,女"',
        '"教职工,学生,离退休"',
        f'"{statuses}"',
        '"研究生,大学本科,大学专科,中专,高中,初中及以下"',
        '"博士,硕士,学士,无"',
        '"正高级,副高级,中级,初级,无"',
        '"本单位,外单位"',
    }
    rules = {r[0].value: r[2].value for r in wb[HELP_SHEET].iter_rows(min_row=2, max_row=15)}
    assert "校验位" in rules["身份证号"]
    codes = {r[0] for r in wb[excel.ORG_SHEET].iter_rows(min_row=2, values_only=True)}
    assert codes == {"BA", "GRA"}  # only what secretary_a may import into


def test_downloaded_template_with_a_row_added_imports_and_skips_the_example(world, as_user):
    content = as_user(world.secretary_a).get(reverse("org:import_template")).content
    wb = load_workbook(io.BytesIO(content))
    wb[excel.DATA_SHEET].append(row(name="王五", id_number=id_no(1)))
    buf = io.BytesIO()
    wb.save(buf)
    job = excel.import_job_create(
        user=world.secretary_a, uploaded_file=SimpleUploadedFile("t.xlsx", buf.getvalue())
    )
    assert job.total_rows == 1
    job = excel.import_job_run(job=job)
    assert job.state == ImportJob.State.DONE
    assert Person.objects.filter(name="王五").exists()
    assert not Person.objects.filter(name__startswith=excel.EXAMPLE_PREFIX).exists()


# --- Import ---------------------------------------------------------------------------------


def test_valid_file_imports_every_row_with_an_audit_event_each(world):
    before = Person.objects.count()
    x_id = next(i for i in map(id_no, range(100)) if i.endswith("X"))
    rows = [
        row(name="甲", id_number=id_no(1), party_status="正式党员", joined_on="2015-07-01"),
        row(name="乙", gender="女", birth_date=date(1999, 9, 9), category="学生", group="GRA"),
        row(
            name="丙",
            id_number=x_id.lower(),  # a lower-case check letter is accepted
            phone="13800138000",
            party_status="预备党员",
            joined_on="2026/03/01",
        ),
    ]
    job = run(world.secretary_a, rows)
    assert job.state == ImportJob.State.DONE
    assert job.imported_rows == 3 and job.errors == []
    assert Person.objects.count() == before + 3
    jia = Person.objects.get(name="甲")
    assert jia.birth_date == date(1995, 5, 5)  # from the ID number
    assert jia.primary_org == world.branch_a and jia.ethnicity == "汉族"
    yi = Person.objects.get(name="乙")
    assert yi.birth_date == date(1999, 9, 9) and yi.group == world.group_a
    bing = Person.objects.get(name="丙")
    assert bing.id_number == x_id
    assert bing.probation_ends_on == date(2027, 3, 1)
    events = _person_imports()
    assert sorted(events.values_list("object_id", flat=True)) == sorted(
        Person.objects.filter(name__in="甲乙丙").values_list("pk", flat=True)
    )
    event = events.get(object_id=jia.pk)
    assert event.actor == world.secretary_a
    assert event.changes["姓名"] == [None, "甲"]
    assert event.changes["所在党支部"] == [None, "机关一支部"]
    assert event.changes["身份证号"][1].count("*") == 10  # masked in the audit trail
    assert not job.file.storage.exists(job.file.name)  # the rows file is not kept


def test_one_bad_row_means_nothing_is_imported_and_every_problem_is_listed(world):
    existing = make_person(world.branch_a, name="老同志", id_number=id_no(9))
    before = Person.objects.count()
    bad_checksum = id_no(3)[:-1] + ("0" if id_no(3)[-1] != "0" else "1")
    rows = [
        row(name="好人一", id_number=id_no(1)),  # row 2
        row(name=""),  # 3
        row(id_number=bad_checksum),  # 4
        row(id_number=id_no(4)),  # 5  duplicates row 6
        row(id_number=id_no(4)),  # 6
        row(id_number=existing.id_number),  # 7  already in the database
        row(primary_org="NOPE"),  # 8
        row(birth_date="1990-13-01"),  # 9
        row(birth_date="31.01.1990"),  # 10
        row(gender="M"),  # 11
        row(phone="12345", party_status="党员"),  # 12
        row(id_number=id_no(5), birth_date="1980-01-01"),  # 13
        row(),  # 14: no ID number and no birth date
        row(name="好人二", id_number=id_no(6)),  # 15
    ]
    job = run(world.secretary_a, rows)
    assert job.state == ImportJob.State.INVALID
    assert job.imported_rows == 0
    assert Person.objects.count() == before
    assert not _person_imports().exists()
    found = {(e["row"], e["column"], e["message"]) for e in job.errors}
    expected = {
        (3, "姓名", "必填项，不能为空"),
        (4, "身份证号", "身份证号校验位不正确"),
        (5, "身份证号", "与第6行的身份证号重复"),
        (6, "身份证号", "与第5行的身份证号重复"),
        (7, "身份证号", "该身份证号已登记在系统中"),
        (8, "所在党支部编码", excel.ORG_UNKNOWN),
        (9, "出生日期", "“1990-13-01”不是有效的日期（没有这一天）"),
        (10, "出生日期", f"日期格式不正确，应填写{core_rules.DATE_FORMATS_TEXT}"),
        (11, "性别", "应为以下之一：男、女"),
        (12, "手机号", "手机号应为11位数字，以1开头"),
        (13, "出生日期", "与身份证号中的出生日期（1995-05-05）不一致"),
        (14, "出生日期", "未填写身份证号时，出生日期为必填项"),
    }
    assert expected <= found
    assert (12, "政治面貌") in {(r, c) for r, c, _m in found}
    assert not {r for r, _c, _m in found} & {2, 15}  # good rows are not blamed
    assert excel.error_count(job.errors) == len(job.errors)
    assert [e["row"] for e in job.errors] == sorted(e["row"] for e in job.errors)


def test_an_organisation_outside_the_importers_scope_counts_as_unknown(world):
    job = run(world.secretary_b, [row(id_number=id_no(1))])  # BA belongs to branch_a
    assert job.state == ImportJob.State.INVALID
    assert job.errors == [{"row": 2, "column": "所在党支部编码", "message": excel.ORG_UNKNOWN}]
    assert not Person.objects.filter(id_number=id_no(1)).exists()


def test_group_must_belong_to_the_branch(world):
    job = run(world.org_officer, [row(primary_org="BB", group="GRA", birth_date="1990-01-01")])
    assert job.errors == [
        {"row": 2, "column": "所在党小组编码", "message": "第一党小组不属于信息工程学院学生支部"}
    ]
    job = run(world.org_officer, [row(primary_org="GRA", birth_date="1990-01-01")])
    assert job.errors[0]["column"] == "所在党支部编码"


def test_a_student_is_placed_in_a_class_of_the_named_college(world):
    from dangjian.org.models import Unit

    college = Unit.objects.create(name="信息工程学院", kind="college")
    klass = Unit.objects.create(name="软件技术2401班", kind="class", parent=college)
    Unit.objects.create(
        name="软件技术2401班",
        kind="class",
        parent=Unit.objects.create(name="财经学院", kind="college"),
    )
    student = {"category": "学生", "birth_date": "2005-01-01", "primary_org": "BB"}
    job = run(
        world.org_officer,
        [
            row(name="甲", unit="信息工程学院", class_unit="软件技术2401班", **student),
            row(name="乙", class_unit="软件技术2401班", **student),
            row(name="丙", unit="信息工程学院", class_unit="网络2401班", **student),
        ],
    )
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "班级"), (4, "班级")]
    assert "须同时填写所在单位" in job.errors[0]["message"]
    assert "“信息工程学院”下没有名为“网络2401班”的班级" in job.errors[1]["message"]
    job = run(
        world.org_officer,
        [row(name="甲", unit="信息工程学院", class_unit="软件技术2401班", **student)],
    )
    assert job.state == ImportJob.State.DONE
    assert Person.objects.get(name="甲").unit == klass
    # The export shows the class under its college, in the template's two columns.
    content = b"".join(exports.export_people(Person.objects.filter(name="甲"), full_identity=True))
    header, first = sheet_rows(content)[:2]
    assert first[header.index("所在单位")] == "信息工程学院"
    assert first[header.index("班级")] == "软件技术2401班"


def test_numeric_id_cell_asks_for_text(world):
    job = run(world.secretary_a, [row(id_number=5.00000199505051e17)])
    assert job.errors[0]["message"].startswith("请以文本格式填写身份证号")


def test_header_missing_columns_is_one_clear_error(world):
    header = [h for h in HEADERS if h not in ("政治面貌*", "备注")]
    with pytest.raises(ValidationError) as exc:
        excel.import_job_create(user=world.secretary_a, uploaded_file=xlsx([], header=header))
    assert exc.value.messages == [
        "表头缺少以下列：政治面貌、备注。请下载最新的导入模板，不要修改第1行表头。"
    ]
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("people.xlsx", b"this is not a workbook", excel.NOT_XLSX),
        ("people.csv", b"a,b", "请上传.xlsx格式的Excel文件（可先下载导入模板填写）。"),
    ],
)
def test_not_an_xlsx_file_is_rejected_clearly(world, name, content, message):
    with pytest.raises(ValidationError) as exc:
        excel.import_job_create(
            user=world.secretary_a, uploaded_file=SimpleUploadedFile(name, content)
        )
    assert exc.value.messages == [message]


def test_empty_sheet_is_rejected(world):
    with pytest.raises(ValidationError, match="没有人员数据"):
        excel.import_job_create(user=world.secretary_a, uploaded_file=xlsx([]))


def test_progress_is_chunked_and_import_happens_only_at_the_end(world):
    job = excel.import_job_create(
        user=world.secretary_a,
        uploaded_file=xlsx([row(name=f"分块{i}", id_number=id_no(i)) for i in range(5)]),
    )
    assert (job.total_rows, job.validated_rows, job.state) == (5, 0, "validating")
    seen = []
    while job.state in ("validating", "importing"):
        job = excel.import_job_step(job=job, chunk=2)
        seen.append(
            (job.validated_rows, job.state, Person.objects.filter(name__startswith="分块").count())
        )
    assert seen == [
        (2, "validating", 0),
        (4, "validating", 0),
        (5, "importing", 0),
        (5, "done", 5),
    ]
    assert excel.import_job_step(job=job, chunk=2).imported_rows == 5  # a late step: no-op


def test_duplicates_are_found_across_chunks(world):
    rows = [row(id_number=id_no(1)), row(id_number=id_no(2)), row(id_number=id_no(1))]
    job = run(world.secretary_a, rows, chunk=1)
    assert {(e["row"], e["message"]) for e in job.errors} == {
        (2, "与第4行的身份证号重复"),
        (4, "与第2行的身份证号重复"),
    }


def test_stored_errors_are_capped_but_counted(world, monkeypatch):
    monkeypatch.setattr(excel, "MAX_STORED_ERRORS", 3)
    job = run(world.secretary_a, [row(name="", birth_date="1990-01-01") for _ in range(5)], chunk=2)
    assert excel.error_count(job.errors) == 5
    assert len(job.errors) == 4 and job.errors[-1]["message"] == "另有2处错误未列出"


def test_management_command_imports_or_lists_errors(world, tmp_path, capsys):
    path = tmp_path / "people.xlsx"
    path.write_bytes(xlsx([row(name="命令行", id_number=id_no(7))]).read())
    call_command("import_people", str(path), user=world.secretary_a.username)
    assert "已导入1人" in capsys.readouterr().out
    assert Person.objects.filter(name="命令行").exists()

    path.write_bytes(xlsx([row(name="")]).read())
    with pytest.raises(CommandError, match="发现2处错误，本次未导入任何数据"):
        call_command("import_people", str(path), user=world.secretary_a.username)
    assert "第2行【姓名】必填项，不能为空" in capsys.readouterr().err


# --- Import pages ---------------------------------------------------------------------------


def test_upload_then_poll_until_done(world, as_user):
    client = as_user(world.secretary_a)
    page = client.get(reverse("org:person_import"))
    assert reverse("org:import_template") in page.content.decode()
    response = client.post(
        reverse("org:person_import"), {"file": xlsx([row(name="网页", id_number=id_no(1))])}
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("org:import_job", args=[job.pk])
    html = client.get(response.url).content.decode()
    # the page polls the background job (not run here: the test's transaction never commits)
    assert f'hx-get="{reverse("org:import_progress", args=[job.pk])}"' in html
    assert 'hx-trigger="every 1s"' in html
    for _ in range(3):
        fragment = client.post(reverse("org:import_step", args=[job.pk])).content.decode()
    assert "已导入1人" in fragment and "hx-get" not in fragment


def test_upload_runs_as_a_background_job(world, as_user, django_capture_on_commit_callbacks):
    client = as_user(world.secretary_a)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            reverse("org:person_import"), {"file": xlsx([row(name="后台", id_number=id_no(2))])}
        )
    assert callbacks  # the job was queued once the upload committed
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.DONE and Person.objects.filter(name="后台").exists()
    fragment = client.get(reverse("org:import_progress", args=[job.pk])).content.decode()
    assert "已导入1人" in fragment and "hx-get" not in fragment
    assert response.url == reverse("org:import_job", args=[job.pk])


def test_invalid_upload_shows_error_table(world, as_user):
    client = as_user(world.secretary_a)
    client.post(
        reverse("org:person_import"),
        {
            "file": xlsx(
                [row(name="", birth_date="1990-01-01"), row(gender="", birth_date="1990-01-01")]
            )
        },
    )
    job = ImportJob.objects.get()
    fragment = client.post(reverse("org:import_step", args=[job.pk])).content.decode()
    assert "发现2处错误，本次未导入任何数据。请修改后重新上传。" in fragment
    assert "第2行" in fragment and "必填项，不能为空" in fragment


def test_unreadable_upload_stays_on_the_form_with_the_message(world, as_user):
    response = as_user(world.secretary_a).post(
        reverse("org:person_import"), {"file": SimpleUploadedFile("a.xlsx", b"junk")}
    )
    assert response.status_code == 200
    # The upload policy reads the content: not a workbook, whatever its name says.
    assert "与扩展名“.xlsx”不符" in response.content.decode()
    assert not ImportJob.objects.exists()


def _job(user):
    return excel.import_job_create(user=user, uploaded_file=xlsx([row(birth_date="1990-01-01")]))


@pytest.mark.parametrize(
    ("who", "expected"),
    [("secretary_a", 200), ("secretary_b", 404), ("member_user", 403), (None, 302)],
)
@pytest.mark.parametrize("view", ["import_job", "import_step", "import_progress"])
def test_a_job_is_seen_only_by_its_uploader(world, as_user, who, expected, view):
    job = _job(world.secretary_a)
    client = as_user(getattr(world, who) if who else None)
    url = reverse(f"org:{view}", args=[job.pk])
    response = client.post(url) if view == "import_step" else client.get(url)
    assert response.status_code == expected
    if expected == 302:
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("who", "expected"),
    [("secretary_a", 200), ("secretary_b", 200), ("member_user", 403), (None, 302)],
)
@pytest.mark.parametrize("view", ["import_template", "person_import", "person_export"])
def test_officers_only(world, as_user, who, expected, view):
    response = as_user(getattr(world, who) if who else None).get(reverse(f"org:{view}"))
    assert response.status_code == expected
    if expected == 302:
        assert response.url.startswith(reverse("login"))


# --- Export ---------------------------------------------------------------------------------


def test_export_is_the_filtered_list_masked_for_a_branch_secretary(world, as_user):
    make_person(
        world.branch_a, name="甲正式", status="full", id_number=id_no(1), phone="13912345678"
    )
    make_person(world.branch_a, name="乙积极分子", status="activist", id_number=id_no(2))
    make_person(world.branch_b, name="丙外支部", status="full", id_number=id_no(3))
    url = reverse("org:person_export") + "?status=full"

    response = as_user(world.secretary_a).get(url)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == excel.XLSX_CONTENT_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%E4%BA%BA%E5%91%98%E5%90%8D%E5%86%8C-" in disposition  # 人员名册-
    rows = sheet_rows(streamed(response))
    assert rows[0] == tuple(exports.EXPORT_HEADERS)
    by_name = {r[0]: r for r in rows[1:]}
    assert set(by_name) == {"甲正式", "张书记", "赵党员"}  # full members of branch_a only
    jia = by_name["甲正式"]
    assert jia[4] == id_no(1)[:4] + "*" * 10 + id_no(1)[-4:]
    assert jia[5] == "139****5678"
    assert jia[9] == "正式党员" and jia[11:13] == ("BA", "机关一支部")

    rows = sheet_rows(streamed(as_user(world.org_officer).get(url)))
    by_name = {r[0]: r for r in rows[1:]}
    assert {"甲正式", "丙外支部"} <= set(by_name)
    assert by_name["甲正式"][4] == id_no(1) and by_name["甲正式"][5] == "13912345678"


def test_export_query_count_does_not_grow_with_rows(world, as_user):
    client = as_user(world.secretary_a)

    def queries(expected=None):
        with assert_num_queries(expected) as log:
            content = streamed(client.get(reverse("org:person_export")))
        return log, len(sheet_rows(content))

    for i in range(5):
        make_person(world.branch_a, group=world.group_a, name=f"少{i}")
    few, few_rows = queries()
    for i in range(25):
        make_person(world.branch_a, group=world.group_a, name=f"多{i}")
    _, many_rows = queries(few)
    assert many_rows == few_rows + 25
