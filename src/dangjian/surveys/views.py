"""Screens of the surveys of the masses.

Officers (scoped to their subtree): the list, a new survey, the survey page with its batches
of one-time links (QR print sheet, XLSX of links), closing, and the result — aggregates only,
and only from the minimum number of ballots on.

The public answer page needs no login. It is phone-first, never cached, never sends the
address as Referer (the link's secret is in it) and shows nothing about anyone but the
subjects' names.
"""

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangjian.core import access
from dangjian.core.audit import events_for
from dangjian.core.export import xlsx_response
from dangjian.core.pagination import request_page
from dangjian.core.params import parse_int
from dangjian.core.scoping import get_for_user
from dangjian.core.web import ActionView, editable_or_403, form_errors, officer_required, submit
from dangjian.org.models import Organisation, OrgKind
from dangjian.surveys import charts, exports, forms, rules, selectors, services, throttles
from dangjian.surveys.filters import SurveyPageFilter
from dangjian.surveys.models import Survey, SurveyKind, SurveyState

PAGE_SIZE = 50
QR_PER_PAGE = 12  # 3 × 4 on an A4 sheet


# --- officers: list, create -----------------------------------------------------------------


@officer_required
@require_GET
def survey_list(request):
    """民意测评: surveys of the officer's subtree with their counts."""
    filters, org = _filtered(request)
    page = request_page(request, filters.qs, order=("-opens_on", "-id"), size=PAGE_SIZE)
    res = selectors.list_results(page.rows)
    for survey in page.rows:
        survey.res = res[survey.pk]
        survey.result_label = exports.result_label(survey, survey.res)
    return render(
        request,
        "surveys/survey_list.html",
        {
            "page": page,
            "filters": filters.active,
            "org": org,
            "base_query": filters.querystring(),
            "org_choices": selectors.org_choices(request.user),
            "kinds": SurveyKind.choices,
            "states": SurveyState.choices,
        },
    )


@officer_required
@require_GET
def survey_export(request):
    filters, org = _filtered(request)
    surveys = list(filters.qs.order_by("-opens_on", "-id"))
    res = selectors.list_results(surveys)
    content = exports.survey_list(surveys, res, org)
    return xlsx_response(request, content, "民意测评.xlsx")


def _filtered(request: HttpRequest) -> tuple[SurveyPageFilter, Organisation | None]:
    """The list's filters from the query string (an organisation out of scope: 404) and the
    organisation asked for, for the title."""
    filters = SurveyPageFilter.for_page(request, selectors.surveys_for(request.user))
    filters.qs  # noqa: B018 -- applies the filters now: an out-of-scope organisation is a 404
    org = filters.organisation("org")
    return filters, org


def _requested_org(request: HttpRequest) -> Organisation | None:
    """The `org` of the query string, None when absent; 404 when unknown or out of scope."""
    raw = request.GET.get("org")
    if not raw:
        return None
    org = selectors.organisation(request.user, parse_int(raw))
    if org is None:
        raise Http404
    return org


def _subjects_context(org, kind: str, checked: set[int] | None):
    """The subject checkboxes for an organisation: its members, all ticked by default."""
    if org is None or kind != SurveyKind.MEMBER_RATING:
        return {"candidates": [], "too_many": False, "org_missing": org is None}
    limit = services.MAX_SUBJECTS
    candidates = list(selectors.subject_candidates(org, limit=limit + 1))
    too_many = len(candidates) > limit
    candidates = candidates[:limit]
    for person in candidates:
        person.checked = checked is None or person.pk in checked
    return {"candidates": candidates, "too_many": too_many, "org_missing": False, "limit": limit}


@officer_required
def survey_create(request):
    """新建测评: organisation, kind, title, dates, minimum; for a member rating the members of
    the organisation's subtree, pre-selected."""
    org = _requested_org(request) or _default_org(request.user)
    kind = _kind(request.GET)
    form = forms.SurveyForm(
        request.POST or None, user=request.user, org=org, initial={"kind": kind}
    )
    survey = submit(
        request,
        form,
        lambda d: services.survey_create(actor=request.user, **d),
        "已新建测评。请发放测评链接或打印二维码。",
    )
    if survey:
        return redirect("surveys:survey_detail", pk=survey.pk)
    checked = None
    if form.is_bound:
        org = _bound_org(form) or org
        kind = _kind(form.data)
        checked = {
            int(v) for v in form.data.getlist("subjects") if isinstance(v, str) and v.isdigit()
        }
    return render(
        request,
        "surveys/survey_form.html",
        {"form": form, "org": org, "kind": kind, **_subjects_context(org, kind, checked)},
    )


def _kind(params) -> str:
    """The survey kind asked for, a member rating when absent or unknown."""
    kind = params.get("kind")
    return kind if kind in SurveyKind.values else SurveyKind.MEMBER_RATING


def _default_org(user):
    return (
        Organisation.objects.editable_by(user)
        .active()
        .exclude(kind=OrgKind.GROUP)
        .order_by("depth", "path")
        .first()
    )


def _bound_org(form):
    raw = form.data.get("organisation")
    if not raw or not str(raw).isdigit():
        return None
    return form.fields["organisation"].queryset.filter(pk=int(raw)).first()


@officer_required
@require_GET
def subject_choices(request):
    """The subject checkboxes for the organisation and kind chosen on the form (htmx)."""
    raw = request.GET.get("organisation")
    org = None
    if raw:  # an organisation out of scope does not exist for the user
        org = get_for_user(Organisation.objects, request.user, pk=parse_int(raw))
    kind = _kind(request.GET)
    return render(
        request,
        "surveys/_subjects.html",
        {"org": org, "kind": kind, **_subjects_context(org, kind, None)},
    )


# --- officers: one survey -------------------------------------------------------------------


@officer_required
@require_GET
def survey_detail(request, pk):
    survey = get_for_user(selectors.surveys_for(request.user), request.user, pk=pk)
    res = selectors.result(survey)
    rows = selectors.result_rows(survey, res)
    can_edit = access.can(request.user, "surveys.run", survey)
    batches = selectors.batches(survey)
    context = {
        "survey": survey,
        "res": res,
        "rows": rows,
        "ratings": selectors.rating_choices(survey.kind),
        "scores": [
            (label, selectors.rating_scores(survey.kind)[value])
            for value, label in selectors.rating_choices(survey.kind)
        ],
        "batches": batches,
        "batches_hidden": any(b.used is None for b in batches),
        "floor": selectors.min_responses_floor(),
        "new_batch": parse_int(request.GET.get("batch")),
        "subject_count": survey.subjects.count() if survey.kind == SurveyKind.MEMBER_RATING else 0,
        "can_edit": can_edit,
        "issue_form": forms.IssueForm(),
        "events": events_for(survey),
        "today": timezone.localdate(),
    }
    if res.visible:
        context["chart"] = charts.result_option(survey, rows)
        context["chart_height"] = max(200, 48 * len(rows) + 80)
        context["comments"] = selectors.comments(survey)
    return render(request, "surveys/survey_detail.html", context)


@officer_required
@require_POST
def survey_issue(request, pk):
    survey = editable_or_403(selectors.surveys_for(request.user), request.user, pk)
    form = forms.IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("surveys:survey_detail", pk=pk)
    try:
        tokens = services.tokens_issue(
            actor=request.user, survey=survey, count=form.cleaned_data["count"]
        )
    except ValidationError as exc:
        messages.error(request, form_errors(exc))
        return redirect("surveys:survey_detail", pk=pk)
    batch = tokens[0].batch
    messages.success(
        request, f"已发放第{batch}批测评链接，共{len(tokens)}个。可打印二维码或导出链接发送。"
    )
    return redirect(f"{reverse('surveys:survey_detail', args=[pk])}?batch={batch}#batches")


class SurveyCloseView(ActionView):
    """结束测评."""

    success_message = "测评已结束，不再接收答卷。"

    def get_object(self) -> Survey:
        return editable_or_403(
            selectors.surveys_for(self.request.user), self.request.user, self.kwargs["pk"]
        )

    def perform(self, obj: Survey, data: dict) -> Survey:
        return services.survey_close(actor=self.request.user, survey=obj)

    def get_success_url(self, obj: Survey) -> str:
        return reverse("surveys:survey_detail", args=[obj.pk])


survey_close = officer_required(SurveyCloseView.as_view())


def _batch(request, pk, batch):
    survey = get_for_user(selectors.surveys_for(request.user), request.user, pk=pk)
    tokens = selectors.batch_tokens(survey, batch)
    if not tokens:
        raise Http404
    links = [request.build_absolute_uri(reverse("surveys:answer", args=[t])) for t in tokens]
    return survey, links


@officer_required
@require_GET
def batch_print(request, pk, batch):
    """打印二维码: an A4 sheet of 3 × 4 QR codes, each with the title and its link."""
    survey, links = _batch(request, pk, batch)
    cards = [
        {
            "number": index,
            "link": link,
            "svg": segno.make(link, error="m").svg_inline(scale=4, border=2, omitsize=True),
        }
        for index, link in enumerate(links, start=1)
    ]
    pages = [cards[i : i + QR_PER_PAGE] for i in range(0, len(cards), QR_PER_PAGE)]
    response = render(
        request, "surveys/batch_print.html", {"survey": survey, "batch": batch, "pages": pages}
    )
    response["Cache-Control"] = "no-store"
    return response


@officer_required
@require_GET
def batch_export(request, pk, batch):
    """A batch's links as XLSX (序号, 链接), to send one by one in a chat."""
    survey, links = _batch(request, pk, batch)
    content = exports.links(survey, batch, links)
    # Answer links are the respondents' credentials: streamed, never stored as a job's file.
    response = xlsx_response(request, content, f"{survey.title}_第{batch}批链接.xlsx", job=False)
    response["Cache-Control"] = "no-store"
    return response


@officer_required
@require_GET
def result_export(request, pk):
    """The aggregate result as XLSX — only once the minimum number of ballots is reached."""
    survey = get_for_user(selectors.surveys_for(request.user), request.user, pk=pk)
    res = selectors.result(survey)
    if not res.visible:
        raise PermissionDenied(
            f"已回收{res.responses}份，达到{res.minimum}份后才显示和导出汇总结果。"
        )
    rows = selectors.result_rows(survey, res)
    content = exports.result(survey, res, rows)
    return xlsx_response(request, content, f"{survey.title}_汇总结果.xlsx")


# --- the public answer page (no login) ------------------------------------------------------


def _private(response, referrer_policy="no-referrer"):
    """The link's secret is in the address: never cache the page, never send it as Referer."""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = referrer_policy
    return response


def _public(request, template, context=None, status=200, referrer_policy="no-referrer"):
    return _private(render(request, template, context or {}, status=status), referrer_policy)


# The answer sheet posts back to us: under "no-referrer" a browser sends `Origin: null` (and
# no Referer), which Django's CSRF check must refuse. "strict-origin" sends our origin only —
# scheme and host, never the path that holds the secret — and nothing on a downgrade.
FORM_REFERRER_POLICY = "strict-origin"


def _refusal(request, row, state):
    survey = row.survey
    if state == "used":
        return _public(request, "surveys/answer_used.html", {"survey": survey}, status=410)
    if state == rules.NOT_OPEN:
        return _public(request, "surveys/answer_closed.html", {"survey": survey, "not_open": True})
    return _public(request, "surveys/answer_closed.html", {"survey": survey}, status=410)


def _throttled(request):
    """The 429 page when this address asked too often (shared with the survey API's count)."""
    wait = throttles.page_throttle(request)
    if wait is None:
        return None
    response = _public(
        request,
        "surveys/answer_throttled.html",
        {"wait": throttles.wait_text(wait)},
        status=429,
    )
    response["Retry-After"] = str(int(wait + 0.999))
    return response


@require_http_methods(["GET", "POST"])
def answer(request, token):
    """填写测评 (phone-first): the survey, one question per subject, a comment; one ballot
    per link."""
    if refused := _throttled(request):
        return refused
    row = selectors.token_row(token)
    if row is None:
        return _public(request, "surveys/answer_invalid.html", status=404)
    today = timezone.localdate()
    state = selectors.answer_state(row, today)
    if state is not None:
        return _refusal(request, row, state)
    survey = row.survey
    form = forms.AnswerForm(
        request.POST or None, kind=survey.kind, subjects=selectors.answer_subjects(survey)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.ballot_cast(
                token=token,
                ratings=form.ratings(),
                comment=form.cleaned_data["comment"],
                today=today,
            )
        except ValidationError as exc:
            errors = exc.message_dict
            if services.TOKEN_USED in errors.get("token", []):
                return _refusal(request, row, "used")
            for field, texts in errors.items():
                form.add_error("comment" if field == "comment" else None, texts)
        else:
            return _private(redirect("surveys:answer_done", token=token))
    return _public(
        request,
        "surveys/answer.html",
        {"survey": survey, "form": form, "missing": form.missing() if form.is_bound else []},
        referrer_policy=FORM_REFERRER_POLICY,
    )


@require_GET
def answer_done(request, token):
    """The thank-you page: the answer was anonymous."""
    if refused := _throttled(request):
        return refused
    row = selectors.token_row(token)
    if row is None:
        return _public(request, "surveys/answer_invalid.html", status=404)
    if not row.used:
        return _private(redirect("surveys:answer", token=token))
    return _public(request, "surveys/answer_done.html", {"survey": row.survey})
