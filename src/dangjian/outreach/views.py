"""Screens of contacts with the masses, 三联二访 links, visits, compliance and the 两访两创 summary.
Thin: scope, validate, call a service, render."""

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from dangjian.core import access
from dangjian.core.audit import events_for
from dangjian.core.export import PersonalDataAudit, xlsx_response, xlsx_table
from dangjian.core.pagination import request_page
from dangjian.core.params import parse_date, parse_int, parse_year
from dangjian.core.scoping import get_for_user, scope_for
from dangjian.core.web import ActionView, ServiceFormView, officer_required, submit
from dangjian.org.models import Organisation, Person
from dangjian.org.widgets import org_picker
from dangjian.outreach import exports, forms, rules, selectors, services
from dangjian.outreach import permissions as perms
from dangjian.outreach.filters import ComplianceFilter, LinkFilter, VisitFilter
from dangjian.outreach.models import Contact, FocusGroup, Link, Visit, VisitKind

PAGE_SIZE = 50


def _person(user) -> Person | None:
    if not user.person_id:
        return None
    return Person.objects.select_related("primary_org").filter(pk=user.person_id).first()


def _member(user) -> Person:
    person = _person(user)
    if person is None or not person.is_member:
        raise PermissionDenied(rules.NOT_A_MEMBER)
    return person


def _visitor(user) -> Person:
    person = _person(user)
    if person is None or person.primary_org_id is None:
        raise PermissionDenied("您的账号没有关联党组织中的人员，不能登记走访，请联系组织部干事。")
    return person


def _requested_org(request: HttpRequest, *, fallback: bool = True) -> Organisation | None:
    """The `org` of the query string: 404 when given and out of scope; else the top of the
    user's scope (or None without `fallback`)."""
    raw = request.GET.get("org")
    if raw:
        org = selectors.visible_organisation(request.user, parse_int(raw))
        if org is None:
            raise Http404
        return org
    return selectors.default_org(request.user) if fallback else None


def _contact_state(count: int) -> str:
    minimum, maximum = selectors.contact_limits()
    return rules.contact_status(count, maximum, minimum)


# --- contacts (《基层组织建设实施意见》§四(二)4(2)) -----------------------------------------


@officer_required
@require_GET
def contact_list(request):
    """联系群众: the members of an organisation and how many non-Party people each keeps."""
    org = _requested_org(request)
    if org is None:
        raise PermissionDenied("您的管理范围内没有党组织。")
    status = request.GET.get("status", "")
    qs = selectors.members_with_contacts(request.user, org, status)
    page = request_page(request, qs, order=("name", "id"), size=PAGE_SIZE)
    for person in page.rows:
        person.contact_state = _contact_state(person.active_contacts)
    params = {"org": org.pk}
    if status in (rules.CONTACT_NONE, rules.CONTACT_OK):
        params["status"] = status
    minimum, maximum = selectors.contact_limits()
    return render(
        request,
        "outreach/contact_list.html",
        {
            "org": org,
            "page": page,
            "status": params.get("status", ""),
            "base_query": urlencode(params),
            "stats": selectors.contact_stats(request.user, org),
            "org_picker": org_picker("org", org),
            "minimum": minimum,
            "maximum": maximum,
        },
    )


@officer_required
@require_GET
def contact_export(request):
    org = _requested_org(request)
    if org is None:
        raise PermissionDenied("您的管理范围内没有党组织。")
    qs = selectors.members_with_contacts(request.user, org, request.GET.get("status", ""))
    members = qs.order_by("primary_org__path", "name", "id")
    audit = PersonalDataAudit(request, f"党员联系党外群众情况（{org.name}）")
    content = xlsx_table(
        sheet="党员联系群众",
        headers=exports.CONTACT_HEADERS,
        rows=audit.count(exports.contact_rows(members, _contact_state)),
        title=f"党员联系党外群众情况（{org.name}）",
        widths=exports.CONTACT_WIDTHS,
    )
    return xlsx_response(request, content, "党员联系群众.xlsx", audit=audit)


@login_required
def my_contacts(request):
    """我联系的群众 (phone): the member's contacts, add one, end one."""
    person = _member(request.user)
    form = forms.ContactForm(request.POST or None)
    if submit(
        request,
        form,
        lambda d: services.contact_create(actor=request.user, member=person, **d),
        "已登记联系对象。",
    ):
        return redirect("outreach:my_contacts")
    contacts = list(selectors.contacts_of(person))
    active = [c for c in contacts if c.ended_on is None]
    minimum, maximum = selectors.contact_limits()
    return render(
        request,
        "outreach/my_contacts.html",
        {
            "person": person,
            "form": form,
            "active": active,
            "ended": [c for c in contacts if c.ended_on is not None],
            "can_add": len(active) < maximum or form.is_bound,
            "minimum": minimum,
            "maximum": maximum,
        },
    )


class ContactAdd(ServiceFormView):
    """An officer registers a contact for a member of their organisation."""

    form_class = forms.ContactForm
    form_user_kwarg = False
    template_name = "outreach/contact_form.html"
    access_action = perms.MANAGE

    def get_object(self) -> Person:
        return get_for_user(
            Person.objects.select_related("primary_org"),
            self.request.user,
            pk=self.kwargs["member_pk"],
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"data": self.request.POST or None}

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        contacts = list(selectors.contacts_of(self.object))
        return super().get_context_data(member=self.object, contacts=contacts, **context)

    def perform(self, data: dict[str, Any]) -> Any:
        self.success_message = f"已为{self.object.name}登记联系对象。"
        return services.contact_create(actor=self.request.user, member=self.object, **data)

    def get_success_url(self, result: Any) -> str:
        url = reverse("outreach:contact_list")
        return f"{url}?org={self.object.primary_org_id}" if self.object.primary_org_id else url


@login_required
@require_GET
def contact_detail(request, pk):
    contact = get_for_user(
        Contact.objects.select_related("member__primary_org", "contact"), request.user, pk=pk
    )
    return render(
        request,
        "outreach/contact_detail.html",
        {
            "contact": contact,
            "can_end": contact.ended_on is None
            and access.can(request.user, perms.MANAGE, contact.member),
            "end_form": forms.EndForm(),
            "events": events_for(contact),
            "is_officer": scope_for(request.user).is_officer,
        },
    )


class ContactEnd(ActionView):
    """结束联系, back to where the button was (`next`) or the contact."""

    form_class = forms.EndForm
    officers_only = False  # members end their own

    def get_object(self) -> Contact:
        return get_for_user(
            Contact.objects.select_related("member"), self.request.user, pk=self.kwargs["pk"]
        )

    def perform(self, obj: Contact, data: dict[str, Any]) -> Any:
        self.success_message = f"已结束与{obj.name}的联系。"
        return services.contact_end(actor=self.request.user, contact=obj, **data)

    def get_success_url(self, obj: Contact) -> str:
        back = self.request.POST.get("next", "")
        return back if back.startswith("/") else reverse("outreach:contact_detail", args=[obj.pk])


# --- links of 三联二访 (《基层组织建设实施意见》§四(四)1) ------------------------------------


@officer_required
@require_GET
def link_list(request):
    filters = LinkFilter.for_page(request, selectors.visible_links(request.user))
    qs = filters.qs  # 404 for an organisation out of scope
    active = filters.active
    state = LinkFilter.state_of(active.get("state", ""))
    shown = {k: v for k, v in active.items() if k != "state" or state != "active"}
    page = request_page(request, qs, order=("visitor__name", "id"), size=PAGE_SIZE)
    table = selectors.frequencies()
    for link in page.rows:
        link.frequency = table.get(link.kind)
    org = filters.organisation()
    return render(
        request,
        "outreach/link_list.html",
        {
            "page": page,
            "filters": shown,
            "org": org,
            "state": state,
            "base_query": urlencode(shown),
            "org_picker": org_picker("org", org),
            "kinds": selectors.LINK_KIND_CHOICES,
            "frequencies": [(label, table[k].label) for k, label in selectors.LINK_KIND_CHOICES],
        },
    )


class LinkCreate(ServiceFormView):
    form_class = forms.LinkForm
    template_name = "outreach/link_form.html"
    success_message = "已设置联系点。"

    def get_form_kwargs(self) -> dict[str, Any]:
        self.org = _requested_org(self.request)
        return {**super().get_form_kwargs(), "org": self.org}

    def get_initial(self) -> dict[str, Any]:
        kind = self.request.GET.get("kind", "")
        return {"kind": kind} if kind in rules.LINK_KINDS else {}

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return super().get_context_data(org=self.org, **context)

    def perform(self, data: dict[str, Any]) -> Any:
        return services.link_create(actor=self.request.user, **data)

    def get_success_url(self, result: Any) -> str:
        return reverse("outreach:link_detail", args=[result.pk])


@login_required
@require_GET
def link_detail(request, pk):
    link = get_for_user(selectors.with_link_relations(Link.objects), request.user, pk=pk)
    today = timezone.localdate()
    period = selectors.period_for(link.kind, today) if link.kind in rules.LINK_KINDS else None
    current = None
    if period is not None:
        current = selectors.with_compliance(Link.objects.filter(pk=link.pk), today).first()
        if current is not None:
            selectors.decorate([current], today, today)
    can_end = (
        link.ended_on is None
        and access.can(request.user, perms.LINK, link)
        and (link.kind != rules.LEADER_COLLEGE or access.can(request.user, perms.LEADER_LINK))
    )
    return render(
        request,
        "outreach/link_detail.html",
        {
            "link": link,
            "period": period,
            "current": current,
            "visits": list(
                link.visits.select_related("unit__parent").order_by("-visited_on", "-id")[:20]
            ),
            "can_end": can_end,
            "end_form": forms.EndForm(),
            "events": events_for(link),
            "is_officer": scope_for(request.user).is_officer,
        },
    )


class LinkEnd(ActionView):
    form_class = forms.EndForm
    success_message = "已结束该联系点。"

    def get_object(self) -> Link:
        return get_for_user(Link.objects, self.request.user, pk=self.kwargs["pk"])

    def perform(self, obj: Link, data: dict[str, Any]) -> Any:
        return services.link_end(actor=self.request.user, link=obj, **data)

    def get_success_url(self, obj: Link) -> str:
        return reverse("outreach:link_detail", args=[obj.pk])


# --- visits -------------------------------------------------------------------------------


def _visit_filters(request: HttpRequest) -> tuple[VisitFilter, Organisation | None]:
    filters = VisitFilter.for_page(request, selectors.visible_visits(request.user))
    _rows = filters.qs  # 404 for an organisation out of scope
    return filters, filters.organisation()


@officer_required
@require_GET
def visit_list(request):
    filters, org = _visit_filters(request)
    page = request_page(request, filters.qs, order=("-visited_on", "-id"), size=PAGE_SIZE)
    return render(
        request,
        "outreach/visit_list.html",
        {
            "page": page,
            "filters": filters.active,
            "org": org,
            "base_query": filters.querystring(),
            "org_picker": org_picker("org", org),
            "kinds": VisitKind.choices,
            "focus_groups": FocusGroup.choices[1:],
            "this_month": timezone.localdate().strftime("%Y-%m"),
        },
    )


@officer_required
@require_GET
def visit_export(request):
    filters, org = _visit_filters(request)
    visits = filters.qs.order_by("-visited_on", "-id").iterator(chunk_size=2000)
    title = "三联二访、两访两创走访记录" + (f"（{org.name}）" if org else "")
    audit = PersonalDataAudit(request, title)
    content = xlsx_table(
        sheet="走访记录",
        headers=exports.VISIT_HEADERS,
        rows=audit.count(exports.visit_rows(visits)),
        title=title,
        widths=exports.VISIT_WIDTHS,
    )
    return xlsx_response(request, content, "走访记录.xlsx", audit=audit)


@login_required
@require_GET
def my_visits(request):
    """我的走访 (phone): my links with this period's progress, then my visits."""
    person = _visitor(request.user)
    today = timezone.localdate()
    links = selectors.decorate(
        list(
            selectors.with_link_relations(
                selectors.with_compliance(
                    Link.objects.filter(visitor=person, ended_on__isnull=True), today
                )
            )
        ),
        today,
        today,
    )
    page = request_page(
        request,
        selectors.with_visit_relations(Visit.objects.filter(visitor=person)),
        order=("-visited_on", "-id"),
        size=20,
    )
    pending_ids = set(
        selectors.pending_follow_ups(Visit.objects.filter(visitor=person)).values_list(
            "pk", flat=True
        )
    )
    return render(
        request,
        "outreach/my_visits.html",
        {"links": links, "page": page, "base_query": "", "pending_ids": pending_ids},
    )


def _initial_visit(request, person: Person) -> dict:
    initial = {"visited_on": timezone.localdate()}
    link_pk = parse_int(request.GET.get("link"))
    if link_pk:
        link = Link.objects.filter(pk=link_pk, visitor=person).first()
        if link is not None:
            initial.update(link=link.pk, kind=link.kind, unit=link.unit_id)
    follow_pk = parse_int(request.GET.get("follow_up"))
    if follow_pk:
        earlier = Visit.objects.filter(pk=follow_pk, visitor=person).first()
        if earlier is not None:
            initial.update(
                kind=rules.FOLLOW_UP,
                interviewee=earlier.interviewee,
                focus_group=earlier.focus_group,
                unit=earlier.unit_id,
                method="phone",
            )
    return initial


class VisitCreate(ServiceFormView):
    """登记走访 from a phone or a desk (single column, big inputs)."""

    form_class = forms.VisitForm
    form_user_kwarg = False
    officers_only = False
    template_name = "outreach/visit_form.html"
    title = "登记走访"
    success_message = "已登记走访。"

    def get_form_kwargs(self) -> dict[str, Any]:
        self.person = _visitor(self.request.user)
        initial = _initial_visit(self.request, self.person)
        return {**super().get_form_kwargs(), "person": self.person, "initial": initial}

    def perform(self, data: dict[str, Any]) -> Any:
        return services.visit_create(actor=self.request.user, visitor=self.person, **data)

    def get_success_url(self, result: Any) -> str:
        again = self.request.POST.get("again")
        return reverse("outreach:visit_create" if again else "outreach:my_visits")


@login_required
@require_GET
def visit_detail(request, pk):
    visit = get_for_user(selectors.with_visit_relations(Visit.objects), request.user, pk=pk)
    can_edit = access.can(request.user, perms.MANAGE, visit.visitor)
    pending = (
        visit.needs_follow_up
        and selectors.pending_follow_ups(Visit.objects.filter(pk=visit.pk)).exists()
    )
    return render(
        request,
        "outreach/visit_detail.html",
        {
            "visit": visit,
            "can_edit": can_edit,
            "is_own": visit.visitor_id == request.user.person_id,
            "pending": pending,
            "events": events_for(visit),
            "is_officer": scope_for(request.user).is_officer,
        },
    )


def _editable_visit(user, pk) -> Visit:
    visit = get_for_user(Visit.objects.select_related("visitor__primary_org"), user, pk=pk)
    if not access.can(user, perms.MANAGE, visit.visitor):
        raise PermissionDenied("只能修改本人的走访记录，或由其所在党组织的书记、委员修改。")
    return visit


class VisitEdit(ServiceFormView):
    form_class = forms.VisitForm
    form_user_kwarg = False
    officers_only = False
    template_name = "outreach/visit_form.html"
    title = "修改走访记录"
    success_message = "已保存。"

    def get_object(self) -> Visit:
        return _editable_visit(self.request.user, self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "person": self.object.visitor}

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return super().get_context_data(visit=self.object, **context)

    def perform(self, data: dict[str, Any]) -> Any:
        return services.visit_update(actor=self.request.user, visit=self.object, **data)

    def get_success_url(self, result: Any) -> str:
        return reverse("outreach:visit_detail", args=[self.object.pk])


class VisitDelete(ActionView):
    success_message = "已删除走访记录。"
    officers_only = False  # visitors delete their own

    def get_object(self) -> Visit:
        return _editable_visit(self.request.user, self.kwargs["pk"])

    def perform(self, obj: Visit, data: dict[str, Any]) -> Any:
        services.visit_delete(actor=self.request.user, visit=obj)

    def get_success_url(self, obj: Visit) -> str:
        mine = obj.visitor_id == self.request.user.person_id
        return reverse("outreach:my_visits" if mine else "outreach:visit_list")


# --- compliance and the interview summary ---------------------------------------------------


def _compliance_filters(request):
    """Today, the day whose periods are shown, and the filters of the page and its export."""
    today = timezone.localdate()
    day = parse_date(request.GET.get("on"), today) or today
    return today, day, ComplianceFilter.for_page(request, selectors.compliance(request.user, day))


@officer_required
@require_GET
def compliance(request):
    """三联二访落实情况: each link in scope for the period containing the chosen day."""
    today, day, filters = _compliance_filters(request)
    qs = filters.qs  # 404 for an organisation out of scope
    base = filters.without("status")
    active = {k: v for k, v in filters.active.items() if k != "on"}
    if day != today:
        active["on"] = day.isoformat()
    org = filters.organisation()
    page = request_page(
        request, qs, order=("organisation__path", "visitor__name", "id"), size=PAGE_SIZE
    )
    selectors.decorate(page.rows, day, today)
    periods = selectors.periods_on(day)
    table = selectors.frequencies()
    return render(
        request,
        "outreach/compliance.html",
        {
            "page": page,
            "rollup": selectors.rollup(base, today),
            "filters": active,
            "org": org,
            "day": day,
            "base_query": urlencode(active),
            "org_picker": org_picker("org", org),
            "kinds": selectors.LINK_KIND_CHOICES,
            "statuses": list(rules.STATUS_LABELS.items()),
            "periods": [
                (label, periods[k].label, table[k].label)
                for k, label in selectors.LINK_KIND_CHOICES
            ],
        },
    )


@officer_required
@require_GET
def compliance_export(request):
    """The page's rows with its filters (e.g. 情况=逾期未完成 for the problems only)."""
    today, day, filters = _compliance_filters(request)
    org = filters.organisation()
    links = filters.qs.select_related("visitor", "organisation", "unit__parent").order_by(
        "organisation__path", "visitor__name", "id"
    )
    title = f"三联二访落实情况（{org.name if org else '全部'}，{day:%Y-%m-%d}所在期间）"
    audit = PersonalDataAudit(request, title)
    content = xlsx_table(
        sheet="三联二访落实",
        headers=exports.LINK_HEADERS,
        rows=audit.count(exports.link_rows(selectors.decorate(list(links), day, today))),
        title=title,
        widths=exports.LINK_WIDTHS,
    )
    return xlsx_response(request, content, "三联二访落实情况.xlsx", audit=audit)


@officer_required
@require_GET
def interview_summary(request):
    """两访两创访谈情况: visits of an organisation and year by kind and focus group."""
    org = _requested_org(request)
    if org is None:
        raise PermissionDenied("您的管理范围内没有党组织。")
    year = parse_year(request.GET.get("year"), timezone.localdate().year)
    return render(
        request,
        "outreach/interview_summary.html",
        {
            "org": org,
            "year": year,
            "summary": selectors.interview_summary(request.user, org, year),
            "org_picker": org_picker("org", org),
        },
    )


# --- leadership contact points (《延伸提升168机制意见》§五) ---------------------------------

POINTS_HELP = (
    "《延伸提升168机制意见》§五：领导班子成员都要分别确定1个以上单位作为联系点，深入进行指导；"
    "完善党员领导干部联系点制度，帮助解决实际困难。"
)
POINT_HEADERS = ["姓名", "所在党组织", "领导班子职务", "联系点", "本期走访/应走访", "落实情况"]


def _points(request):
    today = timezone.localdate()
    day = parse_date(request.GET.get("on"), today) or today
    return today, day, selectors.leader_points(request.user, day, today)


@officer_required
@require_GET
def leader_points(request):
    """领导班子联系点: every member of the leadership in scope, their points and visits."""
    today, day, rows = _points(request)
    only_missing = request.GET.get("missing") == "1"
    shown = [r for r in rows if r["missing"]] if only_missing else rows
    frequency = selectors.frequencies()[rules.LEADER_POINT]
    return render(
        request,
        "outreach/leader_points.html",
        {
            "rows": shown,
            "summary": selectors.leader_points_summary(rows),
            "day": day,
            "today": today,
            "period": selectors.period_for(rules.LEADER_POINT, day),
            "frequency": frequency,
            "only_missing": only_missing,
            "help": POINTS_HELP,
            "may_set": access.can(request.user, perms.LEADER_LINK),
        },
    )


def _point_label(link) -> str:
    return link.unit.full_name if link.unit_id else link.target


@officer_required
@require_GET
def leader_points_export(request):
    _today, day, rows = _points(request)
    title = f"领导班子成员联系点落实情况（{day:%Y-%m-%d}所在期间）"
    audit = PersonalDataAudit(request, title)
    content = xlsx_table(
        sheet="领导班子联系点",
        headers=POINT_HEADERS,
        rows=audit.count(
            [
                r["person"].name,
                r["person"].primary_org.name if r["person"].primary_org else "",
                "；".join(r["roles"]),
                "；".join(_point_label(p) for p in r["points"]) or "未确定",
                "；".join(f"{p.done}/{p.required}" for p in r["points"]),
                r["status_label"],
            ]
            for r in rows
        ),
        title=title,
        widths=[12, 24, 30, 36, 16, 14],
    )
    return xlsx_response(request, content, "领导班子成员联系点.xlsx", audit=audit)
