"""Forms of the development pipeline: one per transition, named by the service's verb."""

from django import forms
from django.utils import timezone

from dangjian.core import uploads
from dangjian.core.text_limits import TEXT_LONG
from dangjian.development.models import CaseStatus, ReportKind, Stage, StageDefinition
from dangjian.org import widgets
from dangjian.org.forms import DATE, BootstrapMixin
from dangjian.org.models import PartyStatus, Person

TEXT = forms.Textarea(attrs={"rows": 2})


def _date(label, **kwargs):
    return forms.DateField(label=label, widget=DATE, initial=timezone.localdate, **kwargs)


def _note():
    return forms.CharField(label="说明", required=False, widget=TEXT)


def _document():
    return uploads.UploadField(label="材料", required=False, area="development")


def _full_members(user):
    return (
        Person.objects.visible_to(user)
        .filter(party_status=PartyStatus.FULL, is_active=True)
        .select_related("primary_org")
        .order_by("primary_org__path", "name", "id")
    )


class _PersonChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.primary_org.name if obj.primary_org else '—'}）"


class _OnePersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.primary_org.name if obj.primary_org else '—'}）"


class StepForm(BootstrapMixin, forms.Form):
    """A step done on a date, with a note and a document."""

    on = _date("日期")
    note = _note()
    document = _document()

    def __init__(self, *args, user=None, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.case = case


class ActivistForm(StepForm):
    on = _date("确定为入党积极分子日期")


class CandidateForm(StepForm):
    on = _date("确定为培养考察对象日期")
    exam_passed_on = forms.DateField(label="党校考试合格日期", widget=DATE)
    exam_score = forms.DecimalField(
        label="党校考试成绩", required=False, max_digits=5, decimal_places=1, min_value=0
    )
    field_order = ["exam_passed_on", "exam_score", "on", "note", "document"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An exam the Party school recorded on the case (partyschool) fills the step in.
        if self.case is not None and self.case.exam_passed_on and not self.is_bound:
            self.initial.setdefault("exam_passed_on", self.case.exam_passed_on)
            self.initial.setdefault("exam_score", self.case.exam_score)


class CultivateForm(StepForm):
    on = _date("培养考察开始日期")
    cultivators = _PersonChoice(
        label="培养人", queryset=Person.objects.none(), help_text="至少一名正式党员。"
    )
    document = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cultivators"].queryset = _full_members(self.user)
        widgets.people(self.fields["cultivators"], members_only=True)


class TargetForm(StepForm):
    committee_on = _date("支委会集体讨论评议日期")
    on = _date("确定为发展对象日期")
    sponsors = _PersonChoice(
        label="入党介绍人", queryset=Person.objects.none(), help_text="两名正式党员。"
    )
    field_order = ["committee_on", "on", "sponsors", "note", "document"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sponsors"].queryset = _full_members(self.user)
        widgets.people(self.fields["sponsors"], members_only=True)


class TalkForm(StepForm):
    on = _date("谈话日期")
    talker = _OnePersonChoice(label="谈话人（党总支指派）", queryset=Person.objects.none())
    field_order = ["talker", "on", "note", "document"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["talker"].queryset = _full_members(self.user)
        widgets.people(self.fields["talker"], members_only=True)


class ApproveForm(StepForm):
    on = _date("党总支委员会审批日期")


class ApplyConversionForm(StepForm):
    on = _date("转正申请日期")


class ConversionStepForm(StepForm):
    pass


class ApproveConversionForm(StepForm):
    on = _date("党总支审批日期")


class NoticeForm(BootstrapMixin, forms.Form):
    starts_on = _date("公示开始")
    ends_on = forms.DateField(
        label="公示结束", widget=DATE, required=False, help_text="留空则按规定公示天数自动计算。"
    )
    channel = forms.CharField(label="公示范围", max_length=100, initial="全体师生")

    def __init__(self, *args, user=None, case=None, **kwargs):
        super().__init__(*args, **kwargs)


class VoteForm(BootstrapMixin, forms.Form):
    held_on = _date("支部大会日期")
    should_attend = forms.IntegerField(label="应到会有表决权的正式党员数", min_value=1)
    present = forms.IntegerField(label="实到会有表决权的正式党员数", min_value=0)
    in_favour = forms.IntegerField(label="赞成", min_value=0)
    against = forms.IntegerField(label="反对", min_value=0, initial=0)
    abstained = forms.IntegerField(label="弃权", min_value=0, initial=0)
    note = _note()

    def __init__(self, *args, user=None, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None and not self.is_bound:
            # Those who should attend: the branch's full members (with voting rights), as a
            # starting point the secretary corrects for members who have lost voting rights.
            full = Person.objects.in_subtree(case.organisation).filter(party_status="full")
            self.fields["should_attend"].initial = full.count()
            self.fields[
                "should_attend"
            ].help_text = "已按本支部正式党员人数预填，请扣除停止党籍、受留党察看等无表决权的党员。"


class ExtendForm(BootstrapMixin, forms.Form):
    on = _date("决定日期")
    until = forms.DateField(
        label="延长至", widget=DATE, help_text="延长预备期不能超过一年（自原预备期满之日起）。"
    )
    reason = forms.CharField(label="原因", max_length=200, widget=TEXT)

    def __init__(self, *args, user=None, case=None, **kwargs):
        super().__init__(*args, **kwargs)


class CancelForm(BootstrapMixin, forms.Form):
    on = _date("日期")
    reason = forms.CharField(label="原因", max_length=200, widget=TEXT)

    def __init__(self, *args, user=None, case=None, **kwargs):
        super().__init__(*args, **kwargs)


class ReportForm(StepForm):
    kind = forms.ChoiceField(label="汇报类别", choices=ReportKind.choices)
    submitted_on = _date("汇报日期")
    summary = forms.CharField(label="汇报内容摘要", max_length=TEXT_LONG, widget=TEXT)
    on = None
    note = None
    field_order = ["kind", "submitted_on", "summary", "document"]


class EventForm(StepForm):
    stage = forms.TypedChoiceField(label="步骤", choices=Stage.choices, coerce=int)
    happened_on = _date("日期")
    title = forms.CharField(label="事项（材料名称）", max_length=120)
    on = None
    field_order = ["stage", "happened_on", "title", "note", "document"]


class ObjectionForm(BootstrapMixin, forms.Form):
    received_on = _date("收到日期")
    content = forms.CharField(label="反映内容", widget=TEXT)


class ResolveForm(BootstrapMixin, forms.Form):
    resolved_on = _date("处理日期")
    resolution = forms.CharField(label="核查处理结果", widget=TEXT)
    upheld = forms.BooleanField(label="反映属实", required=False)


class CaseCreateForm(BootstrapMixin, forms.Form):
    person = _OnePersonChoice(label="申请人", queryset=Person.objects.none())
    applied_on = forms.DateField(label="递交入党申请书日期", widget=DATE)
    note = _note()
    document = _document()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            Person.objects.editable_by(user)
            .filter(
                party_status__in=[PartyStatus.MASSES, PartyStatus.APPLICANT],
                is_active=True,
                primary_org__isnull=False,
            )
            .exclude(
                development_cases__status__in=[
                    CaseStatus.ACTIVE,
                    CaseStatus.PROBATION,
                    CaseStatus.EXTENDED,
                ]
            )
            .select_related("primary_org")
            .order_by("primary_org__path", "name", "id")
        )
        widgets.people(self.fields["person"])


class StageDefinitionForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = StageDefinition
        fields = ["name", "description", "documents"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "documents": TEXT}
