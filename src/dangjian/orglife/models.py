"""Organisational life (三会一课 and the rest), its frequency rules, and education hours
(《基层组织建设实施意见》§四(二)1 and 3; 《组织建设年实施方案》§一, §三(一))."""

from django.conf import settings
from django.db import models

from dangjian.core import uploads
from dangjian.core.text_limits import TEXT_MINUTES
from dangjian.org.models import Organisation, OrgKind, OrgScopedQuerySet, Person


class MeetingKind(models.TextChoices):
    GENERAL = "general", "党员大会"
    COMMITTEE = "committee", "支部委员会"
    GROUP = "group", "党小组会"
    LECTURE = "lecture", "党课"
    PARTY_DAY = "party_day", "主题党日"
    ORG_LIFE = "org_life", "组织生活会"
    DEMOCRATIC_LIFE = "democratic_life", "民主生活会"
    FORUM = "forum", "师生员工座谈会"
    THOUGHT_ANALYSIS = "thought_analysis", "思想状况分析"
    ACTIVIST_REVIEW = "activist_review", "入党积极分子考察分析"


class Period(models.TextChoices):
    MONTH = "month", "每月"
    QUARTER = "quarter", "每季度"
    SEMESTER = "semester", "每学期"
    HALF_YEAR = "half_year", "每半年"
    YEAR = "year", "每年"


class FrequencyRule(models.Model):
    """How often an organisation of a kind (and branch category) must hold meetings of some
    kinds, and for how long at least — data, defaulting to 《基层组织建设实施意见》§四(二)3."""

    name = models.CharField("要求", max_length=60)
    org_kind = models.CharField("党组织类型", max_length=20, choices=OrgKind.choices)
    branch_category = models.CharField(
        "支部类别",
        max_length=10,
        blank=True,
        help_text="空白表示该类型的所有党组织。",
    )
    kinds = models.JSONField("计入的活动类型", default=list)
    period = models.CharField("周期", max_length=10, choices=Period.choices)
    min_count = models.PositiveSmallIntegerField("每周期至少次数", default=1)
    min_minutes = models.PositiveSmallIntegerField("每次至少时长（分钟）", default=0)
    include_subtree = models.BooleanField(
        "计入下级党组织的活动",
        default=False,
        help_text="如党总支“组织各支部每半年召开1次师生员工座谈会”，下级支部开展的也计入。",
    )
    source = models.CharField("依据", max_length=100, blank=True)
    is_active = models.BooleanField("启用", default=True)
    display_order = models.PositiveSmallIntegerField("顺序", default=100)

    class Meta:
        verbose_name = "组织生活频次要求"
        verbose_name_plural = "组织生活频次要求"
        ordering = ["org_kind", "display_order", "id"]

    def __str__(self) -> str:
        return self.name


class MeetingState(models.TextChoices):
    # Planned ahead (future date allowed, attendees told, leave and sign-in), then held.
    PLANNED = "planned", "计划召开"
    HELD = "held", "已召开"
    CANCELLED = "cancelled", "已取消"


class MeetingQuerySet(OrgScopedQuerySet):
    def held(self) -> "MeetingQuerySet":
        """Meetings that took place: the only ones frequency roll-ups and hours count."""
        return self.filter(state=MeetingState.HELD)


class Meeting(models.Model):
    """A meeting or activity with its minutes and attendance: planned ahead, then held."""

    state = models.CharField(
        "状态",
        max_length=10,
        choices=MeetingState.choices,
        default=MeetingState.HELD,
        db_default=MeetingState.HELD,
        db_index=True,
    )

    organisation = models.ForeignKey(
        Organisation, verbose_name="党组织", on_delete=models.CASCADE, related_name="meetings"
    )
    kind = models.CharField("类型", max_length=20, choices=MeetingKind.choices)
    topic = models.CharField("主题", max_length=120)
    held_on = models.DateField("日期", db_index=True)
    starts_at = models.TimeField("开始时间")
    ends_at = models.TimeField("结束时间")
    duration_minutes = models.PositiveSmallIntegerField(
        "时长（分钟）", default=0, editable=False, help_text="由开始、结束时间计算。"
    )
    place = models.CharField("地点", max_length=100)
    host = models.ForeignKey(
        Person,
        verbose_name="主持人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_meetings",
    )
    recorder = models.ForeignKey(
        Person,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recorded_meetings",
    )
    minutes = models.TextField("会议记录", blank=True, max_length=TEXT_MINUTES)
    attachment = uploads.UploadFileField("附件", area="meetings", blank=True)
    attachment_name, attachment_size, attachment_owner = uploads.companion_fields("附件")
    study_hours = models.DecimalField(
        "计入学习学时",
        max_digits=4,
        decimal_places=1,
        default=0,
        help_text="党课、集中学习等计入参会党员的教育学时；0表示不计。",
    )
    integrity = models.BooleanField("廉政教育", default=False)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    # sha256 of the current sign-in token (the QR code carries the token itself); blank: none.
    signin_token_hash = models.CharField(
        max_length=64, blank=True, default="", editable=False, db_index=True
    )
    # The code it replaced (valid for a short grace period) and when the current one was issued.
    signin_previous_hash = models.CharField(
        max_length=64, blank=True, default="", editable=False, db_index=True
    )
    signin_issued_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "组织生活"
        verbose_name_plural = "组织生活"
        ordering = ["-held_on", "-starts_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "held_on"]),
            # The list's keyset order (core.pagination compares (held_on, id) rows).
            models.Index(fields=["held_on", "id"], name="meeting_held_on_id"),
        ]

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_kind_display()} {self.topic}"


class MeetingFileQuerySet(OrgScopedQuerySet):
    """A photo or file is served to whoever sees its meeting (core.views.media_file)."""

    org_field = "meeting__organisation"


class MeetingFile(models.Model):
    """One of the several photos and files of a meeting (签到表, 会场照片, 讲稿…)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name="会议", on_delete=models.CASCADE, related_name="files"
    )
    file = uploads.UploadFileField("文件", area="meetings")
    file_name, file_size, file_owner = uploads.companion_fields("文件")
    caption = models.CharField("说明", max_length=100, blank=True)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = MeetingFileQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "会议照片和文件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.file_name or self.file.name

    @property
    def is_image(self) -> bool:
        return (
            (self.file_name or self.file.name)
            .lower()
            .endswith((".jpg", ".jpeg", ".png", ".gif", ".webp"))
        )


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "出席"
    EXCUSED = "excused", "请假"
    ABSENT = "absent", "缺席"


class AttendanceRole(models.TextChoices):
    # A committee meeting's roster is its committee; others who come attend without a vote.
    MEMBER = "member", "应到"
    OBSERVER = "observer", "列席"


class AttendanceQuerySet(OrgScopedQuerySet):
    org_field = "meeting__organisation"
    person_field = "person"


class Attendance(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name="会议", on_delete=models.CASCADE, related_name="attendance"
    )
    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField("出席情况", max_length=10, choices=AttendanceStatus.choices)
    role = models.CharField(
        "参会身份",
        max_length=10,
        choices=AttendanceRole.choices,
        default=AttendanceRole.MEMBER,
        help_text="支部委员会、总支委员会由委员参加；其他人员到会的登记为列席（无表决权）。",
    )
    makeup_on = models.DateField(
        "补课日期", null=True, blank=True, help_text="请假或缺席后补学的日期。"
    )
    note = models.CharField("备注", max_length=200, blank=True)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = "出席情况"
        verbose_name_plural = "出席情况"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_status_display()}"


class LeaveStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "未批准"


class LeaveRequestQuerySet(OrgScopedQuerySet):
    org_field = "meeting__organisation"
    person_field = "person"


class LeaveRequest(models.Model):
    """A member's request to be excused from a planned meeting; approved → 请假."""

    meeting = models.ForeignKey(
        Meeting, verbose_name="会议", on_delete=models.CASCADE, related_name="leave_requests"
    )
    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.CASCADE, related_name="leave_requests"
    )
    reason = models.CharField("请假事由", max_length=200)
    status = models.CharField(
        "审批", max_length=10, choices=LeaveStatus.choices, default=LeaveStatus.PENDING
    )
    asked_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = LeaveRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "请假申请"
        verbose_name_plural = "请假申请"
        ordering = ["-asked_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="leave_once")]

    def __str__(self) -> str:
        return f"{self.person} 请假（{self.get_status_display()}）"


class TrainingKind(models.TextChoices):
    STUDY = "study", "学习教育"
    SECRETARY = "secretary", "党支部书记集中培训"
    PRACTICE = "practice", "党支部书记实践活动"
    APPOINTMENT = "appointment", "新任党支部书记任职培训"
    # Party-school classes (《基层组织建设实施意见》§四(三)1(2)(3)): sessions, attendance and an
    # exam are kept by the partyschool app on the same training.
    ACTIVIST_CLASS = "activist", "入党积极分子培训班"
    TARGET_CLASS = "target", "发展对象培训班"


class StudyCategory(models.TextChoices):
    THEORY = "theory", "理论学习"
    PARTY_SPIRIT = "party_spirit", "党性教育"
    INTEGRITY = "integrity", "廉政教育"
    BUSINESS = "business", "业务学习"
    OTHER = "other", "其他"


class Training(models.Model):
    """A training or study session held for several people (their hours follow from it)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="组织单位", on_delete=models.CASCADE, related_name="trainings"
    )
    kind = models.CharField(
        "类别", max_length=12, choices=TrainingKind.choices, default=TrainingKind.STUDY
    )
    title = models.CharField("名称", max_length=120)
    category = models.CharField("内容分类", max_length=15, choices=StudyCategory.choices)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    integrity = models.BooleanField("廉政教育", default=False)
    organiser = models.CharField("主办单位", max_length=100, blank=True)
    participants = models.ManyToManyField(
        Person, verbose_name="参训人员", blank=True, related_name="trainings"
    )

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "培训"
        verbose_name_plural = "培训"
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.title


class StudyRecordQuerySet(OrgScopedQuerySet):
    org_field = "person__primary_org"
    person_field = "person"


class StudyRecord(models.Model):
    """Hours of education credited to one person: from a training, a meeting, or recorded on
    their own (online courses, self-study approved by the branch)."""

    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.CASCADE, related_name="study_records"
    )
    studied_on = models.DateField("日期", db_index=True)
    title = models.CharField("学习内容", max_length=120)
    category = models.CharField("内容分类", max_length=15, choices=StudyCategory.choices)
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    integrity = models.BooleanField("廉政教育", default=False)
    training = models.ForeignKey(
        Training,
        verbose_name="培训",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="records",
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name="会议",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="study_records",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = StudyRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "学习学时"
        verbose_name_plural = "学习学时"
        ordering = ["-studied_on", "-id"]
        indexes = [models.Index(fields=["person", "studied_on"])]

    def __str__(self) -> str:
        return f"{self.person} {self.studied_on} {self.hours}学时"
