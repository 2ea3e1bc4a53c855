"""The Excel imports and meeting photos of the demo institution, made the way a secretary would
make them: the branch secretary (login zhibu) has imported her members' hours from the online
learning platform, had a meeting import refused with its bad rows listed, and has a second one
validated and waiting for her confirmation; her branch's recent meetings carry photos and the
signed attendance sheet. Everything goes through core.imports and the services."""

import io
import struct
import zlib
from datetime import date, timedelta

from django.core.files.base import ContentFile
from openpyxl import Workbook

from dangjian.core import imports
from dangjian.core.models import DataImport, User
from dangjian.demo.institution import DEMO_LOGINS
from dangjian.org.models import Person
from dangjian.orglife import services as orglife
from dangjian.orglife.models import Meeting, MeetingState

COURSES = (
    ("学习贯彻党的二十届三中全会精神专题", 4),
    ("党章党规党纪专题学习", 2),
    ("新时代高校党建工作专题", 3),
)
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def png(width: int, height: int, colour: tuple[int, int, int], band: tuple[int, int, int]) -> bytes:
    """A plain picture (a red band over a light background), encoded without an image library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = []
    for y in range(height):
        pixel = bytes(band if height // 3 <= y < height // 3 + 24 else colour)
        rows.append(b"\x00" + pixel * width)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def _workbook(spec: imports.Spec, rows: list[dict], name: str) -> ContentFile:
    wb = Workbook()
    ws = wb.active
    ws.append([c.header for c in spec.columns])
    for values in rows:
        ws.append([values.get(c.field) for c in spec.columns])
    buf = io.BytesIO()
    wb.save(buf)
    return ContentFile(buf.getvalue(), name=name)


def _run(user: User, kind: str, rows: list[dict], name: str, *, commit: bool) -> DataImport:
    spec = imports.spec_for(kind)
    assert spec is not None
    job = imports.job_create(actor=user, spec=spec, uploaded_file=_workbook(spec, rows, name))
    imports.run(job.pk)  # without a broker it has already run: then this does nothing
    job.refresh_from_db()
    if commit and job.state == DataImport.State.VALID:
        imports.job_commit(actor=user, job=job)
        imports.run(job.pk)
        job.refresh_from_db()
    return job


def load(today: date) -> dict[str, int]:
    user = User.objects.filter(username="zhibu").select_related("person__primary_org").first()
    if user is None or user.person is None or user.person.primary_org is None:
        return {}
    DataImport.objects.filter(created_by__username__in=[x.username for x in DEMO_LOGINS]).delete()
    branch = user.person.primary_org
    members = list(
        Person.objects.filter(
            primary_org=branch, party_status__in=("full", "probationary"), is_active=True
        )
        .exclude(id_number_hash__isnull=True)
        .order_by("pk")[:12]
    )
    counts = {"数据导入": 0, "会议照片和文件": 0}
    if not members:
        return counts
    last_month = today.replace(day=1) - timedelta(days=1)
    hours_rows = [
        {
            "name": person.name,
            "staff_number": person.staff_number,
            "id_number": person.id_number,
            "title": title,
            "hours": hours,
            "studied_on": f"{last_month - timedelta(days=3 * i + j):%Y-%m-%d} 20:1{j}",
        }
        for i, person in enumerate(members)
        for j, (title, hours) in enumerate(COURSES[: 1 + i % 3])
    ]
    _run(user, "study-hours", hours_rows, f"网络学院学时导出-{last_month:%Y%m}.xlsx", commit=True)
    meeting = {
        "organisation": branch.code,
        "kind": "党小组会",
        "topic": "党小组集中学习",
        "held_on": f"{last_month:%Y-%m}-05",
        "starts_at": "19:00",
        "ends_at": "20:30",
        "place": "学生活动中心",
        "study_hours": 1.5,
    }
    refused = [
        meeting,
        meeting | {"topic": "党员大会：讨论发展对象", "kind": "党员大会", "ends_at": "18:00"},
        meeting | {"topic": "主题党日：志愿服务", "kind": "主题党日", "present": "王小明"},
        meeting | {"topic": "党课：讲好党史故事", "kind": "党课", "held_on": "2099-05-01"},
    ]
    _run(user, "meetings", refused, "上学期组织生活补录.xlsx", commit=False)
    waiting = [
        meeting,
        meeting
        | {
            "topic": "主题党日：走进红色教育基地",
            "kind": "主题党日",
            "held_on": f"{last_month:%Y-%m}-15",
            "present": "、".join(p.name for p in members[:5]),
            "absent": members[5].name if len(members) > 5 else "",
        },
    ]
    _run(user, "meetings", waiting, "上学期组织生活补录（修改后）.xlsx", commit=False)
    counts["数据导入"] = DataImport.objects.filter(created_by=user).count()

    recent = Meeting.objects.filter(organisation=branch, state=MeetingState.HELD).order_by(
        "-held_on"
    )[:3]
    files = (
        ("会场照片1.png", png(320, 200, (246, 240, 230), (180, 20, 27)), "会场照片"),
        ("会场照片2.png", png(320, 200, (232, 238, 246), (180, 20, 27)), "集体学习"),
        ("签到表.pdf", PDF, "签到表（扫描件）"),
    )
    for meeting_row in recent:
        if meeting_row.files.exists():
            continue
        for name, content, caption in files:
            orglife.meeting_file_add(
                actor=user,
                meeting=meeting_row,
                file=ContentFile(content, name=name),
                caption=caption,
            )
            counts["会议照片和文件"] += 1
    return counts
