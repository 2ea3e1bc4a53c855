# Being written: XLSX import and export of people (see org/excel.py).
from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("开发中", status=501)


person_export = person_import = import_template = import_job = import_step = _todo
