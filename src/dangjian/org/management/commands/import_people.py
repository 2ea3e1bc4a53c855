"""Import people from an XLSX file made from the import template, as the given user.

    dangjian import_people 人员.xlsx --user zhangsan

The same job as the web page: every row is validated first; any error means nothing is
imported and the errors are listed by row and column.
"""

import os
import time

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from dangjian.core.models import User
from dangjian.org import excel
from dangjian.org.models import ImportJob


class Command(BaseCommand):
    help = "从Excel（导入模板）批量导入人员：逐行校验，有任何错误则不导入。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="填好的导入模板（.xlsx）")
        parser.add_argument("--user", required=True, help="以该用户的身份和管理范围导入")
        parser.add_argument("--chunk", type=int, default=5000, help="每步校验的行数")

    def handle(self, *args, file, user, chunk, **options):
        try:
            importer = User.objects.get(username=user, is_active=True)
        except User.DoesNotExist as exc:
            raise CommandError(f"用户“{user}”不存在或已停用。") from exc
        if not os.path.isfile(file):
            raise CommandError(f"找不到文件：{file}")

        started = time.perf_counter()
        with open(file, "rb") as f:
            try:
                job = excel.import_job_create(
                    user=importer, uploaded_file=File(f, name=os.path.basename(file))
                )
            except ValidationError as exc:
                raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(
            f"已读取{job.total_rows}行（{time.perf_counter() - started:.1f}秒），开始校验……"
        )

        def progress(job):
            if job.state == ImportJob.State.IMPORTING:
                self.stdout.write("校验通过，正在写入……")
            elif job.state == ImportJob.State.VALIDATING:
                self.stdout.write(f"已校验 {job.validated_rows}/{job.total_rows} 行")

        job = excel.import_job_run(job=job, chunk=chunk, progress=progress)
        elapsed = time.perf_counter() - started
        if job.state == ImportJob.State.DONE:
            self.stdout.write(
                self.style.SUCCESS(f"已导入{job.imported_rows}人（用时{elapsed:.1f}秒）。")
            )
            return
        for error in job.errors:
            where = f"第{error['row']}行" if error["row"] else ""
            column = f"【{error['column']}】" if error["column"] else ""
            self.stderr.write(f"{where}{column}{error['message']}")
        raise CommandError(
            f"发现{excel.error_count(job.errors)}处错误，本次未导入任何数据。请修改后重新上传。"
        )
