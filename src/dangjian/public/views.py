"""六公开 boards, nameplates and the suggestion box (no login), and the officers' handling
of suggestions (login, scoped to the organisation's subtree). Thin: read, validate, call a
service, render."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    set_response_etag,
)
from django.views.decorators.http import require_GET, require_POST

from dangjian.column import permissions as column_permissions
from dangjian.column import selectors as column_selectors
from dangjian.core import access, uploads
from dangjian.core.audit import events_for
from dangjian.core.export import PersonalDataAudit, xlsx_response, xlsx_table
from dangjian.core.pagination import request_page
from dangjian.core.params import parse_year
from dangjian.core.scoping import get_for_user
from dangjian.core.web import client_address, editable_or_403, officer_required, submit
from dangjian.org.models import Organisation
from dangjian.org.widgets import org_picker
from dangjian.public import exports, forms, permissions, rules, selectors, services
from dangjian.public.filters import SuggestionFilter
from dangjian.public.models import Suggestion, SuggestionCategory, SuggestionStatus

PAGE_SIZE = 50
LAST_CODE_SESSION_KEY = "public_last_tracking_code"


# --- Public: no login ---------------------------------------------------------------------


def _board_organisation(code: str) -> Organisation:
    org = selectors.board_organisation(code)
    if org is None:
        raise Http404(selectors.BOARD_NOT_FOUND)
    return org


@require_GET
def board_index(request):
    access.require(request.user, permissions.READ_BOARD)
    q = request.GET.get("q", "").strip()[:50]
    after = request.GET.get("after", "")[:255]
    groups, next_after = selectors.board_organisations(q, after)
    return render(
        request,
        "public/board_index.html",
        {"groups": groups, "q": q, "after": after, "next_after": next_after},
    )


@require_GET
def board(request, code):
    access.require(request.user, permissions.READ_BOARD)
    org = _board_organisation(code)
    year, years = selectors.board_years(org, parse_year(request.GET.get("year")))
    context = selectors.board(org, year)
    context["years"] = years
    return render(request, "public/board.html", context)


@require_GET
def nameplate(request, pk):
    access.require(request.user, permissions.READ_BOARD)
    card = selectors.nameplate_post(pk)
    if card is None:
        raise Http404("该岗位尚未公示。")
    layout = rules.nameplate_layout(request.GET.get("n"))
    return render(
        request,
        "public/nameplate.html",
        {
            "card": card,
            "layout": layout,
            "cards": [card] * layout,
            "layouts": rules.NAMEPLATE_LAYOUTS,
        },
    )


def suggest(request, code):
    access.require(request.user, permissions.SUGGEST)
    org = _board_organisation(code)
    form = forms.SuggestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            suggestion = services.suggestion_submit(
                organisation=org,
                name=data["name"],
                contact=data["contact"],
                category=data["category"],
                content=data["content"],
                honeypot=data[forms.HONEYPOT_FIELD],
                client_address=client_address(request),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            request.session[LAST_CODE_SESSION_KEY] = suggestion.tracking_code
            return redirect("public:suggest_done", code=org.code)
    return render(request, "public/suggest.html", {"org": org, "form": form})


@require_GET
def suggest_done(request, code):
    org = _board_organisation(code)
    tracking_code = request.session.get(LAST_CODE_SESSION_KEY)
    if not tracking_code:
        return redirect("public:suggest", code=org.code)
    return render(
        request,
        "public/suggest_done.html",
        {"org": org, "tracking_code": rules.format_code(tracking_code)},
    )


@require_GET
def track(request):
    access.require(request.user, permissions.TRACK)
    raw = request.GET.get("code", "").strip()[:30]
    result, not_found = None, False
    if raw:
        suggestion = selectors.find_by_code(raw)
        if suggestion is None:
            not_found = True
        else:
            result = selectors.tracking_view(suggestion)
            result["tracking_code"] = rules.format_code(result["tracking_code"])
    return render(
        request, "public/track.html", {"code": raw, "result": result, "not_found": not_found}
    )


# --- Officers ------------------------------------------------------------------------------


@officer_required
@require_GET
def suggestion_list(request):
    filters = SuggestionFilter.for_page(request, selectors.suggestions(request.user))
    page = request_page(request, filters.qs, order=("-created_at", "-id"), size=PAGE_SIZE)
    params = filters.active
    org = None
    if "org" in params:
        org = Organisation.objects.visible_to(request.user).filter(pk=params["org"]).first()
    return render(
        request,
        "public/suggestion_list.html",
        {
            "page": page,
            "org": org,
            "params": params,
            "base_query": filters.querystring(),
            "counts": selectors.status_counts(filters.qs_without_status()),
            "statuses": SuggestionStatus.choices,
            "categories": SuggestionCategory.choices,
            "org_picker": org_picker("org", org, kinds=rules.BOARD_ORG_KINDS),
        },
    )


@officer_required
@require_GET
def suggestion_export(request):
    qs = SuggestionFilter.for_page(request, selectors.suggestions(request.user)).qs
    audit = PersonalDataAudit(request, exports.TITLE)
    rows = exports.suggestion_rows(qs.order_by("-created_at", "-id"))
    content = xlsx_table(**exports.SUGGESTIONS, rows=audit.count(rows), title=exports.TITLE)
    return xlsx_response(
        request, content, f"意见建议办理台账_{timezone.localdate():%Y%m%d}.xlsx", audit=audit
    )


def _suggestion(request, pk, editable=False):
    qs = Suggestion.objects.select_related(
        "organisation", "assigned_to", "replied_by", "opinion__work_item"
    )
    if editable:
        return editable_or_403(qs, request.user, pk)
    return get_for_user(qs, request.user, pk=pk)


def _detail(request, suggestion, **bound):
    user = request.user
    opinion = getattr(suggestion, "opinion", None)  # loaded with the row (select_related)
    context = {
        "s": suggestion,
        "opinion": opinion,
        "can_edit": Suggestion.objects.editable_by(user).filter(pk=suggestion.pk).exists(),
        "moves": rules.allowed_moves(suggestion.status),
        "classify_form": bound.get("classify")
        or forms.ClassifyForm(initial={"category": suggestion.category}),
        "assign_form": bound.get("assign")
        or forms.AssignForm(
            user=user,
            suggestion=suggestion,
            initial={"assigned_to": suggestion.assigned_to_id},
        ),
        "reply_form": bound.get("reply")
        or forms.ReplyForm(
            initial={
                "reply": suggestion.reply,
                "reply_public": suggestion.reply_public,
                "replied_on": suggestion.replied_on or timezone.localdate(),
            }
        ),
        "opinion_form": bound.get("opinion")
        or forms.ToOpinionForm(user=user, suggestion=suggestion),
        "close_errors": bound.get("close_errors", []),
        "events": events_for(suggestion),
        "tracking_code": rules.format_code(suggestion.tracking_code),
    }
    return render(request, "public/suggestion_detail.html", context)


@officer_required
@require_GET
def suggestion_detail(request, pk):
    return _detail(request, _suggestion(request, pk))


def _handling_step(request, pk, step: str, form_class, call, message: str, scoped=False):
    """A handling form posted from the detail page: on success back to it, else the page again
    with the form bound (what was typed and its errors). `scoped` forms offer rows of the
    officer's scope (people, work items) and take the user and the suggestion."""
    s = _suggestion(request, pk, editable=True)
    kwargs = {"user": request.user, "suggestion": s} if scoped else {}
    form = form_class(request.POST, **kwargs)
    if submit(request, form, lambda d: call(actor=request.user, suggestion=s, **d), message):
        return redirect("public:suggestion_detail", s.pk)
    return _detail(request, s, **{step: form})


@officer_required
@require_POST
def suggestion_classify(request, pk):
    return _handling_step(
        request, pk, "classify", forms.ClassifyForm, services.suggestion_classify, "已调整类别。"
    )


@officer_required
@require_POST
def suggestion_assign(request, pk):
    message = "已交办，状态为“办理中”。"
    call = services.suggestion_assign
    return _handling_step(request, pk, "assign", forms.AssignForm, call, message, scoped=True)


@officer_required
@require_POST
def suggestion_reply(request, pk):
    message = "已答复，提交人可凭查询码查看答复。"
    call = services.suggestion_reply
    return _handling_step(request, pk, "reply", forms.ReplyForm, call, message)


@officer_required
@require_POST
def suggestion_close(request, pk):
    s = _suggestion(request, pk, editable=True)
    try:
        services.suggestion_close(actor=request.user, suggestion=s)
    except ValidationError as exc:
        return _detail(request, s, close_errors=exc.messages)
    messages.success(request, "已办结。")
    return redirect("public:suggestion_detail", s.pk)


@officer_required
@require_POST
def suggestion_to_opinion(request, pk):
    message = "已转入征求意见，作为该工作事项“征求意见”步骤的意见。"
    call = services.suggestion_to_opinion
    return _handling_step(request, pk, "opinion", forms.ToOpinionForm, call, message, scoped=True)


# --- The work column (工作专栏): published articles only, no login -------------------------------

COLUMN_PAGE_SIZE = 20


def _public_cache(request, response):
    """Public column pages are the same for every anonymous visitor: shared caches (a reverse
    proxy) may keep them for COLUMN_PUBLIC_CACHE_SECONDS, so a withdrawn article is gone
    everywhere within that time; browsers revalidate each time by ETag (304 when unchanged).
    Signed-in users still get no-store (core.middleware_security)."""
    patch_cache_control(
        response, public=True, max_age=0, s_maxage=settings.COLUMN_PUBLIC_CACHE_SECONDS
    )
    response.public_cache = True
    if not response.streaming:
        set_response_etag(response)
        response = get_conditional_response(request, etag=response.get("ETag"), response=response)
        response.public_cache = True
    return response


@require_GET
def column_index(request):
    access.require(request.user, column_permissions.READ_PUBLISHED)
    column = request.GET.get("column", "")
    if column not in dict(column_selectors.column_choices()):
        column = ""
    code = request.GET.get("org", "").strip()[:50]
    org = None
    if code:
        org = Organisation.objects.filter(code=code).only("id", "name", "code", "path").first()
    qs = column_selectors.public_articles(column or None, org)
    page = request_page(
        request, qs, order=column_selectors.PUBLIC_PAGE_ORDER, size=COLUMN_PAGE_SIZE
    )
    photos = column_selectors.first_photos([a.pk for a in page.rows])
    query = urlencode([(k, v) for k, v in (("column", column), ("org", code)) if v])
    return _public_cache(
        request,
        render(
            request,
            "public/column_list.html",
            {
                "page": page,
                "rows": [(a, photos.get(a.pk)) for a in page.rows],
                "column": column,
                "column_label": column_selectors.column_label(column),
                "columns": column_selectors.column_choices(),
                "org": org,
                "org_code": code,
                "organisations": column_selectors.public_organisations().order_by("path")[:200],
                "base_query": query,
            },
        ),
    )


@require_GET
def column_article(request, pk):
    access.require(request.user, column_permissions.READ_PUBLISHED)
    article = column_selectors.public_article(pk)
    if article is None:
        raise Http404("该文章不存在或已撤回。")
    return _public_cache(
        request,
        render(
            request,
            "public/column_article.html",
            {
                "article": article,
                "photos": column_selectors.public_photos(article),
                "attachments": column_selectors.public_attachments(article),
            },
        ),
    )


@require_GET
def column_file(request, kind, pk):
    """A photo or attachment of a published article (files of drafts are served only by the
    scoped media view to officers who see the article)."""
    access.require(request.user, column_permissions.READ_PUBLISHED)
    row = column_selectors.public_file(kind, pk)
    if row is None or not row.file:
        raise Http404("该文件不存在或文章已撤回。")
    file_path = (settings.MEDIA_ROOT / row.file.name).resolve()
    if settings.MEDIA_ROOT.resolve() not in file_path.parents or not file_path.is_file():
        raise Http404
    response = uploads.serve(file_path, row.file_name or file_path.name)
    del response["Cache-Control"]
    return _public_cache(request, response)
