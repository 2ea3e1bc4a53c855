"""Screens of 设岗定责 / 亮岗履职: catalogue, posts and their six steps, commitments, duty records,
checks, summaries and the seeds' forms. Thin: scope, validate, call a service, render."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from dangjian.core import access, batch, documents
from dangjian.core.audit import events_for
from dangjian.core.export import PersonalDataAudit, xlsx_response, xlsx_table
from dangjian.core.pagination import request_page
from dangjian.core.params import parse_int, parse_year
from dangjian.core.scoping import get_for_user, scope_for
from dangjian.core.web import (
    ActionView,
    ServiceFormView,
    editable_or_403,
    officer_required,
    submit,
)
from dangjian.org.models import Organisation, OrgKind, Person
from dangjian.org.widgets import org_picker
from dangjian.posts import exports, forms, permissions, rules, selectors, services
from dangjian.posts.filters import CommitmentFilter, DutyCheckFilter, DutyRecordFilter, PostFilter
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


def _person_or_none(user):
    if not user.person_id:
        return None
    return Person.objects.select_related("primary_org").filter(pk=user.person_id).first()


def _default_org(user):
    """The top organisation of the user's scope (the committee for the department)."""
    return Organisation.objects.visible_to(user).active().order_by("depth", "path").first()


def _org_year(request):
    org = selectors.visible_org(request.user, request.GET.get("org")) or _default_org(request.user)
    year = parse_year(request.GET.get("year"), selectors.this_year())
    if org is None:
        raise Http404
    return org, year


# --- member home -------------------------------------------------------------------------


@login_required
@require_GET
def my_posts(request):
    """我的岗位: posts I hold, open posts to claim, my commitment, summaries, recent records."""
    person = _person_or_none(request.user)
    year = parse_year(request.GET.get("year"), selectors.this_year())
    context = {"person": person, "year": year}
    if person is not None:
        context.update(selectors.member_home(person, year))
    return render(request, "posts/my_posts.html", context)


# --- catalogue ---------------------------------------------------------------------------


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


class FormView(ServiceFormView):
    """A posts form page: breadcrumbs from `crumb`, and the post itself when editing one."""

    crumb = "posts"
    form_user_kwarg = False

    def get_crumbs(self):
        label, url_name = CRUMBS[self.crumb]
        crumbs = [(reverse(url_name), label)]
        if isinstance(self.object, Post):
            crumbs.append((reverse("posts:post_detail", args=[self.object.pk]), self.object.name))
        return crumbs


def _can_add_post_type(user) -> bool:
    scope = scope_for(user)
    return scope.everything or (
        Organisation.objects.editable_by(user).filter(kind=OrgKind.GENERAL_BRANCH).exists()
    )


class PostTypeCreate(FormView):
    form_class = forms.PostTypeForm
    title = "新增岗位"
    crumb = "catalogue"
    success_message = "已新增岗位。"

    def setup_object(self):
        super().setup_object()
        if not _can_add_post_type(self.request.user):
            raise PermissionDenied("岗位目录由党委组织部和党总支设置。")

    def get_form_kwargs(self):
        everything = scope_for(self.request.user).everything
        return super().get_form_kwargs() | {"user": self.request.user, "everything": everything}

    def perform(self, data):
        return services.post_type_create(actor=self.request.user, **data)

    def get_success_url(self, result):
        return reverse("posts:catalogue")


class PostTypeEdit(PostTypeCreate):
    success_message = "已保存。"

    def setup_object(self):
        self.object = editable_or_403(
            PostType.objects.select_related("organisation"), self.request.user, self.kwargs["pk"]
        )

    def get_title(self):
        return f"编辑岗位：{self.object.name}"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"everything": False}

    def perform(self, data):
        return services.post_type_update(actor=self.request.user, post_type=self.object, **data)


class PostTypeToggle(ActionView):
    """停用/启用 a catalogue post, or delete one that was never used."""

    def get_object(self):
        return editable_or_403(PostType.objects.all(), self.request.user, self.kwargs["pk"])

    def perform(self, post_type, data):
        if self.request.POST.get("delete"):
            services.post_type_delete(actor=self.request.user, post_type=post_type)
            self.success_message = f"已删除岗位“{post_type.name}”。"
        else:
            services.post_type_set_active(
                actor=self.request.user, post_type=post_type, is_active=not post_type.is_active
            )
            verb = "停用" if post_type.is_active else "启用"
            self.success_message = f"已{verb}岗位“{post_type.name}”。"

    def get_success_url(self, post_type):
        return reverse("posts:catalogue")


CRUMBS = {
    "catalogue": ("岗位目录", "posts:catalogue"),
    "posts": ("设岗定责", "posts:post_list"),
    "duty": ("履职记实", "posts:duty_record_list"),
    "checks": ("履职检查", "posts:duty_check_list"),
    "commitments": ("党员承诺书", "posts:commitment_list"),
    "summaries": ("履职总结", "posts:summary_list"),
    "mine": ("我的岗位", "posts:my_posts"),
}


# --- posts -------------------------------------------------------------------------------


@officer_required
@require_GET
def post_list(request):
    filters = PostFilter.for_page(request, Post.objects.visible_to(request.user))
    counts = selectors.state_counts(filters.qs_without("state"), request.user)
    qs = selectors.with_post_relations(filters.qs)
    page = request_page(request, qs, order=("organisation__path", "id"), size=PAGE_SIZE)
    return render(
        request,
        "posts/post_list.html",
        {
            **_list_context(request, filters),
            "page": page,
            "state_query": filters.querystring(state=None),
            "states": [(value, label, counts.get(value, 0)) for value, label in STEPS],
            "total": sum(counts.values()),
            "post_types": PostType.objects.visible_to(request.user).only("id", "name"),
            "year": selectors.this_year(),
            "batch": BATCH_ACTIONS.get(filters.values.get("state")),
        },
    )


def _list_context(request, filters) -> dict:
    """What every filtered list page shows: the filter bar, its organisation, its query."""
    values = filters.values
    org = selectors.visible_org(request.user, values.get("org"))
    return {
        "filters": values,
        "org": org,
        "base_query": filters.querystring(),
        "org_picker": org_picker("org", org),
    }


class PostCreate(FormView):
    form_class = forms.PostForm
    form_user_kwarg = True
    title = "设岗"
    success_message = "已设岗。"
    help_text = (
        "按需设岗：从岗位目录选择岗位，名称、职责和目标任务可按本单位实际修改"
        "（《设岗定责通知》§2）。"
    )

    def get_initial(self):
        initial = {"year": selectors.this_year()}
        if self.request.GET.get("org"):
            initial["organisation"] = self.request.GET["org"]
        return initial

    def perform(self, data):
        return services.post_create(actor=self.request.user, **data)

    def get_success_url(self, post):
        return reverse("posts:post_detail", args=[post.pk])


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
    officer = access.can(request.user, permissions.SET_POST, post)
    reached = [value for value, _ in STEPS].index(post.state)
    return render(
        request,
        "posts/post_detail.html",
        {
            "post": post,
            "steps": [(label, i <= reached) for i, (_, label) in enumerate(STEPS)],
            "actions": selectors.allowed_actions(request.user, post),
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


class PostFormView(FormView):
    """A form on one post of the officer's subtree (404 out of scope, 403 read-only)."""

    def setup_object(self):
        self.object = editable_or_403(
            selectors.with_post_relations(Post.objects), self.request.user, self.kwargs["pk"]
        )

    def get_success_url(self, result):
        return reverse("posts:post_detail", args=[self.object.pk])


class PostEdit(PostFormView):
    form_class = forms.PostEditForm

    def get_title(self):
        return f"编辑岗位：{self.object.name}"

    def perform(self, data):
        return services.post_update(actor=self.request.user, post=self.object, **data)


ACTIONS = {
    "claim": (services.post_claim, "已认岗，等待党总支定岗。"),
    "release": (services.post_release, "已退岗，岗位恢复为“设岗”。"),
    "confirm": (services.post_confirm, "已定岗。"),
    "publish": (services.post_publish, "已明岗公示。"),
    "perform": (services.post_perform, "已开始履岗。"),
    "delete": (services.post_delete, "已删除岗位。"),
}


class PostAction(ActionView):
    """One step of the six (认岗, 退岗, 定岗, 明岗, 履岗) or deleting a 设岗 post."""

    officers_only = False  # members claim, release and perform
    done = False

    def get_object(self):
        if self.kwargs["action"] not in ACTIONS:
            raise Http404
        return _reachable_post(self.request.user, self.kwargs["pk"])

    def perform(self, post, data):
        call, self.success_message = ACTIONS[self.kwargs["action"]]
        # Who the user was before the step: after 退岗 the holder no longer sees the post.
        self.officer = access.can(self.request.user, permissions.SET_POST, post)
        call(actor=self.request.user, post=post)
        self.done = True

    def get_success_url(self, post):
        action = self.kwargs["action"]
        if self.done and action == "delete":
            return reverse("posts:post_list")
        if self.done and (action == "claim" or (action == "release" and not self.officer)):
            return reverse("posts:my_posts")
        return reverse("posts:post_detail", args=[post.pk])


# The steps an officer takes for many posts at once, by the state the list is filtered to.
BATCH_ACTIONS = {
    PostState.CLAIMED: ("confirm", "批量定岗"),
    PostState.CONFIRMED: ("publish", "批量明岗公示"),
}


@officer_required
@require_POST
def post_batch(request):
    """批量定岗 / 批量明岗公示: the ticked posts through the single step's service."""
    action = request.POST.get("action", "")
    titles = {a: t for a, t in BATCH_ACTIONS.values()}
    if action not in titles:
        raise Http404
    call, done = ACTIONS[action]
    posts = (
        selectors.with_post_relations(selectors.reachable_posts(request.user))
        .filter(pk__in=batch.selected_ids(request))
        .order_by("organisation__path", "id")
    )
    results = batch.run(
        request,
        posts,
        lambda post: call(actor=request.user, post=post),
        label=lambda post: (
            f"{post.organisation.name} · {post.name}"
            + (f"（{post.holder.name}）" if post.holder_id else "")
        ),
        url=lambda post: reverse("posts:post_detail", args=[post.pk]),
        done=done,
    )
    back = request.POST.get("back", "")
    back_url = reverse("posts:post_list") + (f"?{back}" if back else "")
    return render(
        request,
        "core/batch_result.html",
        {
            "title": titles[action],
            "results": results,
            "ok": sum(r.ok for r in results),
            "failed": sum(not r.ok for r in results),
            "crumbs": [("设岗定责", back_url)],
            "back_url": back_url,
        },
    )


class PostAssign(PostFormView):
    form_class = forms.AssignForm
    success_message = "已安排上岗，等待党总支定岗。"
    help_text = "因人择岗：选择本组织（含下级）的党员。"

    def get_title(self):
        return f"安排上岗：{self.object.name}"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance")
        return kwargs | {"post": self.object, "user": self.request.user}

    def perform(self, data):
        return services.post_assign(actor=self.request.user, post=self.object, **data)


class PostEvaluate(PostFormView):
    form_class = forms.EvaluateForm
    success_message = "已评岗。"
    help_text = (
        "个人述岗自评、群众民意测评、党支部综合评定相结合；"
        "90分以上为优秀，80分以上为称职，60-79分为基本称职，60分以下为不称职"
        "（《168模式实施意见》§五(二)5）。"
    )

    def get_title(self):
        return f"评岗：{self.object.name}（{self.object.holder}）"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance")
        return kwargs

    def perform(self, data):
        return services.post_evaluate(actor=self.request.user, post=self.object, **data)


class PostRollover(FormView):
    form_class = forms.RolloverForm
    form_user_kwarg = True
    title = "按上年设岗"
    success_message = "已按上年设岗，请检查后由党员认岗。"
    help_text = (
        "复制上一年度本组织的岗位到新年度，状态为“设岗”，不带履岗人"
        "（避免一岗定终身，《设岗定责通知》§2）。"
    )

    def get_initial(self):
        return {"year": selectors.this_year(), "organisation": self.request.GET.get("org")}

    def perform(self, data):
        return services.post_rollover(actor=self.request.user, **data)

    def get_success_url(self, created):
        query = urlencode({"org": created[0].organisation_id, "year": created[0].year})
        return reverse("posts:post_list") + "?" + query


# --- 党员定岗情况登记表 and annex 2 ------------------------------------------------------


def _seed_form(request, template: str, rows_of, label: str, fmt: str = "html"):
    """A seed form to print for an organisation subtree and a year."""
    org, year = _org_year(request)
    rows = list(rows_of(request.user, org, year))
    context = {
        "org": org,
        "year": year,
        "rows": rows,
        "query": urlencode({"org": org.pk, "year": year}),
        "org_picker": org_picker("org", org, element_id="p-org"),
    }
    label = label.format(org=org.name, year=year)
    return documents.respond(
        request,
        template,
        context,
        fmt=fmt,
        filename=label,
        label=label,
        rows=len(rows),
        job=True,
    )


@officer_required
@require_GET
def registration(request, fmt="html"):
    return _seed_form(
        request,
        "posts/registration_print.html",
        selectors.registration_rows,
        "{org}{year}年度党员定岗情况登记表",
        fmt,
    )


@officer_required
@require_GET
def registration_xlsx(request):
    org, year = _org_year(request)
    title = f"{org.name}{year}年度党员定岗情况登记表"
    audit = PersonalDataAudit(request, title)
    rows = exports.registration_rows(selectors.registration_rows(request.user, org, year))
    content = xlsx_table(**exports.REGISTRATION, rows=audit.count(rows), title=title)
    return xlsx_response(request, content, f"{title}.xlsx", audit=audit)


@officer_required
@require_GET
def annex2(request, fmt="html"):
    return _seed_form(
        request,
        "posts/annex2_print.html",
        selectors.annex2_rows,
        "{org}{year}年度党员亮岗履职一览表",
        fmt,
    )


@officer_required
@require_GET
def annex2_xlsx(request):
    org, year = _org_year(request)
    title = f"学校实行“168”机制{year}年度党员亮岗履职一览表（{org.name}）"
    audit = PersonalDataAudit(request, title)
    rows = exports.annex2_rows(selectors.annex2_rows(request.user, org, year))
    content = xlsx_table(**exports.ANNEX2, rows=audit.count(rows), title=title)
    return xlsx_response(
        request, content, f"{org.name}{year}年度党员亮岗履职一览表.xlsx", audit=audit
    )


# --- commitments -------------------------------------------------------------------------


@officer_required
@require_GET
def commitment_list(request):
    filters = CommitmentFilter.for_page(request, selectors.commitments(request.user))
    page = request_page(request, filters.qs, order=("id",), size=PAGE_SIZE)
    return render(
        request,
        "posts/commitment_list.html",
        {**_list_context(request, filters), "page": page},
    )


class CommitmentMine(FormView):
    """The member writes (or edits) their commitment letter for the year."""

    form_class = forms.CommitmentForm
    officers_only = False
    crumb = "mine"
    title = "填写党员岗位责任承诺书"
    success_message = "已提交承诺书。"
    help_text = (
        "在思想政治、履行岗位职责、服务发展、结对帮带帮扶、廉政建设、参加组织生活等方面"
        "向所在支部作出承诺（《机关168模式通知》§二3）。每人每年一份。"
    )

    def setup_object(self):
        self.object = None
        person = _person_or_none(self.request.user)
        if person is None or not person.is_member:
            raise PermissionDenied("只有党员（正式或预备）填写党员岗位责任承诺书。")
        self.year = parse_year(self.request.GET.get("year"), selectors.this_year())
        self.existing = Commitment.objects.filter(person=person, year=self.year).first()

    def get(self, request, *args, **kwargs):
        self.setup_object()
        if self.existing is not None:
            name = (
                "posts:commitment_detail" if self.existing.published_on else "posts:commitment_edit"
            )
            return redirect(name, self.existing.pk)
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        return {"year": self.year}

    def perform(self, data):
        return services.commitment_create(actor=self.request.user, **data)

    def get_success_url(self, commitment):
        return reverse("posts:commitment_detail", args=[commitment.pk])


class CommitmentEdit(FormView):
    form_class = forms.CommitmentForm
    officers_only = False
    crumb = "mine"
    access_action = permissions.EDIT_COMMITMENT

    def get_object(self):
        return get_for_user(
            Commitment.objects.select_related("person"), self.request.user, pk=self.kwargs["pk"]
        )

    def get_title(self):
        return f"修改{self.object.year}年度承诺书"

    def perform(self, data):
        return services.commitment_update(actor=self.request.user, commitment=self.object, **data)

    def get_success_url(self, commitment):
        return reverse("posts:commitment_detail", args=[commitment.pk])


@login_required
def commitment_detail(request, pk):
    commitment = get_for_user(
        Commitment.objects.select_related("person", "organisation"), request.user, pk=pk
    )
    own = commitment.person_id == request.user.person_id
    officer = access.can(request.user, permissions.PUBLISH_COMMITMENT, commitment)
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


class CommitmentPublish(ActionView):
    success_message = "已公开承诺书。"

    def get_object(self):
        return editable_or_403(
            Commitment.objects.select_related("organisation"), self.request.user, self.kwargs["pk"]
        )

    def perform(self, commitment, data):
        services.commitment_publish(actor=self.request.user, commitment=commitment)

    def get_success_url(self, commitment):
        return reverse("posts:commitment_detail", args=[commitment.pk])


@login_required
@require_GET
def commitment_print(request, pk, fmt="html"):
    commitment = get_for_user(
        Commitment.objects.select_related("person", "organisation"), request.user, pk=pk
    )
    return documents.respond(
        request,
        "posts/commitment_print.html",
        {"c": commitment},
        fmt=fmt,
        filename=f"党员岗位责任承诺书（{commitment.person.name} {commitment.year}年）",
        label=f"党员承诺书（{commitment.person}）",
        rows=1,
    )


# --- duty records ------------------------------------------------------------------------


def _member_person(user) -> Person:
    person = _person_or_none(user)
    if person is None or not person.is_member:
        raise PermissionDenied("只有党员（正式或预备）记录履职情况。")
    return person


class DutyRecordCreate(FormView):
    """履职记实 from a phone or a desk (single column, big inputs)."""

    form_class = forms.DutyRecordForm
    template_name = "posts/duty_record_form.html"
    officers_only = False
    multipart = True
    title = "记录履职情况"
    success_message = "已记录履职情况。"

    def setup_object(self):
        self.person = _member_person(self.request.user)
        super().setup_object()

    def get_initial(self):
        initial = {"occurred_on": timezone.localdate()}
        if self.request.GET.get("post"):
            initial["post"] = self.request.GET["post"]
        return initial

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"person": self.person}

    def get_context_data(self, **context):
        return super().get_context_data(record=self.object, **context)

    def perform(self, data):
        return services.duty_record_create(actor=self.request.user, **data)

    def get_success_url(self, record):
        if self.request.POST.get("again"):
            return reverse("posts:duty_record_create")
        return reverse("posts:duty_record_mine")


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


class DutyRecordEdit(DutyRecordCreate):
    title = "修改履职记实"
    success_message = "已保存。"
    access_action = permissions.EDIT_DUTY_RECORD

    def get_object(self):
        return get_for_user(
            DutyRecord.objects.select_related("post"), self.request.user, pk=self.kwargs["pk"]
        )

    def get_initial(self):
        return {}

    def setup_object(self):
        if not getattr(self, "person", None):  # once, from dispatch
            ServiceFormView.setup_object(self)  # 404 out of scope, 403 not one's own
            self.person = _member_person(self.request.user)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.setup_object()
            if self.object.duty_check_id:
                messages.error(request, "该记录已经党支部检查，不能再修改。")
                return redirect("posts:duty_record_mine")
        return super().dispatch(request, *args, **kwargs)

    def perform(self, data):
        return services.duty_record_update(actor=self.request.user, record=self.object, **data)

    def get_success_url(self, record):
        return reverse("posts:duty_record_mine")


class DutyRecordDelete(ActionView):
    officers_only = False  # the member's own record
    success_message = "已删除。"
    access_action = permissions.EDIT_DUTY_RECORD

    def get_object(self):
        return get_for_user(DutyRecord.objects.all(), self.request.user, pk=self.kwargs["pk"])

    def perform(self, record, data):
        services.duty_record_delete(actor=self.request.user, record=record)

    def get_success_url(self, record):
        return reverse("posts:duty_record_mine")


@officer_required
@require_GET
def duty_record_list(request):
    filters = DutyRecordFilter.for_page(request, selectors.duty_records(request.user))
    page = request_page(request, filters.qs, order=("-occurred_on", "-id"), size=PAGE_SIZE)
    return render(
        request,
        "posts/duty_record_list.html",
        {
            **_list_context(request, filters),
            "page": page,
            "this_month": selectors.month_value(timezone.localdate()),
        },
    )


@officer_required
@require_GET
def duty_record_export(request):
    filters = DutyRecordFilter.for_page(request, selectors.duty_records(request.user))
    org = selectors.visible_org(request.user, filters.values.get("org"))
    title = "党员履行岗位职责记实" + (f"（{org.name}）" if org else "")
    audit = PersonalDataAudit(request, title)
    rows = exports.duty_record_rows(filters.qs.order_by("-occurred_on", "-id"))
    content = xlsx_table(**exports.DUTY_RECORDS, rows=audit.count(rows), title=title)
    return xlsx_response(request, content, "党员履职记实.xlsx", audit=audit)


# --- duty checks -------------------------------------------------------------------------


@officer_required
@require_GET
def duty_check_list(request):
    filters = DutyCheckFilter.for_page(request, selectors.duty_checks(request.user))
    page = request_page(request, filters.qs, order=("-period_end", "-id"), size=PAGE_SIZE)
    in_scope = set(
        DutyCheck.objects.restrict(request.user, permissions.CIRCULATE_CHECK)
        .filter(pk__in=[c.pk for c in page.rows])
        .values_list("pk", flat=True)
    )
    quarterly = access.can(request.user, permissions.CHECK_QUARTERLY)
    for check in page.rows:
        check.can_circulate = not check.circulated_on and (
            check.pk in in_scope and (check.kind == DutyCheckKind.MONTHLY or quarterly)
        )
    return render(
        request,
        "posts/duty_check_list.html",
        {**_list_context(request, filters), "page": page, "can_quarterly": quarterly},
    )


class DutyCheckCreate(FormView):
    """党支部书记按月检查本支部党员履职情况记录 (《168模式实施意见》§五(二)4)."""

    form_class = forms.MonthlyCheckForm
    form_user_kwarg = True
    crumb = "checks"
    title = "登记月检查"
    success_message = "已登记月检查，该月记录已标记为“已检查”。"
    help_text = (
        "党支部书记按月检查本支部党员履职情况记录本；登记后该支部该月尚未检查的记录标记为“已检查”。"
    )

    def get_initial(self):
        initial = {"month": selectors.month_value(timezone.localdate())}
        if self.request.GET.get("org"):
            initial["organisation"] = self.request.GET["org"]
        return initial

    def perform(self, data):
        year, month = data.pop("month")
        return services.duty_check_monthly(actor=self.request.user, year=year, month=month, **data)

    def get_success_url(self, check):
        return reverse("posts:duty_check_list")


class DutyCheckQuarterly(DutyCheckCreate):
    form_class = forms.QuarterlyCheckForm
    access_action = permissions.CHECK_QUARTERLY
    title = "登记季度检查"
    success_message = "已登记季度检查。"
    help_text = "党委组织部按季度检查各党总支党员履职情况记录本，并对检查情况进行通报。"

    def get_initial(self):
        today = timezone.localdate()
        return {"year": today.year, "quarter": rules.quarter_of(today)}

    def perform(self, data):
        return services.duty_check_quarterly(actor=self.request.user, **data)


class DutyCheckCirculate(ActionView):
    success_message = "已通报检查情况。"

    def get_object(self):
        return get_for_user(
            DutyCheck.objects.select_related("organisation"),
            self.request.user,
            pk=self.kwargs["pk"],
        )

    def perform(self, check, data):
        services.duty_check_circulate(actor=self.request.user, check=check)

    def get_success_url(self, check):
        return reverse("posts:duty_check_list")


# --- summaries ---------------------------------------------------------------------------


@officer_required
@require_GET
def summary_list(request):
    """Who has handed in the semester summary, and the organisations' annual summaries."""
    org, year = _org_year(request)
    semester = parse_int(request.GET.get("semester"), default=1, low=1, high=2)
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
            "org_picker": org_picker("org", org),
        },
    )


class SummaryMine(FormView):
    """The member's semester-end duty summary (one per semester)."""

    form_class = forms.MemberSummaryForm
    officers_only = False
    crumb = "mine"
    title = "提交学期履职小结"
    success_message = "已提交履职小结。"
    help_text = (
        "每个党员在学期末写一篇“履职”情况个人小结交到党支部（《168模式实施意见》§五(二)4）。"
    )

    def setup_object(self):
        _member_person(self.request.user)
        super().setup_object()

    def get_initial(self):
        today = timezone.localdate()
        return {"year": today.year, "semester": 1 if today.month < 8 else 2}

    def perform(self, data):
        return services.summary_member_create(actor=self.request.user, **data)

    def get_success_url(self, summary):
        return reverse("posts:summary_detail", args=[summary.pk])


class SummaryOrgCreate(SummaryMine):
    form_class = forms.OrgSummaryForm
    officers_only = True
    form_user_kwarg = True
    crumb = "summaries"
    title = "提交年度亮岗履职工作总结"
    success_message = "已提交年度亮岗履职工作总结。"
    help_text = "党支部的年度“亮岗履职”工作总结上交党总支，党总支的总结上交党委组织部。"

    def setup_object(self):
        self.object = None

    def get_initial(self):
        initial = {"year": selectors.this_year()}
        if self.request.GET.get("org"):
            initial["organisation"] = self.request.GET["org"]
        return initial

    def perform(self, data):
        return services.summary_org_create(actor=self.request.user, **data)


def _summary_editable(user, summary) -> bool:
    if summary.kind == SummaryKind.MEMBER_SEMESTER:
        return access.can(user, permissions.EDIT_OWN_SUMMARY, summary)
    return access.can(user, permissions.EDIT_ORG_SUMMARY, summary)


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
