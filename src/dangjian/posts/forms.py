from django import forms
from django.utils import timezone

from dangjian.core.text_limits import TEXT_LONG
from dangjian.org import widgets
from dangjian.org.forms import DATE, BootstrapMixin
from dangjian.org.models import Organisation, OrgKind, Person
from dangjian.org.rules import MEMBER_STATUSES
from dangjian.posts import selectors
from dangjian.posts.models import (
    Commitment,
    DutyRecord,
    Post,
    PostGrade,
    PostState,
    PostType,
)

TEXT = forms.Textarea(attrs={"rows": 3})


def _year_field(**kwargs):
    return forms.IntegerField(
        label="年度", min_value=2000, max_value=2100, initial=selectors.this_year, **kwargs
    )


def _org_field(label, queryset):
    field = forms.ModelChoiceField(label=label, queryset=queryset)
    field.label_from_instance = lambda o: ("　" * max(o.depth - 2, 0)) + o.name
    return field


class PostTypeForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = PostType
        fields = ["organisation", "name", "audience", "duties", "annual_tasks", "display_order"]
        widgets = {"duties": TEXT, "annual_tasks": TEXT}

    def __init__(self, *args, user, everything: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["organisation"]
            return
        queryset = (
            Organisation.objects.visible_to(user).active().filter(kind=OrgKind.GENERAL_BRANCH)
        )
        field = self.fields["organisation"]
        field.queryset = queryset
        field.required = not everything
        field.empty_label = "组织部示范岗位（全校通用）" if everything else None
        field.help_text = (
            "党总支可依照学校拟定的岗位，另外创设本单位岗位（《168模式实施意见》§五(二)1）。"
        )


class PostForm(BootstrapMixin, forms.Form):
    organisation = forms.ModelChoiceField(label="设岗党组织", queryset=Organisation.objects.none())
    year = _year_field()
    post_type = forms.ModelChoiceField(label="岗位（岗位目录）", queryset=PostType.objects.none())
    name = forms.CharField(
        label="岗位名称", max_length=40, required=False, help_text="留空则使用目录中的名称。"
    )
    duties = forms.CharField(
        label="岗位职责",
        widget=TEXT,
        required=False,
        help_text="留空则复制目录中的职责；一岗可有多项职责，每行一项。",
    )
    targets = forms.CharField(
        label="目标任务", widget=TEXT, required=False, help_text="留空则复制目录中的年度任务。"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            Organisation.objects.editable_by(user)
            .active()
            .filter(kind__in=[OrgKind.BRANCH, OrgKind.GENERAL_BRANCH])
        )
        widgets.organisations(self.fields["organisation"], (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH))
        self.fields["organisation"].label_from_instance = lambda o: o.name
        self.fields["post_type"].queryset = PostType.objects.visible_to(user).active()


class PostEditForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Post
        fields = ["name", "duties", "targets", "progress"]
        widgets = {"duties": TEXT, "targets": TEXT, "progress": TEXT}


class AssignForm(BootstrapMixin, forms.Form):
    holder = forms.ModelChoiceField(label="履岗党员", queryset=Person.objects.none())

    def __init__(self, *args, post: Post, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = (
            Person.objects.visible_to(user)
            .in_subtree(post.organisation)
            .filter(is_active=True, party_status__in=MEMBER_STATUSES)
            .select_related("primary_org")
            .order_by("name", "id")
        )
        self.fields["holder"].label_from_instance = lambda p: f"{p.name}（{p.primary_org}）"


class EvaluateForm(BootstrapMixin, forms.Form):
    score = forms.DecimalField(
        label="考评分数",
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=1,
        help_text="可选：90分以上为优秀，80分以上为称职，60-79分为基本称职，60分以下为不称职。",
    )
    grade = forms.ChoiceField(
        label="考评等次",
        required=False,
        choices=[("", "按分数确定"), *PostGrade.choices],
    )
    evaluation = forms.CharField(label="考核评议", widget=TEXT)
    reward = forms.CharField(label="奖惩结果", max_length=200, required=False)
    evaluated_on = forms.DateField(label="评岗日期", widget=DATE, required=False)


class RolloverForm(BootstrapMixin, forms.Form):
    organisation = forms.ModelChoiceField(label="党组织", queryset=Organisation.objects.none())
    year = forms.IntegerField(
        label="新年度", min_value=2001, max_value=2100, help_text="复制上一年度的岗位，不带履岗人。"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            Organisation.objects.editable_by(user)
            .active()
            .filter(kind__in=[OrgKind.BRANCH, OrgKind.GENERAL_BRANCH])
        )
        widgets.organisations(self.fields["organisation"], (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH))
        self.fields["organisation"].label_from_instance = lambda o: o.name


class CommitmentForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Commitment
        fields = ["year", "political", "duties", "development", "pairing", "integrity", "org_life"]
        widgets = {
            name: TEXT
            for name in ["political", "duties", "development", "pairing", "integrity", "org_life"]
        }
        help_texts = {
            "political": "如：认真学习党的理论，坚定理想信念……",
            "duties": "对照所担任的岗位职责和目标任务作出承诺。",
            "development": "立足本职，服务学校发展、服务师生。",
            "pairing": "结对帮带帮扶的对象和措施。",
            "integrity": "遵守廉洁自律规定。",
            "org_life": "按时参加“三会一课”、主题党日等组织生活。",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["year"]

    def validate_unique(self):
        pass  # the service says it in Chinese


class ProgressForm(BootstrapMixin, forms.Form):
    reported_on = forms.DateField(label="日期", widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label="践诺情况", widget=TEXT)


class DutyRecordForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = DutyRecord
        fields = ["occurred_on", "place", "content", "effect", "post", "attachment"]
        widgets = {
            "occurred_on": DATE,
            "content": forms.Textarea(attrs={"rows": 4}),
            "effect": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = Post.objects.filter(
            holder=person,
            state__in=[
                PostState.CONFIRMED,
                PostState.PUBLISHED,
                PostState.PERFORMING,
            ],
        ).order_by("-year", "id")
        self.fields["post"].empty_label = "（不关联岗位）"
        posts = list(self.fields["post"].queryset[:2])
        if not self.is_bound and self.instance.pk is None and len(posts) == 1:
            self.initial.setdefault("post", posts[0].pk)  # the member's only post
        self.fields["post"].label_from_instance = lambda p: f"{p.year} {p.name}"
        self.fields["occurred_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        for field in self.fields.values():
            field.widget.attrs["class"] = field.widget.attrs.get("class", "") + " form-control-lg"
        self.fields["post"].widget.attrs["class"] = "form-select form-select-lg"


class MonthlyCheckForm(BootstrapMixin, forms.Form):
    organisation = forms.ModelChoiceField(label="党支部", queryset=Organisation.objects.none())
    month = forms.CharField(
        label="检查月份",
        widget=forms.DateInput(attrs={"type": "month"}),
        help_text="检查该月整月的履职记实，只能选本月或以前的月份。",
    )
    findings = forms.CharField(label="检查情况", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            Organisation.objects.editable_by(user).active().filter(kind=OrgKind.BRANCH)
        )
        widgets.organisations(self.fields["organisation"], (OrgKind.BRANCH,))

    def clean_month(self):
        value = self.cleaned_data["month"].strip()
        year = selectors.parse_int(value[:4], low=2000, high=2100)
        month = selectors.parse_int(value[5:7], low=1, high=12)
        if len(value) != 7 or value[4] != "-" or not year or not month:
            raise forms.ValidationError("请按“2026-03”的格式选择月份。")
        return (year, month)


class QuarterlyCheckForm(BootstrapMixin, forms.Form):
    organisation = forms.ModelChoiceField(label="党总支", queryset=Organisation.objects.none())
    year = _year_field()
    quarter = forms.TypedChoiceField(
        label="季度",
        coerce=int,
        choices=[(1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度")],
    )
    findings = forms.CharField(label="检查情况", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            Organisation.objects.editable_by(user).active().filter(kind=OrgKind.GENERAL_BRANCH)
        )
        widgets.organisations(self.fields["organisation"], (OrgKind.GENERAL_BRANCH,))


class MemberSummaryForm(BootstrapMixin, forms.Form):
    year = _year_field()
    semester = forms.TypedChoiceField(
        label="学期", coerce=int, choices=[(1, "第一学期"), (2, "第二学期")]
    )
    content = forms.CharField(
        label="履职小结", max_length=TEXT_LONG, widget=forms.Textarea(attrs={"rows": 8})
    )


class OrgSummaryForm(BootstrapMixin, forms.Form):
    organisation = forms.ModelChoiceField(label="党组织", queryset=Organisation.objects.none())
    year = _year_field()
    content = forms.CharField(
        label="年度亮岗履职工作总结",
        max_length=TEXT_LONG,
        widget=forms.Textarea(attrs={"rows": 10}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            Organisation.objects.editable_by(user)
            .active()
            .filter(kind__in=[OrgKind.BRANCH, OrgKind.GENERAL_BRANCH])
        )
        widgets.organisations(self.fields["organisation"], (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH))


class SummaryEditForm(BootstrapMixin, forms.Form):
    content = forms.CharField(
        label="总结内容", max_length=TEXT_LONG, widget=forms.Textarea(attrs={"rows": 10})
    )
