"""The plumbing every import shares (core.imports): the upload policy, the template, the job
(progress, validation, confirmation), limits, rights, the pages and the API."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from dangjian.core import imports
from dangjian.core.models import DataImport
from dangjian.orglife.models import StudyRecord
from tests.harness import assert_max_queries, assert_role_matrix
from tests.imports.conftest import workbook

from .conftest import *  # noqa: F403 (fixtures)

ROW = {
    "name": "陈一",
    "staff_number": "A001",
    "title": "网络课程",
    "hours": 2,
    "studied_on": "2025-05-01",
}


def hours_file(rows=(ROW,), **kwargs):
    return workbook(imports.spec_for("study-hours"), list(rows), **kwargs)


def test_every_kind_is_registered():
    assert {s.kind for s in imports.specs()} >= {"meetings", "study-hours", "positions", "dossiers"}


def test_template_has_headers_example_and_scoped_org_codes(world, as_role):
    response = as_role("officer").get(reverse("import_template", args=["positions"]))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    data = wb[imports.DATA_SHEET]
    headers = [c.value for c in data[1]]
    assert headers[:4] == ["姓名*", "工号/学号", "身份证号", "组织编码*"]
    assert str(data["A2"].value).startswith(imports.EXAMPLE_PREFIX)
    codes = [r[0].value for r in wb["组织编码"].iter_rows(min_row=2)]
    assert "BA" in codes and "BB" not in codes
    assert "填写说明" in wb.sheetnames


def test_the_example_row_is_skipped(world, people):
    spec = imports.spec_for("study-hours")
    upload = hours_file([ROW | {"name": imports.EXAMPLE_PREFIX + "张三"}, ROW])
    assert [r[0] for r in imports.read_rows(spec, upload)] == [3]


def test_a_file_that_is_not_xlsx_is_refused_by_the_upload_policy(world, as_role):
    client = as_role("officer")
    url = reverse("import_upload", args=["study-hours"])
    for name, content in (("hours.csv", b"a,b\n1,2"), ("hours.xlsx", b"not a workbook")):
        response = client.post(url, {"file": SimpleUploadedFile(name, content)})
        assert response.status_code == 400
        assert response.context["form"].errors["file"]
    assert not DataImport.objects.exists()


def test_header_without_required_columns_is_refused(world, people):
    spec = imports.spec_for("study-hours")
    with pytest.raises(ValidationError, match="表头缺少以下列：学时、完成日期"):
        imports.read_rows(spec, hours_file(headers=["姓名", "工号/学号", "课程", "学时x"]))


def test_max_rows_is_a_setting(world, people, settings):
    settings.IMPORT_MAX_ROWS = 2
    spec = imports.spec_for("study-hours")
    with pytest.raises(ValidationError, match="单次最多导入2行"):
        imports.read_rows(spec, hours_file([ROW] * 3))
    assert len(imports.read_rows(spec, hours_file([ROW] * 2))) == 2


def test_job_path_on_the_pages(world, people, as_role, django_capture_on_commit_callbacks):
    client = as_role("officer")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("import_upload", args=["study-hours"]), {"file": hours_file()}
        )
    job = DataImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "import_job", args=[job.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert "校验通过" in page and "网络课程" in page and not StudyRecord.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("import_commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == DataImport.State.DONE and StudyRecord.objects.count() == 1
    assert "已导入1行" in client.get(reverse("import_job", args=[job.pk])).content.decode()
    # confirmed once only
    again = client.post(reverse("import_commit", args=[job.pk]), follow=True)
    assert "不能确认导入" in again.content.decode()
    assert StudyRecord.objects.count() == 1


def test_progress_polls_while_the_job_runs(world, people, as_role):
    job = DataImport.objects.create(
        kind="study-hours",
        created_by=world.secretary_a,
        total_rows=1,
        rows=[[2, "陈一"] + [None] * 7],
    )
    fragment = as_role("officer").get(reverse("import_progress", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and "排队校验" in fragment
    imports.run(job.pk)
    job.refresh_from_db()
    assert job.state == DataImport.State.INVALID  # the row lacks its required cells
    fragment = as_role("officer").get(reverse("import_progress", args=[job.pk])).content.decode()
    assert "hx-trigger" not in fragment and "未导入任何数据" in fragment


def test_an_internal_failure_imports_nothing(world, people, monkeypatch, run_import):
    spec = imports.spec_for("study-hours")
    calls = []

    def write_then_fail(actor, values, ctx):
        calls.append(values)
        if len(calls) == 2:
            raise RuntimeError("boom")
        return original(actor, values, ctx)

    original = spec.write_row
    monkeypatch.setitem(
        imports._SPECS,
        "study-hours",
        imports.Spec(**{**spec.__dict__, "write_row": write_then_fail}),
    )
    job = run_import("study-hours", world.secretary_a, [ROW, ROW | {"title": "另一门"}])
    assert job.state == DataImport.State.FAILED and "系统内部错误" in job.errors[0]["message"]
    assert not StudyRecord.objects.exists()


def test_pages_roles(world, people, django_capture_on_commit_callbacks, as_role):
    spec = imports.spec_for("study-hours")
    with django_capture_on_commit_callbacks(execute=True):
        job = imports.job_create(actor=world.secretary_a, spec=spec, uploaded_file=hours_file())
    matrix = {
        "officer": 200,
        "other_officer": 200,
        "org_officer": 200,
        "member": 403,
        "anonymous": 302,
    }
    for url in (
        reverse("import_index"),
        reverse("import_upload", args=["study-hours"]),
        reverse("import_template", args=["meetings"]),
    ):
        assert_role_matrix(as_role, url, matrix)
    # a job is its uploader's alone
    own = {"officer": 200, "other_officer": 404, "gb_officer": 404, "member": 403, "anonymous": 302}
    assert_role_matrix(as_role, reverse("import_job", args=[job.pk]), own)
    assert_role_matrix(
        as_role,
        reverse("import_commit", args=[job.pk]),
        {"other_officer": 404, "member": 403, "anonymous": 302},
        method="post",
    )
    assert as_role("officer").get(reverse("import_upload", args=["nothing"])).status_code == 404


def test_index_queries_do_not_grow_with_jobs(world, as_role):
    client = as_role("officer")
    DataImport.objects.create(kind="study-hours", created_by=world.secretary_a)
    with assert_max_queries(30) as baseline:
        client.get(reverse("import_index"))
    for _ in range(15):
        DataImport.objects.create(kind="meetings", created_by=world.secretary_a)
    with assert_max_queries(baseline):
        client.get(reverse("import_index"))


def test_api_upload_result_and_commit(
    world, people, api_as_role, django_capture_on_commit_callbacks
):
    officer = api_as_role("officer")
    with django_capture_on_commit_callbacks(execute=True):
        created = officer.post(
            "/api/v1/imports/", {"kind": "study-hours", "file": hours_file()}, format="multipart"
        )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    detail = officer.get(f"/api/v1/imports/{pk}/").json()
    assert detail["state"] == "valid" and detail["total_rows"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        committed = officer.post(f"/api/v1/imports/{pk}/commit/")
    assert committed.status_code == 200
    assert officer.get(f"/api/v1/imports/{pk}/").json()["state"] == "done"
    assert StudyRecord.objects.count() == 1
    assert api_as_role("other_officer").get(f"/api/v1/imports/{pk}/").status_code == 404
    assert api_as_role("member").get("/api/v1/imports/").status_code == 403
    assert api_as_role("anonymous").get("/api/v1/imports/").status_code in (401, 403)
    listed = officer.get("/api/v1/imports/").json()
    assert [j["id"] for j in listed["results"]] == [pk]


def test_api_bad_input_is_400_and_bad_rows_are_listed(
    world, people, api_as_role, django_capture_on_commit_callbacks
):
    officer = api_as_role("officer")
    bad = officer.post(
        "/api/v1/imports/",
        {"kind": "study-hours", "file": SimpleUploadedFile("a.csv", b"a,b")},
        format="multipart",
    )
    assert bad.status_code == 400 and "file" in bad.json()
    unknown = officer.post(
        "/api/v1/imports/", {"kind": "nothing", "file": hours_file()}, format="multipart"
    )
    assert unknown.status_code == 400 and "kind" in unknown.json()
    with django_capture_on_commit_callbacks(execute=True):
        created = officer.post(
            "/api/v1/imports/",
            {"kind": "study-hours", "file": hours_file([ROW | {"hours": "x"}])},
            format="multipart",
        )
    job = officer.get(f"/api/v1/imports/{created.json()['id']}/").json()
    assert job["state"] == "invalid"
    assert job["errors"] == [{"row": 2, "column": "学时", "message": "“x”不是数字"}]
    refused = officer.post(f"/api/v1/imports/{job['id']}/commit/")
    assert refused.status_code == 400


def test_sweep_fails_a_job_whose_worker_is_gone(world, settings):
    from datetime import timedelta

    from django.utils import timezone

    from dangjian.core import jobs

    job = DataImport.objects.create(
        kind="study-hours",
        created_by=world.secretary_a,
        state=DataImport.State.VALIDATING,
        rows=[[2, "陈一"] + [None] * 7],
    )
    fresh = DataImport.objects.create(kind="study-hours", created_by=world.secretary_a)
    later = timezone.now() + timedelta(hours=settings.JOB_STALE_HOURS, minutes=1)
    DataImport.objects.filter(pk=fresh.pk).update(created_at=later)
    assert jobs.sweep(now=later).stale >= 1
    job.refresh_from_db()
    fresh.refresh_from_db()
    assert (
        job.state == DataImport.State.FAILED
        and job.rows == []
        and "重新上传" in job.errors[0]["message"]
    )
    assert fresh.state == DataImport.State.QUEUED


def _padded_file(spec, rows: int) -> SimpleUploadedFile:
    """A hostile workbook: the template's header, then `rows` rows holding one cell in a column
    no import reads, and a dimension claiming 16384 columns (openpyxl pads every row to it).
    It compresses to ~5 KB per thousand rows, so a few MB take minutes to read."""
    import re
    import zipfile

    wb = Workbook()
    wb.active.append([c.header for c in spec.columns])
    plain = io.BytesIO()
    wb.save(plain)
    source = zipfile.ZipFile(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = re.sub(
                    r'<dimension ref="[^"]*"/>',
                    f'<dimension ref="A1:XFD{rows + 1}"/>',
                    data.decode(),
                )
                body = "".join(
                    f'<row r="{i}"><c r="ZZ{i}" t="n"><v>1</v></c></row>'
                    for i in range(2, rows + 2)
                )
                data = text.replace("</sheetData>", body + "</sheetData>").encode()
            archive.writestr(info.filename, data)
    return SimpleUploadedFile("hostile.xlsx", out.getvalue())


def test_blank_rows_cannot_make_the_reader_run_on(world, people, settings):
    """Rows the import does not read count towards a bound too (twice IMPORT_MAX_ROWS), so a
    small file of near-empty rows cannot keep a web worker busy for minutes."""
    settings.IMPORT_MAX_ROWS = 20
    spec = imports.spec_for("study-hours")
    with pytest.raises(ValidationError, match="超过40行"):
        imports.read_rows(spec, _padded_file(spec, 41))
    assert imports.read_rows(spec, _padded_file(spec, 39)) == []


def test_a_workbook_that_unpacks_too_large_is_refused(world, people, settings):
    """The upload limit counts compressed bytes; the sheet's XML is bounded before parsing."""
    settings.IMPORT_MAX_UNPACKED_MB = 1
    spec = imports.spec_for("study-hours")
    with pytest.raises(ValidationError, match="解压后超过1MB"):
        imports.read_rows(spec, _padded_file(spec, 30_000))
    assert len(imports.read_rows(spec, hours_file([ROW] * 3))) == 3
