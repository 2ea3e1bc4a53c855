"""Builders for the import tests: a workbook from rows, a run of the whole job."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from dangjian.core import imports
from dangjian.core.models import DataImport
from tests.factories import make_id_number, make_person


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def workbook(spec: imports.Spec, rows: list[dict], *, headers=None, name="导入.xlsx"):
    """An upload of `spec`'s columns (or `headers`) with one row per dict (by field)."""
    wb = Workbook()
    ws = wb.active
    columns = spec.columns
    ws.append(headers or [c.header for c in columns])
    for values in rows:
        ws.append([values.get(c.field) for c in columns])
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


@pytest.fixture
def run_import(django_capture_on_commit_callbacks):
    """Upload rows as `user`, let the validation job run, and confirm when it passed
    (`commit`). Returns the job as it ended."""

    def run(kind: str, user, rows: list[dict], *, commit: bool = True) -> DataImport:
        spec = imports.spec_for(kind)
        with django_capture_on_commit_callbacks(execute=True):
            job = imports.job_create(actor=user, spec=spec, uploaded_file=workbook(spec, rows))
        job.refresh_from_db()
        if commit and job.state == DataImport.State.VALID:
            with django_capture_on_commit_callbacks(execute=True):
                imports.job_commit(actor=user, job=job)
            job.refresh_from_db()
        return job

    return run


@pytest.fixture
def people(world):
    """Members of branch_a and branch_b with a 工号/学号 and an ID number."""
    a1 = make_person(
        world.branch_a,
        name="陈一",
        staff_number="A001",
        id_number=make_id_number(date(1990, 5, 1), 1),
    )
    a2 = make_person(world.branch_a, name="陈二", staff_number="A002")
    b1 = make_person(world.branch_b, name="林一", staff_number="B001")
    return {"a1": a1, "a2": a2, "b1": b1}


def errors_of(job: DataImport) -> list[tuple]:
    return [(e["row"], e["column"]) for e in job.errors]
