"""The Party school (党校): the sessions of a class, who attended them, and the exam.

A class is an `orglife.Training` — the one model of trainings. The activists' and the
development targets' classes are two of its kinds, beside the branch secretaries' centralised
and appointment trainings, which may keep sessions and an exam here in the same way. Enrolment
is the training's participants; hours are credited by orglife (`StudyRecord`) from the sessions
attended (see `selectors.session_credits`)."""

from django.conf import settings
from django.db import models

from dangjian.org.models import OrgScopedQuerySet, Person
from dangjian.orglife.models import Training


class SessionQuerySet(OrgScopedQuerySet):
    org_field = "training__organisation"


class ClassSession(models.Model):
    """One session (课次) of a class: a day's lecture, its hours, and who was present."""

    training = models.ForeignKey(
        Training, verbose_name="培训班", on_delete=models.CASCADE, related_name="sessions"
    )
    held_on = models.DateField("上课日期")
    topic = models.CharField("课程主题", max_length=100)
    teacher = models.CharField("授课人", max_length=60, blank=True)
    place = models.CharField("地点", max_length=100, blank=True)
    hours = models.DecimalField("学时", max_digits=3, decimal_places=1)
    present = models.ManyToManyField(
        Person, verbose_name="出勤学员", blank=True, related_name="class_sessions"
    )
    attendance_taken = models.BooleanField("已登记出勤", default=False)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = "党校课次"
        verbose_name_plural = "党校课次"
        ordering = ["held_on", "id"]
        indexes = [models.Index(fields=["training", "held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.topic}"

    @property
    def record_title(self) -> str:
        """The title of the study hours it credits (orglife.StudyRecord)."""
        return f"{self.training.title}：{self.topic}"[:120]


class ResultQuerySet(OrgScopedQuerySet):
    org_field = "training__organisation"
    person_field = "person"


class ExamResult(models.Model):
    """A trainee's exam in a class (结业考试); a resit replaces the score, audited."""

    training = models.ForeignKey(
        Training, verbose_name="培训班", on_delete=models.CASCADE, related_name="exam_results"
    )
    person = models.ForeignKey(
        Person, verbose_name="学员", on_delete=models.CASCADE, related_name="exam_results"
    )
    taken_on = models.DateField("考试日期")
    score = models.DecimalField("成绩", max_digits=4, decimal_places=1)
    passed = models.BooleanField("合格", default=False, editable=False)
    pass_mark = models.DecimalField(
        "合格分数线",
        max_digits=4,
        decimal_places=1,
        editable=False,
        help_text="登记时适用的分数线。",
    )
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ResultQuerySet.as_manager()

    class Meta:
        verbose_name = "党校考试成绩"
        verbose_name_plural = "党校考试成绩"
        ordering = ["-taken_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["training", "person"], name="exam_result_once")
        ]
        indexes = [models.Index(fields=["taken_on", "id"], name="exam_result_taken_id")]

    def __str__(self) -> str:
        return f"{self.person} {self.training}：{self.score}分"
