"""Committee elections (换届选举): the plan approved by the level above, the candidates, the
ballot, the result approved, and the new committee appointed in one step (a new `org.Term`
and its `org.Position`s)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from dangjian.core.text_limits import TEXT_DEFAULT
from dangjian.elections.rules import MAX_SEATS
from dangjian.org.models import Organisation, OrgScopedQuerySet, Person, PositionTitle, Term


class ElectionState(models.TextChoices):
    DRAFT = "draft", "拟定方案"
    SUBMITTED = "submitted", "方案待批复"
    PLAN_APPROVED = "plan_approved", "方案已批复"
    VOTED = "voted", "结果待批复"
    APPROVED = "approved", "结果已批复"
    APPOINTED = "appointed", "已完成换届"


OPEN_STATES = (
    ElectionState.DRAFT,
    ElectionState.SUBMITTED,
    ElectionState.PLAN_APPROVED,
    ElectionState.VOTED,
    ElectionState.APPROVED,
)

# Titles a committee member may be given (the group leader is no committee office).
COMMITTEE_TITLES = [
    (value, label) for value, label in PositionTitle.choices if value != PositionTitle.GROUP_LEADER
]


class ElectionQuerySet(OrgScopedQuerySet):
    org_field = "organisation"

    def open(self):
        return self.filter(state__in=OPEN_STATES)


class Election(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name="党组织", on_delete=models.PROTECT, related_name="elections"
    )
    term = models.ForeignKey(
        Term,
        verbose_name="届满的届次",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="elections",
        help_text="不填则为该组织当前的届次；首次选举可不填。",
    )
    state = models.CharField(
        "状态", max_length=16, choices=ElectionState.choices, default=ElectionState.DRAFT
    )
    seats = models.PositiveSmallIntegerField(
        "应选委员人数", validators=[MinValueValidator(1), MaxValueValidator(MAX_SEATS)]
    )
    planned_on = models.DateField("拟召开党员大会日期")
    plan = models.TextField(
        "选举方案",
        max_length=TEXT_DEFAULT,
        help_text="委员会职数、候选人推荐办法、选举方式（差额、无记名投票）、会议议程等。",
    )
    submitted_on = models.DateField("方案报送日期", null=True, blank=True)
    plan_approved_on = models.DateField("方案批复日期", null=True, blank=True)
    plan_reply = models.CharField("方案批复意见", max_length=300, blank=True)
    held_on = models.DateField("选举日期", null=True, blank=True)
    entitled = models.PositiveIntegerField("应到会有选举权的党员", null=True, blank=True)
    present = models.PositiveIntegerField("实到会有选举权的党员", null=True, blank=True)
    result_approved_on = models.DateField("结果批复日期", null=True, blank=True)
    result_reply = models.CharField("结果批复意见", max_length=300, blank=True)
    new_term = models.OneToOneField(
        Term,
        verbose_name="新一届",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="election",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ElectionQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "换届选举"
        indexes = [
            models.Index(fields=["-planned_on", "-id"], name="election_order"),
            models.Index(fields=["organisation", "state"], name="election_org_state"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.name}换届选举（{self.planned_on:%Y-%m-%d}）"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class Candidate(models.Model):
    """A candidate of the election, with the office proposed (分工) and the votes received."""

    election = models.ForeignKey(
        Election, verbose_name="换届选举", on_delete=models.CASCADE, related_name="candidates"
    )
    person = models.ForeignKey(
        Person, verbose_name="候选人", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(
        "拟任职务", max_length=20, choices=COMMITTEE_TITLES, default=PositionTitle.COMMITTEE
    )
    votes = models.PositiveIntegerField("得票数", null=True, blank=True)
    elected = models.BooleanField("当选", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "候选人"
        ordering = ["election", "id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "person"], name="candidate_unique_person")
        ]

    def __str__(self) -> str:
        return self.person.name
