"""Honours rounds (两优一先, 《基层组织建设实施意见》§四(五)3) and model units (典型培育,
《168模式实施意见》§六2, 《延伸提升168机制意见》§三)."""

from django.conf import settings
from django.db import models

from dangjian.core.scoping import ScopedQuerySet
from dangjian.core.text_limits import TEXT_DEFAULT
from dangjian.honours import rules
from dangjian.org.models import Organisation, OrgScopedQuerySet, Person, in_orgs


class Category(models.TextChoices):
    EXCELLENT_MEMBER = rules.EXCELLENT_MEMBER, rules.CATEGORY_LABELS[rules.EXCELLENT_MEMBER]
    PARTY_WORKER = rules.PARTY_WORKER, rules.CATEGORY_LABELS[rules.PARTY_WORKER]
    ADVANCED_ORG = rules.ADVANCED_ORG, rules.CATEGORY_LABELS[rules.ADVANCED_ORG]


class RoundState(models.TextChoices):
    NOMINATING = "nominating", "推荐审核中"
    NOTICE = "notice", "公示中"
    DECIDED = "decided", "已决定"
    PUBLISHED = "published", "已发布"


class RoundQuerySet(ScopedQuerySet):
    """A round is the institution's: every officer reads it (to nominate); the department
    changes it. Members read a round once it is published."""

    def scope_q(self, scope):
        if scope.is_officer:
            return models.Q()
        if scope.person_id:
            return models.Q(state=RoundState.PUBLISHED)
        return models.Q(pk__in=[])

    def editable_q(self, scope):
        return models.Q() if scope.department else models.Q(pk__in=[])


class HonourRound(models.Model):
    """A round of 两优一先 (every two years, around 1 July)."""

    title = models.CharField("名称", max_length=100)
    year = models.PositiveSmallIntegerField("年度")
    nomination_deadline = models.DateField("推荐截止日期")
    notice_starts_on = models.DateField("公示开始日期", null=True, blank=True)
    notice_ends_on = models.DateField("公示结束日期", null=True, blank=True)
    decided_on = models.DateField("表彰决定日期", null=True, blank=True)
    decision_number = models.CharField("表彰决定文号", max_length=60, blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    state = models.CharField(
        "状态", max_length=12, choices=RoundState.choices, default=RoundState.NOMINATING
    )
    note = models.TextField("说明", blank=True, max_length=TEXT_DEFAULT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "评选表彰"
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year"], name="honours_round_once_a_year"),
        ]

    def __str__(self) -> str:
        return self.title


class QuotaQuerySet(ScopedQuerySet):
    """Quotas are read by every officer; set by the department."""

    def scope_q(self, scope):
        return models.Q() if scope.is_officer else models.Q(pk__in=[])

    def editable_q(self, scope):
        return models.Q() if scope.department else models.Q(pk__in=[])


class Quota(models.Model):
    """How many of a category a general branch (or a branch directly under the committee) may
    put forward in a round."""

    round = models.ForeignKey(
        HonourRound, verbose_name="评选表彰", on_delete=models.CASCADE, related_name="quotas"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="党总支（直属党支部）",
        on_delete=models.CASCADE,
        related_name="+",
    )
    category = models.CharField("类别", max_length=20, choices=Category.choices)
    quota = models.PositiveSmallIntegerField("名额")

    objects = QuotaQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "推荐名额"
        ordering = ["round", "organisation__path", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation", "category"], name="honours_quota_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation.name} {self.get_category_display()} {self.quota}名"


class NominationState(models.TextChoices):
    NOMINATED = "nominated", "待上级审核"
    APPROVED = "approved", "审核通过"
    REJECTED = "rejected", "审核未通过"
    AWARDED = "awarded", "已授予"
    NOT_AWARDED = "not_awarded", "未授予"


# Nominations that take a place of the quota.
TAKING_QUOTA = (NominationState.NOMINATED, NominationState.APPROVED, NominationState.AWARDED)


class NominationQuerySet(OrgScopedQuerySet):
    """Officers of the nominee's organisation and above; once the round is published, everyone
    signed in reads the awarded (the board shows them publicly)."""

    def scope_q(self, scope):
        q = self.editable_q(scope)
        if scope.person_id:
            q |= models.Q(round__state=RoundState.PUBLISHED, state=NominationState.AWARDED)
        return q

    def editable_q(self, scope):
        return in_orgs("organisation", scope.org_paths)


class Nomination(models.Model):
    """One nominee — a member (优秀共产党员, 优秀党务工作者) or an organisation (先进基层党组织)."""

    round = models.ForeignKey(
        HonourRound, verbose_name="评选表彰", on_delete=models.CASCADE, related_name="nominations"
    )
    category = models.CharField("类别", max_length=20, choices=Category.choices)
    person = models.ForeignKey(
        Person,
        verbose_name="推荐对象（党员）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="honour_nominations",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="所在党组织（推荐对象）",
        on_delete=models.PROTECT,
        related_name="honour_nominations",
        help_text="党员所在支部；先进基层党组织为被推荐的党组织本身。",
    )
    quota_holder = models.ForeignKey(
        Organisation,
        verbose_name="占用名额的党总支",
        on_delete=models.PROTECT,
        related_name="+",
    )
    deeds = models.TextField("主要事迹", max_length=TEXT_DEFAULT)
    state = models.CharField(
        "状态", max_length=12, choices=NominationState.choices, default=NominationState.NOMINATED
    )
    nominated_on = models.DateField("推荐日期")
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_on = models.DateField("审核日期", null=True, blank=True)
    review_note = models.CharField("审核意见", max_length=200, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = NominationQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "推荐对象"
        ordering = ["round", "category", "organisation__path", "id"]
        indexes = [models.Index(fields=["round", "category", "quota_holder", "state"])]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "category", "person"],
                condition=models.Q(person__isnull=False),
                name="honours_person_once_per_category",
            ),
            models.UniqueConstraint(
                fields=["round", "category", "organisation"],
                condition=models.Q(person__isnull=True),
                name="honours_org_once_per_round",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}：{self.nominee_name}"

    @property
    def nominee_name(self) -> str:
        return self.person.name if self.person_id else self.organisation.name


class ObjectionQuerySet(OrgScopedQuerySet):
    """The officers of the nominee's organisation and above."""

    org_field = "nomination__organisation"


class Objection(models.Model):
    """An opinion received during the notice, and how it was checked (核查)."""

    nomination = models.ForeignKey(
        Nomination, verbose_name="推荐对象", on_delete=models.CASCADE, related_name="objections"
    )
    received_on = models.DateField("收到日期")
    content = models.TextField("反映内容", max_length=TEXT_DEFAULT)
    resolved = models.BooleanField("已核查", default=False)
    upheld = models.BooleanField("反映属实", default=False)
    resolution = models.TextField("核查结论", blank=True, max_length=TEXT_DEFAULT)
    resolved_on = models.DateField("核查日期", null=True, blank=True)

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "公示意见"
        ordering = ["nomination", "received_on", "id"]

    def __str__(self) -> str:
        return f"对{self.nomination.nominee_name}的意见（{self.received_on:%Y-%m-%d}）"


# --- model units (典型培育) ---------------------------------------------------------------------


class UnitKind(models.TextChoices):
    TYPICAL = rules.TYPICAL, rules.UNIT_KIND_LABELS[rules.TYPICAL]
    DEMONSTRATION = rules.DEMONSTRATION, rules.UNIT_KIND_LABELS[rules.DEMONSTRATION]
    CONTACT_POINT = rules.CONTACT_POINT, rules.UNIT_KIND_LABELS[rules.CONTACT_POINT]


class UnitState(models.TextChoices):
    CULTIVATING = "cultivating", "培育中"
    CONFIRMED = "confirmed", "评审确认"
    WITHDRAWN = "withdrawn", "已撤销"


ACTIVE_UNIT_STATES = (UnitState.CULTIVATING, UnitState.CONFIRMED)


class ModelUnitQuerySet(OrgScopedQuerySet):
    """The officers of the level that chose the unit and of the unit itself (and above)."""

    def editable_q(self, scope):
        return in_orgs("chosen_by", scope.org_paths)

    def scope_q(self, scope):
        return in_orgs("chosen_by", scope.org_paths) | in_orgs("organisation", scope.org_paths)


class ModelUnit(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name="培育单位", on_delete=models.PROTECT, related_name="model_units"
    )
    chosen_by = models.ForeignKey(
        Organisation,
        verbose_name="确定单位的党组织",
        on_delete=models.PROTECT,
        related_name="chosen_model_units",
        help_text="确定并培育该典型的上级党组织（党委或党总支）。",
    )
    kind = models.CharField("类型", max_length=20, choices=UnitKind.choices)
    feature = models.CharField(
        "典型类别", max_length=60, help_text="综合典型，或某一方面突出的单项典型（写明方面）。"
    )
    goals = models.TextField("培育目标", max_length=TEXT_DEFAULT)
    leader = models.ForeignKey(
        Person,
        verbose_name="挂钩联系领导",
        on_delete=models.PROTECT,
        related_name="model_units_led",
    )
    starts_on = models.DateField("培育开始日期")
    ends_on = models.DateField("培育期结束日期", null=True, blank=True)
    state = models.CharField(
        "状态", max_length=12, choices=UnitState.choices, default=UnitState.CULTIVATING
    )
    reviewed_on = models.DateField("评审日期", null=True, blank=True)
    review_note = models.TextField("评审意见", blank=True, max_length=TEXT_DEFAULT)

    objects = ModelUnitQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "示范单位培育"
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["-starts_on", "-id"], name="model_unit_order")]

    def __str__(self) -> str:
        return f"{self.organisation.name}（{self.get_kind_display()}）"

    @property
    def period_text(self) -> str:
        end = f"{self.ends_on:%Y-%m-%d}" if self.ends_on else "—"
        return f"{self.starts_on:%Y-%m-%d} 至 {end}"


class CheckKind(models.TextChoices):
    # 《168模式实施意见》§六3: 点评会、经常性督查、随机抽查
    REVIEW_MEETING = "meeting", "点评会"
    REGULAR = "regular", "经常性督查"
    RANDOM = "random", "随机抽查"
    GUIDANCE = "guidance", "联系领导指导"


class UnitCheck(models.Model):
    unit = models.ForeignKey(
        ModelUnit, verbose_name="示范单位", on_delete=models.CASCADE, related_name="checks"
    )
    checked_on = models.DateField("检查日期")
    kind = models.CharField("检查方式", max_length=12, choices=CheckKind.choices)
    findings = models.TextField("检查情况", max_length=TEXT_DEFAULT)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "培育检查"
        ordering = ["unit", "-checked_on", "-id"]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_kind_display()}（{self.checked_on:%Y-%m-%d}）"
