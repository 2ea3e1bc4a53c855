"""Members' contacts among the masses and the visits of 三联二访 and 两访两创
(《基层组织建设实施意见》§四(二)4(2), §四(四)1; 《组织建设年实施方案》§四(二))."""

from django.db import models

from dangjian.core.text_limits import TEXT_DEFAULT
from dangjian.org.models import Organisation, OrgScopedQuerySet, Person, Unit


class ContactQuerySet(OrgScopedQuerySet):
    person_field = "member"


class Contact(models.Model):
    """One of the 1–3 non-Party people a member keeps in touch with
    (《基层组织建设实施意见》§四(二)4(2))."""

    member = models.ForeignKey(
        Person, verbose_name="党员", on_delete=models.CASCADE, related_name="mass_contacts"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="所在支部",
        on_delete=models.CASCADE,
        related_name="mass_contacts",
    )
    contact = models.ForeignKey(
        Person,
        verbose_name="联系对象（在册人员）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacted_by",
    )
    name = models.CharField("联系对象", max_length=30)
    relation = models.CharField("关系", max_length=30, help_text="如：同事、学生、邻居。")
    since = models.DateField("建立联系日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = "联系群众"
        verbose_name_plural = "联系群众"
        ordering = ["member", "since", "id"]

    def __str__(self) -> str:
        return f"{self.member} → {self.name}"


class VisitKind(models.TextChoices):
    LEADER_COLLEGE = "leader_college", "校领导深入联系的二级学院"
    LEADER_CLASS = "leader_class", "二级学院领导深入联系的班级"
    TEACHER_DORM = "teacher_dorm", "党员教师走访联系学生宿舍"
    LEADER_POINT = "leader_point", "领导班子成员联系点"
    HOME_VISIT = "home_visit", "家访"
    CADRE_TEACHER = "cadre_teacher", "干部访谈教师"
    TEACHER_STUDENT = "teacher_student", "教师访谈学生"
    FOLLOW_UP = "follow_up", "回访"


class LinkQuerySet(OrgScopedQuerySet):
    person_field = "visitor"


class Link(models.Model):
    """A standing link of 三联二访: a school leader to a college, a college leader to a class,
    a member teacher to students' dormitories — the visits it requires follow from its kind."""

    visitor = models.ForeignKey(
        Person, verbose_name="联系人", on_delete=models.CASCADE, related_name="outreach_links"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="所在党组织",
        on_delete=models.CASCADE,
        related_name="outreach_links",
    )
    kind = models.CharField("联系类别", max_length=20, choices=VisitKind.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name="联系的学院或班级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outreach_links",
    )
    target = models.CharField(
        "联系对象", max_length=100, blank=True, help_text="如：3号楼学生宿舍。"
    )
    since = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)

    objects = LinkQuerySet.as_manager()

    class Meta:
        verbose_name = "联系点"
        verbose_name_plural = "联系点"
        ordering = ["visitor", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.visitor} · {self.get_kind_display()}"


class FocusGroup(models.TextChoices):
    NONE = "", "—"
    YOUNG_TEACHER = "young_teacher", "青年教师"
    TALENT = "talent", "高层次人才"
    DEMOCRATIC_PARTY = "democratic_party", "民主党派人士"
    FAMILY_DIFFICULTY = "family_difficulty", "家庭困难教职工"
    FRESHMAN = "freshman", "新生"
    ACADEMIC = "academic", "学业困难学生"
    FINANCIAL = "financial", "生活困难学生"
    PSYCHOLOGICAL = "psychological", "心理困惑学生"
    STUDENT_CADRE = "student_cadre", "学生干部"


class VisitMethod(models.TextChoices):
    FACE = "face", "面对面"
    PHONE = "phone", "电话"
    EMAIL = "email", "电子邮件"
    MESSAGING = "messaging", "即时通讯"


class VisitQuerySet(OrgScopedQuerySet):
    person_field = "visitor"


class Visit(models.Model):
    """One visit or interview (《组织建设年实施方案》§四(二) 两访两创;
    《基层组织建设实施意见》§四(四)1 三联二访)."""

    visitor = models.ForeignKey(
        Person, verbose_name="走访人", on_delete=models.CASCADE, related_name="visits"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="所在党组织", on_delete=models.CASCADE, related_name="visits"
    )
    kind = models.CharField("走访类别", max_length=20, choices=VisitKind.choices)
    link = models.ForeignKey(
        Link,
        verbose_name="联系点",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
    )
    visited_on = models.DateField("日期", db_index=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name="走访单位（学院、班级）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    interviewee = models.CharField("访谈对象", max_length=100, blank=True)
    focus_group = models.CharField(
        "重点群体", max_length=20, choices=FocusGroup.choices, blank=True, default=""
    )
    method = models.CharField(
        "方式", max_length=10, choices=VisitMethod.choices, default=VisitMethod.FACE
    )
    content = models.TextField("走访内容及成效", max_length=TEXT_DEFAULT)
    needs_follow_up = models.BooleanField("需要回访", default=False)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = "走访记录"
        verbose_name_plural = "走访记录"
        ordering = ["-visited_on", "-id"]
        indexes = [
            models.Index(fields=["visitor", "visited_on"]),
            # The list's keyset order (core.pagination compares (visited_on, id) rows).
            models.Index(fields=["visited_on", "id"], name="visit_visited_on_id"),
        ]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.get_kind_display()}"
