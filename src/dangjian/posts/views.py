"""Screens of 设岗定责 / 亮岗履职: catalogue, posts and their six steps, commitments, duty records,
checks, summaries and the seeds' forms. Thin: scope, validate, call a service, render."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from dangjian.core.audit import events_for
from dangjian.core.export import PersonalDataAudit, render_print, xlsx_response, xlsx_table
from dangjian.core.pagination import request_page
from dangjian.core.scoping import get_for_user, scope_for
from dangjian.core.web import editable_or_403, officer_required, submit
from dangjian.org.models import Organisation, OrgKind, Person
from dangjian.posts import forms, selectors, services
from dangjian.posts.models import (
    Commitment,
    DutyCheck,
    DutyCheckKind,
    DutyRecord,
    DutySummary,
    Post,
    PostState,
    PostType,
    SummaryKind,
)

PAGE_SIZE = 50
STEPS = list(PostState.choices)

REGISTRATION_HEADERS = [
    "序号",
    "党支部",
    "姓名",
    "性别",
    "党员类别（正式/预备）",
    "岗位名称",
    "岗位职责",
    "目标任务",
    "定岗日期",
    "备注",
]
ANNEX2_HEADERS = [
    "序号",
    "姓名",
    "所在党支部",
    "岗位名称",
    "岗位职责",
    "目标任务（承诺事项）",
    "工作进展",
    "考核评议",
    "奖惩结果",
]
DUTY_RECORD_HEADERS = [
    "活动日期",
    "姓名",
    "所在党支部",
    "岗位",
    "地点",
    "履职内容",
    "成效",
    "检查情况",
    "记录时间",
]


def _refused(request, exc, back_url):
    """A refused right: 403 with the rule named, and a way back."""
    message = exc.args[0] if exc.args else "您没有办理该事项的权限。"
    return render(
        request, "core/refused.html", {"message": message, "back_url": back_url}, status=403
    )


def _errors(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def _person_or_none(user):
    if not user.person_id:
        return None
    return Person.objects.select_related("primary_org").filter(pk=user.person_id).first()


def _default_org(user):
    """The top organisation of the user's scope (the committee for the department)."""
    return Organisation.objects.visible_to(user).active().order_by("depth", "path").first()


def _org_year(request):
    org = selectors.visible_org(request.user, request.GET.get("org")) or _default_org(request.user)
    year = selectors.parse_int(
        request.GET.get("year"), default=selectors.this_year(), low=2000, high=2100
    )
    if org is None:
        raise Http404
    return org, year


# --- member home -------------------------------------------------------------------------


@login_required
@require_GET
def my_posts(request):
    """我的岗位: posts I hold, open posts to claim, my commitment, summaries, recent records."""
    person = _person_or_none(request.user)
    year = selectors.parse_int(
        request.GET.get("year"), default=selectors.this_year(), low=2000, high=2100
    )
    context = {"person": person, "year": year}
    if person is not None:
        context.update(selectors.member_home(person, year))
    return render(request, "posts/my_posts.html", context)


# --- catalogue ---------------------------------------------------------------------------


def _can_add_post_type(user) -> bool:
    scope = scope_for(user)
    return scope.everything or (
        Organisation.objects.editable_by(user).filter(kind=OrgKind.GENERAL_BRANCH).exists()
    )


@officer_required
@require_GET
def catalogue(request):
    post_types = list(selectors.catalogue(request.user))
    editable = set(PostType.objects.editable_by(request.user).values_list("pk", flat=True))
    for post_type in post_types:
        post_type.can_edit = post_type.pk in editable
    return render(
        request,
        "posts/catalogue.html",
        {
            "department": [t for t in post_types if t.organisation_id is None],
            "own": [t for t in post_types if t.organisation_id is not None],
            "can_add": _can_add_post_type(request.user),
        },
    )


@officer_required
def post_type_create(request):
    if not _can_add_post_type(request.user):
        raise PermissionDenied("岗位目录由党委组织部和党总支设置。")
    everything = scope_for(request.user).everything
    form = forms.PostTypeForm(request.POST or None, user=request.user, everything=everything)
    if submit(
        request,
        form,
        lambda d: services.post_type_create(actor=request.user, **d),
        "已新增岗位。",
    ):
        return redirect("posts:catalogue")
    return render(request, "posts/form.html", _form_context(form, "新增岗位", "catalogue"))


@officer_required
def post_type_edit(request, pk):
    post_type = editable_or_403(PostType.objects.select_related("organisation"), request.user, pk)
    form = forms.PostTypeForm(
        request.POST or None, instance=post_type, user=request.user, everything=False
    )
    if submit(
        request,
        form,
        lambda d: services.post_type_update(actor=request.user, post_type=post_type, **d),
        "已保存。",
    ):
        return redirect("posts:catalogue")
    context = _form_context(form, f"编辑岗位：{post_type.name}", "catalogue")
    context["events"] = events_for(post_type)
    return render(request, "posts/form.html", context)


@officer_required
@require_POST
def post_type_toggle(request, pk):
    post_type = editable_or_403(PostType.objects.all(), request.user, pk)
    try:
        if request.POST.get("delete"):
            services.post_type_delete(actor=request.user, post_type=post_type)
            messages.success(request, f"已删除岗位“{post_type.name}”。")
        else:
            services.post_type_set_active(
                actor=request.user, post_type=post_type, is_active=not post_type.is_active
            )
            messages.success(
                request,
                f"已{'停用' if post_type.is_active else '启用'}岗位“{post_type.name}”。",
            )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    except PermissionDenied as exc:
        return _refused(request, exc, reverse("posts:catalogue"))
    return redirect("posts:catalogue")


def _form_context(form, title, crumb, **extra):
    crumbs = {
        "catalogue": ("岗位目录", "posts:catalogue"),
        "posts": ("设岗定责", "posts:post_list"),
        "duty": ("履职记实", "posts:duty_record_list"),
        "checks": ("履职检查", "posts:duty_check_list"),
        "commitments": ("党员承诺书", "posts:commitment_list"),
        "summaries": ("履职总结", "posts:summary_list"),
        "mine": ("我的岗位", "posts:my_posts"),
    }
    label, url_name = crumbs[crumb]
    return {
        "form": form,
        "title": title,
        "crumb_label": label,
        "crumb_url": reverse(url_name),
    } | extra


# --- posts -------------------------------------------------------------------------------


@officer_required
@require_GET
def post_list(request):
    qs, filters, org, counts = selectors.posts_for_list(request.user, request.GET)
    page = request_page(request, qs, order=("organisation__path", "id"), size=PAGE_SIZE)
    base = {k: v for k, v in filters.items() if k != "state"}
    return render(
        request,
        "posts/post_list.html",
        {
            "page": page,
            "filters": filters,
            "org": org,
            "base_query": urlencode(filters),
            "state_query": urlencode(base),
            "states": [(value, label, counts.get(value, 0)) for value, label in STEPS],
            "total": sum(counts.values()),
            "org_choices": selectors.org_choices(request.user),
            "post_types": PostType.objects.visible_to(request.user).only("id", "name"),
            "year": selectors.this_year(),
        },
    )


@officer_required
def post_create(request):
    initial = {"year": selectors.this_year()}
    if request.GET.get("org"):
        initial["organisation"] = request.GET["org"]
    form = forms.PostForm(request.POST or None, user=request.user, initial=initial)
    post = submit(
        request,
        form,
        lambda d: services.post_create(actor=request.user, **d),
        "已设岗。",
    )
    if post:
        return redirect("posts:post_detail", post.pk)
    return render(
        request,
        "posts/form.html",
        _form_context(
            form,
            "设岗",
            "posts",
            help="按需设岗：从岗位目录选择岗位，名称、职责和目标任务可按本单位实际修改"
            "（种子文件002 §2）。",
        ),
    )


def _reachable_post(user, pk) -> Post:
    post = (
        selectors.with_post_relations(selectors.reachable_posts(user))
        .select_related("holder__primary_org")
        .filter(pk=pk)
        .first()
    )
    if post is None:
        raise Http404
    return post


@login_required
@require_GET
def post_detail(request, pk):
    post = _reachable_post(request.user, pk)
    officer = services.covers(request.user, post.organisation)
    reached = [value for value, _ in STEPS].index(post.state)
    return render(
        request,
        "posts/post_detail.html",
        {
            "post": post,
            "steps": [(label, i <= reached) for i, (_, label) in enumerate(STEPS)],
            "actions": services.allowed_actions(request.user, post),
            "can_edit": officer and post.state != PostState.EVALUATED,
            "can_delete": officer and post.state == PostState.SET,
            "officer": officer,
            "records": post.duty_records.select_related("person").order_by("-occurred_on", "-id")[
                :10
            ]
            if officer or post.holder_id == request.user.person_id
            else [],
            "events": events_for(post)
            if officer or post.holder_id == request.user.person_id
            else [],
        },
    )


@officer_required
def post_edit(request, pk):
    post = editable_or_403(selectors.with_post_relations(Post.objects), request.user, pk)
    form = forms.PostEditForm(request.POST or None, instance=post)
    if submit(
        request,
        form,
        lambda d: services.post_update(actor=request.user, post=post, **d),
        "已保存。",
    ):
        return redirect("posts:post_detail", post.pk)
    return render(
        request, "posts/form.html", _form_context(form, f"编辑岗位：{post.name}", "posts", obj=post)
    )


ACTIONS = {
    "claim": (services.post_claim, "已认岗，等待党总支定岗。"),
    "release": (services.post_release, "已退岗，岗位恢复为“设岗”。"),
    "confirm": (services.post_confirm, "已定岗。"),
    "publish": (services.post_publish, "已明岗公示。"),
    "perform": (services.post_perform, "已开始履岗。"),
    "delete": (services.post_delete, "已删除岗位。"),
}


@login_required
@require_POST
def post_action(request, pk, action):
    """One step of the six (认岗, 退岗, 定岗, 明岗, 履岗) or deleting a 设岗 post."""
    if action not in ACTIONS:
        raise Http404
    post = _reachable_post(request.user, pk)
    call, message = ACTIONS[action]
    detail = reverse("posts:post_detail", args=[post.pk])
    try:
        call(actor=request.user, post=post)
    except PermissionDenied as exc:
        return _refused(request, exc, detail)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect(detail)
    messages.success(request, message)
    if action == "delete":
        return redirect("posts:post_list")
    if action == "claim" or (
        action == "release" and not services.covers(request.user, post.organisation)
    ):
        return redirect("posts:my_posts")
    return redirect(detail)


@officer_required
def post_assign(request, pk):
    post = editable_or_403(selectors.with_post_relations(Post.objects), request.user, pk)
    form = forms.AssignForm(request.POST or None, post=post, user=request.user)
    try:
        done = submit(
            request,
            form,
            lambda d: services.post_assign(actor=request.user, post=post, **d),
            "已安排上岗，等待党总支定岗。",
        )
    except PermissionDenied as exc:
        return _refused(request, exc, reverse("posts:post_detail", args=[post.pk]))
    if done:
        return redirect("posts:post_detail", post.pk)
    return render(
        request,
        "posts/form.html",
        _form_context(
            form,
            f"安排上岗：{post.name}",
            "posts",
            obj=post,
            help="因人择岗：选择本组织（含下级）的党员。",
        ),
    )


@officer_required
def post_evaluate(request, pk):
    post = editable_or_403(selectors.with_post_relations(Post.objects), request.user, pk)
    form = forms.EvaluateForm(request.POST or None)
    try:
        done = submit(
            request,
            form,
            lambda d: services.post_evaluate(actor=request.user, post=post, **d),
            "已评岗。",
        )
    except PermissionDenied as exc:
        return _refused(request, exc, reverse("posts:post_detail", args=[post.pk]))
    if done:
        return redirect("posts:post_detail", post.pk)
    return render(
        request,
        "posts/form.html",
        _form_context(
            form,
            f"评岗：{post.name}（{post.holder}）",
            "posts",
            obj=post,
            help="个人述岗自评、群众民意测评、党支部综合评定相结合；"
            "90分以上为优秀，80分以上为称职，60-79分为基本称职，60分以下为不称职"
            "（种子文件000 §五(二)5）。",
        ),
    )


@officer_required
def post_rollover(request):
    form = forms.RolloverForm(
        request.POST or None,
        user=request.user,
        initial={"year": selectors.this_year(), "organisation": request.GET.get("org")},
    )
    created = submit(
        request,
        form,
        lambda d: services.post_rollover(actor=request.user, **d),
        "已按上年设岗，请检查后由党员认岗。",
    )
    if created:
        return redirect(
            reverse("posts:post_list")
            + "?"
            + urlencode({"org": created[0].organisation_id, "year": created[0].year})
        )
    return render(
        request,
        "posts/form.html",
        _form_context(
            form,
            "按上年设岗",
            "posts",
            help="复制上一年度本组织的岗位到新年度，状态为“设岗”，不带履岗人"
            "（避免一岗定终身，种子文件002 §2）。",
        ),
    )


# --- 党员定岗情况登记表 and annex 2 ------------------------------------------------------


@officer_required
@require_GET
def registration(request):
    org, year = _org_year(request)
    rows = list(selectors.registration_rows(request.user, org, year))
    return render_print(
        request,
        "posts/registration_print.html",
        {
            "org": org,
            "year": year,
            "rows": rows,
            "query": urlencode({"org": org.pk, "year": year}),
            "org_choices": selectors.org_choices(request.user),
        },
        label=f"{org.name}{year}年度党员定岗情况登记表",
        rows=len(rows),
    )


@officer_required
@require_GET
def registration_xlsx(request):
    org, year = _org_year(request)
    rows = (
        [
            r["index"],
            r["branch"],
            r["name"],
            r["gender"],
            r["status"],
            r["post"],
            r["duties"],
            r["targets"],
            r["confirmed_on"],
            r["note"],
        ]
        for r in selectors.registration_rows(request.user, org, year)
    )
    audit = PersonalDataAudit(request, f"{org.name}{year}年度党员定岗情况登记表")
    content = xlsx_table(
        sheet="党员定岗情况登记表",
        headers=REGISTRATION_HEADERS,
        rows=audit.count(rows),
        title=f"{org.name}{year}年度党员定岗情况登记表",
        widths=[6, 18, 10, 6, 12, 14, 40, 40, 12, 12],
    )
    return xlsx_response(content, f"{org.name}{year}年度党员定岗情况登记表.xlsx", audit=audit)


@officer_required
@require_GET
def annex2(request):
    org, year = _org_year(request)
    rows = list(selectors.annex2_rows(request.user, org, year))
    return render_print(
        request,
        "posts/annex2_print.html",
        {
            "org": org,
            "year": year,
            "rows": rows,
            "query": urlencode({"org": org.pk, "year": year}),
            "org_choices": selectors.org_choices(request.user),
        },
        label=f"{org.name}{year}年度党员亮岗履职一览表",
        rows=len(rows),
    )


@officer_required
@require_GET
def annex2_xlsx(request):
    org, year = _org_year(request)
    keys = ["index", "name", "branch", "post", "duties", "targets", "progress", "review", "reward"]
    rows = ([r[k] for k in keys] for r in selectors.annex2_rows(request.user, org, year))
    audit = PersonalDataAudit(
        request, f"学校实行“168”机制{year}年度党员亮岗履职一览表（{org.name}）"
    )
    content = xlsx_table(
        sheet="亮岗履职一览表",
        headers=ANNEX2_HEADERS,
        rows=audit.count(rows),
        title=f"学校实行“168”机制{year}年度党员亮岗履职一览表（{org.name}）",
        widths=[6, 10, 18, 14, 36, 36, 30, 24, 16],
    )
    return xlsx_response(content, f"{org.name}{year}年度党员亮岗履职一览表.xlsx", audit=audit)


# --- commitments -------------------------------------------------------------------------


@officer_required
@require_GET
def commitment_list(request):
    qs, filters, org = selectors.commitments_for_list(request.user, request.GET)
    page = request_page(request, qs, order=("id",), size=PAGE_SIZE)
    return render(
        request,
        "posts/commitment_list.html",
        {
            "page": page,
            "filters": filters,
            "org": org,
            "base_query": urlencode(filters),
            "org_choices": selectors.org_choices(request.user),
        },
    )


@login_required
def commitment_mine(request):
    """The member writes (or edits) their commitment letter for the year."""
    person = _person_or_none(request.user)
    if person is None or not person.is_member:
        raise PermissionDenied("只有党员（正式或预备）填写党员岗位责任承诺书。")
    year = selectors.parse_int(
        request.GET.get("year"), default=selectors.this_year(), low=2000, high=2100
    )
    existing = Commitment.objects.filter(person=person, year=year).first()
    if existing is not None and request.method == "GET":
        if existing.published_on:
            return redirect("posts:commitment_detail", existing.pk)
        return redirect("posts:commitment_edit", existing.pk)
    form = forms.CommitmentForm(request.POST or None, initial={"year": year})
    commitment = submit(
        request,
        form,
        lambda d: services.commitment_create(actor=request.user, **d),
        "已提交承诺书。",
    )
    if commitment:
        return redirect("posts:commitment_detail", commitment.pk)
    return render(
        request,
        "posts/form.html",
        _form_context(
            form,
            "填写党员岗位责任承诺书",
            "mine",
            help="在思想政治、履行岗位职责、服务发展、结对帮带帮扶、廉政建设、参加组织生活等方面"
            "向所在支部作出承诺（种子文件002 §二3）。每人每年一份。",
        ),
    )


def _own_commitment(user, pk) -> Commitment:
    commitment = get_for_user(Commitment.objects.select_related("person"), user, pk=pk)
    if commitment.person_id != user.person_id:
        raise PermissionDenied("只能修改本人的承诺书。")
    return commitment


@login_required
def commitment_edit(request, pk):
    commitment = _own_commitment(request.user, pk)
    form = forms.CommitmentForm(request.POST or None, instance=commitment)
    if submit(
        request,
        form,
        lambda d: services.commitment_update(actor=request.user, commitment=commitment, **d),
        "已保存。",
    ):
        return redirect("posts:commitment_detail", commitment.pk)
    return render(
        request,
        "posts/form.html",
        _form_context(form, f"修改{commitment.year}年度承诺书", "mine", obj=commitment),
    )


@login_required
def commitment_detail(request, pk):
    commitment = get_for_user(
        Commitment.objects.select_related("person", "organisation"), request.user, pk=pk
    )
    own = commitment.person_id == request.user.person_id
    officer = services.covers(request.user, commitment.organisation)
    form = forms.ProgressForm(request.POST or None) if own else None
    if form is not None and submit(
        request,
        form,
        lambda d: services.commitment_progress_add(actor=request.user, commitment=commitment, **d),
        "已记录践诺情况。",
    ):
        return redirect("posts:commitment_detail", commitment.pk)
    if request.method == "POST" and form is None:
        raise PermissionDenied("只能为本人的承诺书填写践诺情况。")
    return render(
        request,
        "posts/commitment_detail.html",
        {
            "c": commitment,
            "own": own,
            "officer": officer,
            "form": form,
            "updates": commitment.updates.all(),
            "events": events_for(commitment) if officer or own else [],
        },
    )


@officer_required
@require_POST
def commitment_publish(request, pk):
    commitment = editable_or_403(
        Commitment.objects.select_related("organisation"), request.user, pk
    )
    try:
        services.commitment_publish(actor=request.user, commitment=commitment)
        messages.success(request, "已公开承诺书。")
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("posts:commitment_detail", commitment.pk)


@login_required
@require_GET
def commitment_print(request, pk):
    commitment = get_for_user(
        Commitment.objects.select_related("person", "organisation"), request.user, pk=pk
    )
    return render_print(
        request,
        "posts/commitment_print.html",
        {"c": commitment},
        label=f"党员承诺书（{commitment.person}）",
        rows=1,
    )


# --- duty records ------------------------------------------------------------------------


def _member_person(user) -> Person:
    person = _person_or_none(user)
    if person is None or not person.is_member:
        raise PermissionDenied("只有党员（正式或预备）记录履职情况。")
    return person


@login_required
def duty_record_create(request):
    """履职记实 from a phone or a desk (single column, big inputs)."""
    person = _member_person(request.user)
    initial = {"occurred_on": timezone.localdate()}
    if request.GET.get("post"):
        initial["post"] = request.GET["post"]
    form = forms.DutyRecordForm(
        request.POST or None, request.FILES or None, person=person, initial=initial
    )
    if submit(
        request,
        form,
        lambda d: services.duty_record_create(actor=request.user, **d),
        "已记录履职情况。",
    ):
        if request.POST.get("again"):
            return redirect("posts:duty_record_create")
        return redirect("posts:duty_record_mine")
    return render(request, "posts/duty_record_form.html", {"form": form, "title": "记录履职情况"})


@login_required
@require_GET
def duty_record_mine(request):
    person = _member_person(request.user)
    page = request_page(
        request,
        DutyRecord.objects.filter(person=person).select_related("post", "duty_check"),
        order=("-occurred_on", "-id"),
        size=20,
    )
    return render(request, "posts/duty_record_mine.html", {"page": page, "base_query": ""})


def _own_record(user, pk) -> DutyRecord:
    record = get_for_user(DutyRecord.objects.select_related("post"), user, pk=pk)
    if record.person_id != user.person_id:
        raise PermissionDenied("只能修改本人的履职记实。")
    return record


@login_required
def duty_record_edit(request, pk):
    record = _own_record(request.user, pk)
    person = _member_person(request.user)
    if record.duty_check_id:
        messages.error(request, "该记录已经党支部检查，不能再修改。")
        return redirect("posts:duty_record_mine")
    form = forms.DutyRecordForm(
        request.POST or None, request.FILES or None, instance=record, person=person
    )
    if submit(
        request,
        form,
        lambda d: services.duty_record_update(actor=request.user, record=record, **d),
        "已保存。",
    ):
        return redirect("posts:duty_record_mine")
    return render(
        request,
        "posts/duty_record_form.html",
        {"form": form, "title": "修改履职记实", "record": record},
    )


@login_required
@require_POST
def duty_record_delete(request, pk):
    record = _own_record(request.user, pk)
    try:
        services.duty_record_delete(actor=request.user, record=record)
        messages.success(request, "已删除。")
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("posts:duty_record_mine")


@officer_required
@require_GET
def duty_record_list(request):
    qs, filters, org = selectors.duty_records_for_list(request.user, request.GET)
    page = request_page(request, qs, order=("-occurred_on", "-id"), size=PAGE_SIZE)
    return render(
        request,
        "posts/duty_record_list.html",
        {
            "page": page,
            "filters": filters,
            "org": org,
            "base_query": urlencode(filters),
            "org_choices": selectors.org_choices(request.user),
            "this_month": selectors.month_value(timezone.localdate()),
        },
    )


@officer_required
@require_GET
def duty_record_export(request):
    qs, filters, org = selectors.duty_records_for_list(request.user, request.GET)
    rows = (
        [
            r.occurred_on,
            r.person.name,
            r.organisation.name,
            r.post.name if r.post_id else "",
            r.place,
            r.content,
            r.effect,
            "已检查" if r.duty_check_id else "未检查",
            timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
        ]
        for r in qs.order_by("-occurred_on", "-id").iterator(chunk_size=2000)
    )
    audit = PersonalDataAudit(request, "党员履行岗位职责记实" + (f"（{org.name}）" if org else ""))
    content = xlsx_table(
        sheet="履职记实",
        headers=DUTY_RECORD_HEADERS,
        rows=audit.count(rows),
        title="党员履行岗位职责记实" + (f"（{org.name}）" if org else ""),
        widths=[12, 10, 18, 14, 16, 40, 30, 10, 16],
    )
    return xlsx_response(content, "党员履职记实.xlsx", audit=audit)


# --- duty checks -------------------------------------------------------------------------


@officer_required
@require_GET
def duty_check_list(request):
    qs, filters, org = selectors.checks_for_list(request.user, request.GET)
    page = request_page(request, qs, order=("-period_end", "-id"), size=PAGE_SIZE)
    editable = set(
        Organisation.objects.editable_by(request.user)
        .filter(pk__in={c.organisation_id for c in page.rows})
        .values_list("pk", flat=True)
    )
    quarterly = services.can_check_quarterly(request.user)
    for check in page.rows:
        check.can_circulate = not check.circulated_on and (
            check.organisation_id in editable and (check.kind == DutyCheckKind.MONTHLY or quarterly)
        )
    return render(
        request,
        "posts/duty_check_list.html",
        {
            "page": page,
            "filters": filters,
            "org": org,
            "base_query": urlencode(filters),
            "org_choices": selectors.org_choices(request.user),
            "can_quarterly": quarterly,
        },
    )


@officer_required
def duty_check_create(request):
    """党支部书记按月检查本支部党员履职情况记录 (seed 000 §五(二)4)."""
    today = timezone.localdate()
    initial = {"month": selectors.month_value(today)}
    if request.GET.get("org"):
        initial["organisation"] = request.GET["org"]
    form = forms.MonthlyCheckForm(request.POST or None, user=request.user, initial=initial)

    def call(d):
        year, month = d.pop("month")
        return services.duty_check_monthly(actor=request.user, year=year, month=month, **d)

    check = submit(request, form, call, "已登记月检查，该月记录已标记为“已检查”。")
    if check:
        return redirect(reverse("posts:duty_check_list"))
    return render(
        request,
        "posts/form.html",
        _form_context(
            form,
            "登记月检查",
            "checks",
            help="党支部书记按月检查本支部党员履职情况记录本；登记后该支部该月尚未检查的记录标记为“已检查”。",
        ),
    )


@officer_required
def duty_check_quarterly(request):
    if not services.can_check_quarterly(request.user):
        raise PermissionDenied(services.rules.QUARTERLY_REFUSED)
    today = timezone.localdate()
    form = forms.QuarterlyCheckForm(
        request.POST or None,
        user=request.user,
        initial={"year": today.year, "quarter": services.rules.quarter_of(today)},
    )
    try:
        check = submit(
            request,
            form,
            lambda d: services.duty_check_quarterly(actor=request.user, **d),
            "已登记季度检查。",
        )
    except PermissionDenied as exc:
        return _refused(request, exc, reverse("posts:duty_check_list"))
    if check:
        return redirect("posts:duty_check_list")
    return render(
        request,
        "posts/form.html",
        _form_context(
            form,
            "登记季度检查",
            "checks",
            help="党委组织部按季度检查各党总支党员履职情况记录本，并对检查情况进行通报。",
        ),
    )


@officer_required
@require_POST
def duty_check_circulate(request, pk):
    check = get_for_user(DutyCheck.objects.select_related("organisation"), request.user, pk=pk)
    try:
        services.duty_check_circulate(actor=request.user, check=check)
        messages.success(request, "已通报检查情况。")
    except PermissionDenied as exc:
        return _refused(request, exc, reverse("posts:duty_check_list"))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("posts:duty_check_list")


# --- summaries ---------------------------------------------------------------------------


@officer_required
@require_GET
def summary_list(request):
    """Who has handed in the semester summary, and the organisations' annual summaries."""
    org, year = _org_year(request)
    semester = selectors.parse_int(request.GET.get("semester"), default=1, low=1, high=2)
    show = request.GET.get("show", "missing")
    people = selectors.semester_status(request.user, org, year, semester)
    base = {"org": org.pk, "year": year, "semester": semester}
    missing = people.filter(submitted=False).count()
    total = people.count()
    if show == "missing":
        people = people.filter(submitted=False)
    page = request_page(request, people, order=("name", "id"), size=PAGE_SIZE)
    return render(
        request,
        "posts/summary_list.html",
        {
            "org": org,
            "year": year,
            "semester": semester,
            "show": show,
            "page": page,
            "missing": missing,
            "total": total,
            "base_query": urlencode(base | {"show": show}),
            "filter_query": urlencode(base),
            "org_summaries": selectors.org_summaries(request.user, org, year),
            "org_choices": selectors.org_choices(request.user),
        },
    )


@login_required
def summary_mine(request):
    """The member's semester-end duty summary (one per semester)."""
    _member_person(request.user)
    today = timezone.localdate()
    form = forms.MemberSummaryForm(
        request.POST or None,
        initial={"year": today.year, "semester": 1 if today.month < 8 else 2},
    )
    summary = submit(
        request,
        form,
        lambda d: services.summary_member_create(actor=request.user, **d),
        "已提交履职小结。",
    )
    if summary:
        return redirect("posts:summary_detail", summary.pk)
    return render(
        request,
        "posts/form.html",
        _form_context(
            form,
            "提交学期履职小结",
            "mine",
            help="每个党员在学期末写一篇“履职”情况个人小结交到党支部（种子文件000 §五(二)4）。",
        ),
    )


@officer_required
def summary_org_create(request):
    initial = {"year": selectors.this_year()}
    if request.GET.get("org"):
        initial["organisation"] = request.GET["org"]
    form = forms.OrgSummaryForm(request.POST or None, user=request.user, initial=initial)
    summary = submit(
        request,
        form,
        lambda d: services.summary_org_create(actor=request.user, **d),
        "已提交年度亮岗履职工作总结。",
    )
    if summary:
        return redirect("posts:summary_detail", summary.pk)
    return render(
        request,
        "posts/form.html",
        _form_context(
            form,
            "提交年度亮岗履职工作总结",
            "summaries",
            help="党支部的年度“亮岗履职”工作总结上交党总支，党总支的总结上交党委组织部。",
        ),
    )


def _summary_editable(user, summary) -> bool:
    if summary.kind == SummaryKind.MEMBER_SEMESTER:
        return summary.person_id == user.person_id
    return services.covers(user, summary.organisation)


@login_required
def summary_detail(request, pk):
    summary = get_for_user(
        DutySummary.objects.select_related("organisation", "person"), request.user, pk=pk
    )
    can_edit = _summary_editable(request.user, summary)
    form = forms.SummaryEditForm(request.POST or None, initial={"content": summary.content})
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("只能修改本人的小结或本组织的总结。")
        if submit(
            request,
            form,
            lambda d: services.summary_update(actor=request.user, summary=summary, **d),
            "已保存。",
        ):
            return redirect("posts:summary_detail", summary.pk)
    return render(
        request,
        "posts/summary_detail.html",
        {
            "s": summary,
            "form": form if can_edit else None,
            "events": events_for(summary),
            "officer": scope_for(request.user).is_officer,
        },
    )
