"""Forms of the surveys app: the officer's survey form, a batch of links, and the public
answer sheet (one radio group per subject, big touch targets)."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from dangjian.org.forms import DATE, BootstrapMixin
from dangjian.org.models import Organisation, OrgKind, Person
from dangjian.surveys import rules, selectors, services
from dangjian.surveys.models import SurveyKind


def _org_label(org: Organisation) -> str:
    return "　" * max(org.depth - 1, 0) + org.name


class SurveyForm(BootstrapMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label="党组织",
        queryset=Organisation.objects.none(),
        help_text="组织测评的党组织；党员民意测评的对象从该党组织（含下级）的党员中选择。",
    )
    kind = forms.ChoiceField(
        label="测评类型",
        choices=SurveyKind.choices,
        help_text="党员民意测评：群众对每名党员评价优秀/称职/基本称职/不称职；"
        "党支部工作满意度测评：群众评价满意/基本满意/不满意（考核细则第16项）。",
    )
    title = forms.CharField(
        label="标题", max_length=120, help_text="如：机关一支部2026年党员民意测评。"
    )
    instructions = forms.CharField(
        label="填写说明",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="显示在答卷页顶部，例如测评的目的和评价的依据。",
    )
    opens_on = forms.DateField(label="开始日期", widget=DATE)
    closes_on = forms.DateField(label="截止日期", widget=DATE, help_text="截止日期当天仍可提交。")
    min_responses = forms.IntegerField(
        label="最少有效票数",
        min_value=1,
        max_value=rules.MIN_RESPONSES_CEILING,
        help_text="回收票数达到此数后才显示汇总结果，避免从少数答卷推断答卷人；不少于"
        f"{rules.MIN_RESPONSES_FLOOR}票。",
    )
    subjects = forms.ModelMultipleChoiceField(
        label="测评对象",
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="党员民意测评：勾选被测评的党员（默认全选该党组织的党员）；满意度测评不选。",
    )

    def __init__(self, *args, user, org: Organisation | None = None, **kwargs):
        today = timezone.localdate()
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {
            "opens_on": today,
            "closes_on": today + timedelta(days=14),
            "min_responses": selectors.default_min_responses(),
            "kind": SurveyKind.MEMBER_RATING,
            **({"organisation": org.pk} if org else {}),
            **kwargs["initial"],
        }
        super().__init__(*args, **kwargs)
        orgs = Organisation.objects.editable_by(user).active().exclude(kind=OrgKind.GROUP)
        field = self.fields["organisation"]
        field.queryset = orgs
        shown = list(orgs.only("id", "name", "depth", "path")[: selectors.ORG_CHOICE_LIMIT])
        if org is not None and org not in shown:
            shown.append(org)
        field.widget.choices = [("", "请选择党组织"), *((o.pk, _org_label(o)) for o in shown)]
        self.fields["subjects"].queryset = Person.objects.editable_by(user).members()
        self.fields["min_responses"].widget.attrs["min"] = selectors.min_responses_floor()
        self.fields["subjects"].widget.attrs.pop("class", None)


class IssueForm(BootstrapMixin, forms.Form):
    count = forms.IntegerField(
        label="本批链接数",
        min_value=1,
        max_value=services.MAX_TOKENS_PER_BATCH,
        initial=20,
        help_text=f"每个链接只能提交一次答卷；每批1～{services.MAX_TOKENS_PER_BATCH}个。"
        f"有批次少于{rules.MIN_RESPONSES_FLOOR}个链接时，为免推断答卷人，各批回收份数不再分批显示。",
    )


class AnswerForm(forms.Form):
    """The answer sheet: a radio group per subject (or the one satisfaction question) and an
    optional comment. Field names carry only the subject's id."""

    comment = forms.CharField(
        label="意见建议（选填）",
        required=False,
        max_length=rules.COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control form-control-lg"}),
        help_text=f"不超过{rules.COMMENT_MAX_LENGTH}字。请不要填写您的姓名。",
    )

    def __init__(self, *args, kind: str, subjects: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        choices = selectors.rating_choices(kind)
        self.kind = kind
        self.subject_fields: list[tuple[str, int | None, str]] = []
        if kind == SurveyKind.MEMBER_RATING:
            for pk, name in subjects:
                self.subject_fields.append((f"r{pk}", pk, name))
        else:
            self.subject_fields.append(("r", None, "您对党支部工作的总体评价"))
        for name, _pk, label in self.subject_fields:
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": "请选择一项评价。",
                    "invalid_choice": "评价选项无效，请重新选择。",
                },
            )
        self.order_fields([f[0] for f in self.subject_fields] + ["comment"])
        self.fields["comment"].error_messages["max_length"] = (
            f"意见建议不能超过{rules.COMMENT_MAX_LENGTH}字。"
        )

    def rows(self):
        """(bound field, label) of each question, for the template."""
        return [(self[name], label) for name, _pk, label in self.subject_fields]

    def missing(self) -> list[str]:
        """The subjects not rated (names), to say what is missing."""
        return [label for name, _pk, label in self.subject_fields if name in self.errors]

    def ratings(self) -> dict[int | None, str]:
        return {pk: self.cleaned_data[name] for name, pk, _label in self.subject_fields}
