from datetime import date
from typing import Any

from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from dangjian.core.crypto import (
    EncryptedCharField,
    EncryptedModelMixin,
    EncryptedQuerySetMixin,
    HashField,
)
from dangjian.core.scoping import ScopedQuerySet, paths_q
from dangjian.core.text_limits import TEXT_DEFAULT
from dangjian.org import rules


class OrgKind(models.TextChoices):
    COMMITTEE = "committee", "党委"
    GENERAL_BRANCH = "general_branch", "党总支"
    BRANCH = "branch", "党支部"
    GROUP = "group", "党小组"


class BranchCategory(models.TextChoices):
    STAFF = "staff", "教工"
    STUDENT = "student", "学生"
    ORGAN = "organ", "机关"
    RETIREE = "retiree", "离退休"


class OrganisationQuerySet(ScopedQuerySet, MP_NodeQuerySet):
    def scope_q(self, scope):
        return paths_q("path", scope.org_paths)

    def active(self):
        return self.filter(dissolved_on__isnull=True)

    def restructurable_by(self, user):
        """Organisations the user may move or dissolve (the action org.restructure: the level
        above acts, never the organisation's own officers)."""
        return self.restrict(user, "org.restructure")

    def subtree_of(self, org):
        return self.filter(path__startswith=org.path)


class OrganisationManager(MP_NodeManager.from_queryset(OrganisationQuerySet)):
    def get_queryset(self):
        return OrganisationQuerySet(self.model, using=self._db).order_by("path")


class Organisation(MP_Node):
    """A Party organisation: committee → general branch → branch → group (materialised path)."""

    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=50, blank=True)
    kind = models.CharField("类型", max_length=20, choices=OrgKind.choices)
    category = models.CharField(
        "支部类别",
        max_length=10,
        choices=BranchCategory.choices,
        blank=True,
        help_text="教工、学生、机关、离退休支部的组织生活频次不同。",
    )
    code = models.CharField("组织代码", max_length=40, unique=True)
    display_order = models.PositiveIntegerField("显示顺序", default=100)
    founded_on = models.DateField("成立日期", null=True, blank=True)
    dissolved_on = models.DateField("撤销日期", null=True, blank=True, db_index=True)
    activity_room_area = models.DecimalField(
        "活动室面积（㎡）",
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="每个基层党组织活动室面积不少于20平方米。",
    )
    covered_units = models.ManyToManyField(
        "Unit", verbose_name="覆盖单位", blank=True, related_name="party_orgs"
    )
    note = models.TextField("备注", blank=True, max_length=TEXT_DEFAULT)

    objects = OrganisationManager()

    class Meta:
        verbose_name = "党组织"
        verbose_name_plural = "党组织"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_dissolved(self) -> bool:
        return self.dissolved_on is not None

    @property
    def room_meets_standard(self) -> bool | None:
        if self.activity_room_area is None:
            return None
        return rules.activity_room_meets_standard(float(self.activity_room_area))


def orgs_under(paths: tuple[str, ...]):
    """Ids of the organisations in these subtrees, as a subquery. Filtering rows by an indexed
    organisation id is much faster than joining each row to test its organisation's path."""
    return Organisation.objects.filter(paths_q("path", paths)).order_by().values("pk")


class InSubquery(models.Expression):
    """`field IN (subquery)` as a condition, written on PostgreSQL as
    `field = ANY(ARRAY(subquery))`: the subquery runs once, first (an InitPlan), and the
    outer query probes the field's index with its ids, even inside an OR (`… OR id = 7`),
    where `IN (subquery)` makes PostgreSQL test every row of the table against the subquery."""

    conditional = True

    def __init__(self, field: str, queryset) -> None:
        super().__init__(output_field=models.BooleanField())
        self.lhs: Any = models.F(field)
        self.rhs: Any = models.Subquery(queryset)

    def get_source_expressions(self):
        return [self.lhs, self.rhs]

    def set_source_expressions(self, exprs):
        self.lhs, self.rhs = exprs

    def as_sql(self, compiler, connection):
        lhs_sql, lhs_params = compiler.compile(self.lhs)
        rhs_sql, rhs_params = compiler.compile(self.rhs)
        template = "%s = ANY(ARRAY%s)" if connection.vendor == "postgresql" else "%s IN %s"
        return template % (lhs_sql, rhs_sql), (*lhs_params, *rhs_params)


def in_orgs(field: str, paths: tuple[str, ...]) -> models.Q:
    """Rows whose organisation (`field`) lies in the subtrees at `paths` (see InSubquery)."""
    return models.Q(InSubquery(field, orgs_under(paths)))


class OrgScopedQuerySet(ScopedQuerySet):
    """Rows that belong to a Party organisation: seen and changed by the officers of that
    organisation and of the levels above. When `person_field` is set, the person a row is
    about also reads it (changes to one's own rows go through the owner's services)."""

    org_field = "organisation"
    person_field: str | None = None

    def scope_q(self, scope):
        q = self.editable_q(scope)
        if self.person_field and scope.person_id:
            q |= models.Q(**{self.person_field: scope.person_id})
        return q

    def editable_q(self, scope):
        return in_orgs(self.org_field, scope.org_paths)

    def in_subtree(self, org):
        return self.filter(in_orgs(self.org_field, (org.path,)))


class UnitKind(models.TextChoices):
    OFFICE = "office", "处室"
    COLLEGE = "college", "学院"
    GRADE = "grade", "年段"
    CLASS = "class", "班级"
    UNION = "union", "工会"
    YOUTH_LEAGUE = "youth_league", "团委"
    OTHER = "other", "其他"


class UnitQuerySet(ScopedQuerySet):
    """Units are institution-wide and hold no personal data: every officer reads them all;
    only the organisation department (scope `everything`) changes them."""

    def scope_q(self, scope):
        return models.Q() if scope.is_officer else models.Q(pk__in=[])

    def editable_q(self, scope):
        return models.Q(pk__in=[])

    def active(self):
        return self.filter(dissolved_on__isnull=True)


class Unit(models.Model):
    """A non-Party unit that receives tasks and employs or enrols people."""

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    display_order = models.PositiveIntegerField("显示顺序", default=100)
    dissolved_on = models.DateField("撤销日期", null=True, blank=True)

    objects = UnitQuerySet.as_manager()

    # Set on the rows of the units page by org.selectors (unit_tree, annotate_units).
    depth: int
    child_count: int
    people_count: int
    subtree_people: int
    party_org_list: list["Organisation"]

    class Meta:
        verbose_name = "行政单位"
        verbose_name_plural = "行政单位"
        ordering = ["display_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unit_unique_name_in_parent")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_dissolved(self) -> bool:
        return self.dissolved_on is not None

    @property
    def full_name(self) -> str:
        """A class or grade with its college (“信息工程学院 软件技术2401班”); load parent first."""
        if self.kind in (UnitKind.CLASS, UnitKind.GRADE) and self.parent_id:
            return f"{self.parent.name} {self.name}"
        return self.name


class Term(models.Model):
    """A committee term (届次) of an organisation."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="党组织", on_delete=models.CASCADE, related_name="terms"
    )
    number = models.PositiveSmallIntegerField("届次")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("届满日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "届次"
        verbose_name_plural = "届次"
        ordering = ["organisation", "-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="term_unique_number")
        ]

    def __str__(self) -> str:
        return f"第{self.number}届"


class LeadingGroupQuerySet(ScopedQuerySet):
    """Seen and changed by the officers of the group's organisation (and those above)."""

    def scope_q(self, scope):
        return in_orgs("organisation", scope.org_paths)


class LeadingGroup(models.Model):
    """A leading group such as the “168” leading group, with its office."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name="党组织",
        on_delete=models.CASCADE,
        related_name="leading_groups",
    )
    name = models.CharField("名称", max_length=100)
    office = models.CharField("办公室设在", max_length=100, blank=True)
    duties = models.TextField("职责", blank=True, max_length=TEXT_DEFAULT)

    objects = LeadingGroupQuerySet.as_manager()

    class Meta:
        verbose_name = "领导小组"
        verbose_name_plural = "领导小组"

    def __str__(self) -> str:
        return self.name


class LeadingGroupMemberQuerySet(ScopedQuerySet):
    def scope_q(self, scope):
        return in_orgs("group__organisation", scope.org_paths)


class LeadingGroupMember(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", "组长"
        DEPUTY = "deputy", "副组长"
        MEMBER = "member", "成员"
        OFFICE_HEAD = "office_head", "办公室主任"

    group = models.ForeignKey(LeadingGroup, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey("Person", verbose_name="人员", on_delete=models.PROTECT)
    role = models.CharField("职务", max_length=20, choices=Role.choices)
    display_order = models.PositiveSmallIntegerField("顺序", default=100)

    objects = LeadingGroupMemberQuerySet.as_manager()

    class Meta:
        verbose_name = "领导小组成员"
        verbose_name_plural = "领导小组成员"
        ordering = ["display_order", "id"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.person}"


class PersonCategory(models.TextChoices):
    STAFF = "staff", "教职工"
    STUDENT = "student", "学生"
    RETIREE = "retiree", "离退休"


class PartyStatus(models.TextChoices):
    MASSES = "masses", "群众"
    APPLICANT = "applicant", "入党申请人"
    ACTIVIST = "activist", "入党积极分子"
    CANDIDATE = "candidate", "培养考察对象"
    TARGET = "target", "发展对象"
    PROBATIONARY = "probationary", "预备党员"
    FULL = "full", "正式党员"


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class Education(models.TextChoices):
    """学历, in the groups of the national 学历 code (GB/T 4658) as the annual 党内统计 tables
    use them."""

    POSTGRADUATE = "postgraduate", "研究生"
    UNIVERSITY = "university", "大学本科"
    COLLEGE = "college", "大学专科"
    SECONDARY_VOCATIONAL = "secondary_vocational", "中专"
    HIGH_SCHOOL = "high_school", "高中"
    JUNIOR_OR_BELOW = "junior_or_below", "初中及以下"


class Degree(models.TextChoices):
    DOCTOR = "doctor", "博士"
    MASTER = "master", "硕士"
    BACHELOR = "bachelor", "学士"
    NONE = "none", "无"


class TitleLevel(models.TextChoices):
    """The level of a professional title (职称), as the statistics group them."""

    SENIOR = "senior", "正高级"
    ASSOCIATE = "associate", "副高级"
    INTERMEDIATE = "intermediate", "中级"
    JUNIOR = "junior", "初级"
    NONE = "none", "无"


class Standing(models.TextChoices):
    """A person's standing on the Party roll (党籍); every value but 在册 takes them off the
    roll (is_active false), recorded with its date and reason in StandingChange."""

    ON_ROLL = "on_roll", "在册"
    SUSPENDED = "suspended", "停止党籍"
    REMOVED = "removed", "除名"
    EXPELLED = "expelled", "开除党籍"
    WITHDRAWN = "withdrawn", "退党"
    DECEASED = "deceased", "死亡"
    TRANSFERRED_OUT = "transferred_out", "转出"


class LeaveCause(models.TextChoices):
    """Why a person leaves the roll: org.services.person_leave's `cause`."""

    SUSPENDED = "suspended", "停止党籍"
    REMOVED = "removed", "除名"
    EXPELLED = "expelled", "开除党籍"
    WITHDRAWN = "withdrawn", "退党"
    DECEASED = "deceased", "死亡"
    TRANSFERRED_OUT = "transferred_out", "转出"


class StandingCause(models.TextChoices):
    """A step in the standing history: a leaving cause, a restoration or an arrival."""

    SUSPENDED = "suspended", "停止党籍"
    REMOVED = "removed", "除名"
    EXPELLED = "expelled", "开除党籍"
    WITHDRAWN = "withdrawn", "退党"
    DECEASED = "deceased", "死亡"
    TRANSFERRED_OUT = "transferred_out", "转出"
    RESTORED = "restored", "恢复党籍"
    TRANSFERRED_IN = "transferred_in", "转入"


class PersonQuerySet(EncryptedQuerySetMixin, ScopedQuerySet):
    def scope_q(self, scope):
        q = in_orgs("primary_org", scope.org_paths)
        if scope.person_id:
            q |= models.Q(pk=scope.person_id)
        return q

    def editable_q(self, scope):
        return in_orgs("primary_org", scope.org_paths)

    def members(self):
        return self.filter(party_status__in=rules.MEMBER_STATUSES)

    def with_status_at(self, on: date):
        """Annotate `status_at`: the Party status at the end of day `on` (party_status_at)."""
        return self.annotate(status_at=party_status_at(on))

    def members_at(self, on: date):
        """Members (正式 or 预备) at the end of day `on`, by their status history."""
        return self.with_status_at(on).filter(status_at__in=rules.MEMBER_STATUSES)

    def on_roll_at(self, on: date):
        """People on the roll at the end of day `on`, as the records stand: on it now (and
        already joined if members), or taken off it after that day."""
        joined = models.Q(joined_on__isnull=True) | models.Q(joined_on__lte=on)
        now = models.Q(is_active=True, standing=Standing.ON_ROLL)
        left_since = ~models.Q(standing=Standing.ON_ROLL) & models.Q(left_on__gt=on)
        return self.filter(joined & (now | left_since))

    def in_subtree(self, org):
        return self.under_path(org.path)

    def under_path(self, path: str):
        """People whose organisation lies in the subtree at `path` ("" for everyone)."""
        return self.filter(in_orgs("primary_org", (path,))) if path else self.all()

    def with_list_relations(self):
        return self.select_related("primary_org", "group", "unit__parent")

    _narrow = False

    def narrow_pages(self):
        """A slice of this queryset (a page) finds its ids first, without the joins, and joins
        only those rows: joined, a page of a small scope makes the planner walk a whole index
        of the people (core.pagination's `narrow`, for paginators that slice themselves)."""
        qs = self._chain()
        qs._narrow = True
        return qs

    def _clone(self):
        clone = super()._clone()
        clone._narrow = self._narrow
        return clone

    def __getitem__(self, k):
        if isinstance(k, slice) and self._narrow and self._result_cache is None:
            ids = self._chain()
            ids._narrow = False
            return ids.filter(pk__in=ids.values("pk")[k])
        return super().__getitem__(k)


COUNT_KEY_FIELDS = ("primary_org_id", "party_status", "category", "is_active")


def count_key(person: "Person") -> tuple[int, str, str, bool] | None:
    """Where a person is counted in PeopleCount (None when those fields are not loaded)."""
    values = person.__dict__
    if any(name not in values for name in COUNT_KEY_FIELDS):
        return None
    return (
        person.primary_org_id or 0,
        person.party_status,
        person.category,
        bool(person.is_active),
    )


class Person(EncryptedModelMixin, models.Model):
    """Everyone the system knows: Party members and the masses."""

    # Where the row is counted as stored (org.counts keeps PeopleCount in step on save).
    _count_key: tuple[int, str, str, bool] | None

    name = models.CharField("姓名", max_length=50, db_index=True)
    staff_number = models.CharField(
        "工号/学号",
        max_length=32,
        blank=True,
        db_index=True,
        help_text="教职工填工号，学生填学号；用作登录用户名和统一身份认证的对应依据。",
    )
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    ethnicity = models.CharField("民族", max_length=20, default="汉族")
    birth_date = models.DateField("出生日期", null=True, blank=True)
    # Encrypted at rest (core.crypto); found and kept unique through the keyed hashes, which
    # are declared first so that assigning a number sets its hash (see core.crypto.HashField).
    id_number_hash = HashField("身份证号摘要", unique=True)
    phone_hash = HashField("手机号摘要", db_index=True)
    id_number = EncryptedCharField(
        "身份证号",
        max_length=18,
        null=True,
        blank=True,
        hash_field="id_number_hash",
        help_text="18位居民身份证号码，校验位自动核对。",
    )
    phone = EncryptedCharField("手机号", max_length=20, blank=True, hash_field="phone_hash")
    category = models.CharField("人员类别", max_length=10, choices=PersonCategory.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name="所在单位",
        help_text="教职工填所在处室或学院；学生填所在班级。",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    party_status = models.CharField(
        "政治面貌",
        max_length=20,
        choices=PartyStatus.choices,
        default=PartyStatus.MASSES,
        db_index=True,
    )
    status_since = models.DateField("当前状态起始日期", null=True, blank=True)
    applied_on = models.DateField("递交申请书日期", null=True, blank=True)
    joined_on = models.DateField("入党日期", null=True, blank=True)
    probation_starts_on = models.DateField("预备期开始", null=True, blank=True)
    probation_ends_on = models.DateField("预备期结束", null=True, blank=True)
    primary_org = models.ForeignKey(
        Organisation,
        verbose_name="所在党支部",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    group = models.ForeignKey(
        Organisation,
        verbose_name="所在党小组",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="group_people",
    )
    is_active = models.BooleanField("在册", default=True)
    # The complete member record (issue 15 item 1).
    education = models.CharField("学历", max_length=24, choices=Education.choices, blank=True)
    degree = models.CharField("学位", max_length=10, choices=Degree.choices, blank=True)
    professional_title = models.CharField(
        "职称", max_length=50, blank=True, help_text="如：教授、副教授、讲师、工程师。"
    )
    title_level = models.CharField(
        "职称级别", max_length=16, choices=TitleLevel.choices, blank=True
    )
    post = models.CharField(
        "行政职务", max_length=50, blank=True, help_text="所在单位的职务，如：院长、科长。"
    )
    native_place = models.CharField(
        "籍贯", max_length=50, blank=True, help_text="如：福建省福州市。"
    )
    relation_held_here = models.BooleanField(
        "组织关系在本单位",
        default=True,
        help_text="不勾选表示组织关系在外单位（如保留在原单位或挂靠），须填写所在单位。",
    )
    relation_held_at = models.CharField("组织关系所在单位", max_length=100, blank=True)
    standing = models.CharField(
        "党籍状态",
        max_length=20,
        choices=Standing.choices,
        default=Standing.ON_ROLL,
        editable=False,
    )
    left_on = models.DateField("离开党员队伍日期", null=True, blank=True, editable=False)
    note = models.TextField("备注", blank=True, max_length=TEXT_DEFAULT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["primary_org", "party_status"]),
            # The people lists' order: keyset pages start at (name, id) > cursor.
            models.Index(fields=["name", "id"], name="person_name_id"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["staff_number"],
                condition=~models.Q(staff_number=""),
                name="person_unique_staff_number",
                violation_error_message="该工号/学号已登记在系统中",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._count_key = count_key(instance)
        return instance

    @property
    def masked_id_number(self) -> str:
        return rules.mask_id_number(self.id_number or "")

    @property
    def masked_phone(self) -> str:
        return rules.mask_phone(self.phone)

    @property
    def is_member(self) -> bool:
        return self.party_status in rules.MEMBER_STATUSES

    @property
    def masked_native_place(self) -> str:
        return rules.mask_native_place(self.native_place)

    @property
    def relation_display(self) -> str:
        if self.relation_held_here:
            return "本单位"
        return f"外单位：{self.relation_held_at}" if self.relation_held_at else "外单位"

    def age_on(self, on: date) -> int | None:
        return rules.age_on(self.birth_date, on) if self.birth_date else None


class PeopleCount(models.Model):
    """How many people each organisation has as its primary organisation, by Party status,
    category and whether they are on the register: the people list's totals, the tree's
    member counts and the home page's cards read these rows instead of counting people.

    Kept in the same transaction as every change of a person (org.counts, connected to the
    person's save and delete; bulk writers adjust or rebuild); `dangjian recount` rebuilds
    it. People without an organisation are counted under organisation id 0 (no row joins it:
    they belong to no subtree), hence no database foreign key."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="people_counts",
    )
    party_status = models.CharField(max_length=20, choices=PartyStatus.choices)
    category = models.CharField(max_length=10, choices=PersonCategory.choices)
    is_active = models.BooleanField()
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = "人数统计"
        verbose_name_plural = "人数统计"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "party_status", "category", "is_active"],
                name="people_count_unique_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.party_status} {self.category} {self.n}"


def party_status_at(on: date) -> Coalesce:
    """A person's Party status at the end of day `on`: the status they left in their first
    recorded change after that day, or, with no later change, their status now (the history
    is `StatusChange`, written by `person_change_status`)."""
    later = (
        StatusChange.objects.filter(person=models.OuterRef("pk"), effective_on__gt=on)
        .order_by("effective_on", "id")
        .values("from_status")[:1]
    )
    return Coalesce(models.Subquery(later), models.F("party_status"))


class StatusChange(models.Model):
    """One step in a person's Party-status history."""

    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField("原状态", max_length=20, choices=PartyStatus.choices)
    to_status = models.CharField("新状态", max_length=20, choices=PartyStatus.choices)
    effective_on = models.DateField("生效日期")
    note = models.CharField("说明", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        "core.User", verbose_name="记录人", null=True, blank=True, on_delete=models.SET_NULL
    )
    recorded_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = "政治面貌变更"
        verbose_name_plural = "政治面貌变更"
        ordering = ["-effective_on", "-id"]

    def __str__(self) -> str:
        return f"{self.person} {self.get_from_status_display()}→{self.get_to_status_display()}"


class StandingChangeQuerySet(ScopedQuerySet):
    """Read by the officers of the organisation the person belonged to when it happened (and
    of the levels above), and by the person."""

    def scope_q(self, scope):
        q = in_orgs("organisation", scope.org_paths)
        if scope.person_id:
            q |= models.Q(person_id=scope.person_id)
        return q

    def editable_q(self, scope):
        return in_orgs("organisation", scope.org_paths)


class StandingChange(models.Model):
    """One step in a person's standing on the roll: leaving it (停止党籍, 除名, 开除党籍, 退党,
    死亡, 转出), being restored (恢复党籍) or arriving (转入), with its date and reason. Kept
    as history, never deleted; the annual statistics count the changes of a year from it."""

    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.CASCADE, related_name="standing_changes"
    )
    cause = models.CharField("事由", max_length=20, choices=StandingCause.choices)
    effective_on = models.DateField("日期", db_index=True)
    reason = models.CharField("原因", max_length=300)
    # Where the person belonged at the time: counted there even after a later move.
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="所在党组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="standing_changes",
    )
    party_status = models.CharField(
        "当时政治面貌", max_length=20, choices=PartyStatus.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        "core.User", verbose_name="记录人", null=True, blank=True, on_delete=models.SET_NULL
    )
    recorded_at = models.DateTimeField("记录时间", default=timezone.now)

    objects = StandingChangeQuerySet.as_manager()

    class Meta:
        verbose_name = "党籍变动"
        verbose_name_plural = "党籍变动"
        ordering = ["-effective_on", "-id"]
        indexes = [models.Index(fields=["organisation", "effective_on"])]

    def __str__(self) -> str:
        return f"{self.person} {self.get_cause_display()} {self.effective_on}"


class PositionTitle(models.TextChoices):
    SECRETARY = "secretary", "书记"
    DEPUTY_SECRETARY = "deputy_secretary", "副书记"
    ORGANISATION = "organisation", "组织委员"
    PROPAGANDA = "propaganda", "宣传委员"
    DISCIPLINE = "discipline", "纪检委员"
    COMMITTEE = "committee", "委员"
    GROUP_LEADER = "group_leader", "党小组长"


class PositionQuerySet(ScopedQuerySet):
    def scope_q(self, scope):
        q = in_orgs("organisation", scope.org_paths)
        if scope.person_id:
            q |= models.Q(person_id=scope.person_id)
        return q

    def editable_q(self, scope):
        return in_orgs("organisation", scope.org_paths)

    def current(self, on: date | None = None):
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on).filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=on)
        )


class Position(models.Model):
    """A person's office in an organisation, for a term. Officer titles give scope."""

    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.CASCADE, related_name="positions"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="党组织", on_delete=models.CASCADE, related_name="positions"
    )
    title = models.CharField("职务", max_length=20, choices=PositionTitle.choices)
    starts_on = models.DateField("任职日期")
    ends_on = models.DateField("离任日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = "职务"
        verbose_name_plural = "职务"
        ordering = ["organisation__path", "title", "starts_on"]
        indexes = [models.Index(fields=["person", "ends_on"])]

    def __str__(self) -> str:
        return f"{self.organisation} {self.get_title_display()} {self.person}"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.starts_on <= today and (self.ends_on is None or self.ends_on >= today)


class ImportJob(models.Model):
    """A people import: validated chunk by chunk (progress), then written all at once."""

    class State(models.TextChoices):
        VALIDATING = "validating", "校验中"
        INVALID = "invalid", "校验未通过"
        IMPORTING = "importing", "导入中"
        DONE = "done", "已导入"

    created_by = models.ForeignKey("core.User", on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=200)
    state = models.CharField(max_length=20, choices=State.choices, default=State.VALIDATING)
    total_rows = models.PositiveIntegerField(default=0)
    validated_rows = models.PositiveIntegerField(default=0)
    imported_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = "导入任务"
        verbose_name_plural = "导入任务"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name
