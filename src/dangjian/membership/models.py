"""Members away (流动党员): where they are, until when, who keeps in touch
(《支部考核办法》 item 8; 《组织建设年实施方案》§二(三))."""

from django.db import models

from dangjian.core.text_limits import TEXT_DEFAULT
from dangjian.org.models import Organisation, OrgScopedQuerySet, Person


class AwayKind(models.TextChoices):
    INTERN = "intern", "外出实习"
    SECONDED = "seconded", "挂职、支教或借调"
    STUDY = "study", "外出学习进修"
    ABROAD = "abroad", "出国（境）"
    WORK = "work", "外出务工经商"
    OTHER = "other", "其他"


class MemberAwayQuerySet(OrgScopedQuerySet):
    org_field = "person__primary_org"
    person_field = "person"


class MemberAway(models.Model):
    """One period a member spends away; the branch keeps the relationship and the contact."""

    person = models.ForeignKey(
        Person, verbose_name="党员", on_delete=models.PROTECT, related_name="away_periods"
    )
    kind = models.CharField("外出类别", max_length=20, choices=AwayKind.choices)
    place = models.CharField("去向（地点、单位）", max_length=120)
    left_on = models.DateField("外出日期")
    until = models.DateField("预计返回日期", null=True, blank=True)
    returned_on = models.DateField("实际返回日期", null=True, blank=True)
    keeps_contact = models.ForeignKey(
        Person,
        verbose_name="联系人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="支部负责与该党员保持联系的人。",
    )
    group = models.ForeignKey(
        Organisation,
        verbose_name="参加组织生活的党小组",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_contact_on = models.DateField("最近联系日期", null=True, blank=True)
    note = models.TextField("备注", blank=True, max_length=TEXT_DEFAULT)

    objects = MemberAwayQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "流动党员"
        indexes = [models.Index(fields=["-left_on", "-id"], name="away_order")]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_kind_display()}，{self.left_on:%Y-%m-%d}起）"
