"""Party dues (党费: the yearly standard, the monthly payments) and the branch activity fund
(支部活动经费: a ledger of income and spending per branch and year)."""

from django.conf import settings
from django.db import models

from dangjian.core.text_limits import TEXT_DEFAULT
from dangjian.core.uploads import UploadFileField, companion_fields
from dangjian.finance import rules
from dangjian.org.models import Organisation, OrgScopedQuerySet, Person

MONEY = {"max_digits": 12, "decimal_places": 2}


class DuesKind(models.TextChoices):
    IN_WORK = rules.IN_WORK, "在职（按工资收入）"
    RETIRED = rules.RETIRED, "离退休（按离退休费）"
    STUDENT = rules.STUDENT, "学生（定额）"
    NO_INCOME = rules.NO_INCOME, "无固定收入（定额）"


class PaymentState(models.TextChoices):
    PAID = rules.PAID, "已缴"
    PAID_LATE = rules.PAID_LATE, "补缴"
    ARREARS = rules.ARREARS, "欠缴"


class DuesQuerySet(OrgScopedQuerySet):
    """Seen and kept by the officers of the member's branch (when the row was made) and
    above, and read by the member; never by other members."""

    org_field = "organisation"
    person_field = "person"


class DuesStandard(models.Model):
    """A member's dues for a year (《党费规定》; once a year is our practice): the base as entered,
    the monthly amount computed, who set it and when."""

    person = models.ForeignKey(
        Person, verbose_name="党员", on_delete=models.PROTECT, related_name="dues_standards"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="所在党支部", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("交纳方式", max_length=12, choices=DuesKind.choices)
    # Personal data: shown only to the member and to officers who keep the record.
    base = models.DecimalField("计算基数（元/月）", null=True, blank=True, **MONEY)
    monthly = models.DecimalField("每月应交（元）", **MONEY)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核定人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    set_at = models.DateTimeField("核定时间", auto_now=True)

    objects = DuesQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "党费标准"
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="dues_standard_person_year")
        ]
        indexes = [models.Index(fields=["organisation", "year"], name="dues_standard_org_year")]

    def __str__(self) -> str:
        return f"{self.person.name} {self.year}年党费标准"


class DuesPayment(models.Model):
    """One member's dues of one month: due, paid, when, and the state that follows."""

    person = models.ForeignKey(
        Person, verbose_name="党员", on_delete=models.PROTECT, related_name="dues_payments"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="所在党支部", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    period = models.PositiveIntegerField("期间", editable=False)  # rules.period_of
    due = models.DecimalField("应交（元）", **MONEY)
    paid = models.DecimalField("实交（元）", default=0, **MONEY)
    paid_on = models.DateField("缴纳日期", null=True, blank=True)
    state = models.CharField("状态", max_length=10, choices=PaymentState.choices)
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = DuesQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "党费收缴"
        constraints = [
            models.UniqueConstraint(fields=["person", "period"], name="dues_payment_person_period")
        ]
        indexes = [
            models.Index(fields=["organisation", "period"], name="dues_payment_org_period"),
            models.Index(fields=["state", "period"], name="dues_payment_state_period"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} {self.year}年{self.month}月党费"


class FundKind(models.TextChoices):
    ALLOCATION = "allocation", "收入：按标准划拨"
    DUES_RETURN = "dues_return", "收入：党费返还"
    OTHER_INCOME = "other_income", "收入：其他"
    SPENDING = "spending", "支出"


INCOME_KINDS = (FundKind.ALLOCATION, FundKind.DUES_RETURN, FundKind.OTHER_INCOME)


class FundEntryQuerySet(OrgScopedQuerySet):
    org_field = "organisation"


class FundEntry(models.Model):
    """A line of a branch's activity fund ledger (《基层组织建设实施意见》§四(五)1)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="党支部", on_delete=models.PROTECT, related_name="fund_entries"
    )
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("类别", max_length=20, choices=FundKind.choices)
    amount = models.DecimalField("金额（元）", **MONEY)
    on = models.DateField("日期")
    summary = models.CharField("摘要", max_length=120)
    voucher = UploadFileField("凭证", area="evidence", blank=True)
    voucher_name, voucher_size, voucher_owner = companion_fields("凭证")
    note = models.TextField("备注", blank=True, max_length=TEXT_DEFAULT)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FundEntryQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "活动经费收支"
        indexes = [
            models.Index(fields=["organisation", "year"], name="fund_entry_org_year"),
            models.Index(fields=["-on", "-id"], name="fund_entry_order"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.name} {self.on:%Y-%m-%d} {self.summary}"

    @property
    def is_income(self) -> bool:
        return self.kind in INCOME_KINDS

    @property
    def signed_amount(self):
        return self.amount if self.is_income else -self.amount
