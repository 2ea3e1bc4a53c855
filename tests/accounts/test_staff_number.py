"""Person.staff_number (工号/学号): unique when given, in the person form, API and Excel."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from dangjian.org import excel, exports
from dangjian.org import services as org_services
from dangjian.org.models import Person
from tests.factories import make_person


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_blank_numbers_may_repeat_but_given_ones_may_not(world):
    make_person(world.branch_a, staff_number="")
    make_person(world.branch_a, staff_number="")
    org_services.person_update(actor=world.org_officer, person=world.member_a, staff_number="T1")
    with pytest.raises(ValidationError) as exc:
        org_services.person_update(
            actor=world.org_officer, person=world.member_b, staff_number=" T1 "
        )
    assert "工号/学号" in str(exc.value)


def test_api_reads_and_writes_staff_number(world, as_user):
    client = as_user(world.secretary_a)
    url = f"/api/v1/people/{world.member_a.pk}/"
    response = client.patch(url, {"staff_number": "T9"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert client.get(url).json()["staff_number"] == "T9"
    make_person(world.branch_a, staff_number="T8")
    clash = client.patch(url, {"staff_number": "T8"}, content_type="application/json")
    assert clash.status_code == 400


def test_person_form_has_the_field(world, as_user):
    page = as_user(world.secretary_a).get(reverse("org:person_edit", args=[world.member_a.pk]))
    assert 'name="staff_number"' in page.content.decode()


def _upload(rows, header):
    wb = Workbook()
    ws = wb.active
    ws.title = excel.DATA_SHEET
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("people.xlsx", buffer.getvalue())


def _row(name, staff_number, header_fields):
    data = {
        "name": name,
        "gender": "男",
        "birth_date": "1990-01-01",
        "category": "教职工",
        "party_status": "群众",
        "primary_org": "BA",
        "staff_number": staff_number,
    }
    return [data.get(f, "") for f in header_fields]


def _import(world, rows, fields=None):
    fields = fields or excel.FIELDS
    header = [excel.COLUMN_BY_FIELD[f].header for f in fields]
    job = excel.import_job_create(
        user=world.org_officer, uploaded_file=_upload([_row(*r, fields) for r in rows], header)
    )
    return excel.import_job_run(job=job)


def test_import_reads_staff_number_and_refuses_clashes(world):
    job = _import(world, [("新甲", "T100"), ("新乙", "")])
    assert job.state == "done", job.errors
    assert Person.objects.get(name="新甲").staff_number == "T100"
    job = _import(world, [("新丙", "T100"), ("新丁", "T200"), ("新戊", "T200")])
    assert job.state == "invalid"
    messages = {(e["row"], e["message"]) for e in job.errors}
    assert (2, "该工号/学号已登记在系统中") in messages
    assert (3, "与第4行的工号/学号重复") in messages


def test_import_of_an_older_template_without_the_column_still_works(world):
    fields = [f for f in excel.FIELDS if f != "staff_number"]
    job = _import(world, [("老模板", "")], fields)
    assert job.state == "done", job.errors


def test_template_and_export_have_the_column(world, as_user):
    template = load_workbook(BytesIO(excel.build_template(world.org_officer)))
    assert "工号/学号" in [c.value for c in template[excel.DATA_SHEET][1]]
    world.member_a.staff_number = "T77"
    world.member_a.save()
    data = b"".join(exports.export_people(Person.objects.filter(pk=world.member_a.pk), False))
    rows = list(load_workbook(BytesIO(data)).active.values)
    assert rows[1][rows[0].index("工号/学号")] == "T77"
