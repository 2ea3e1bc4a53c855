"""Screens of contacts with the masses, 三联二访 links, visits, compliance and the 两访两创 summary.
Thin: scope, validate, call a service, render."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from dangjian.core import access
from dangjian.core.audit import events_for
from dangjian.core.export import PersonalDataAudit, xlsx_response, xlsx_table
from dangjian.core.pagination import request_page
from dangjian.core.scoping import get_for_user, scope_for
from dangjian.core.web import officer_required, submit
from dangjian.org.models import Person
from dangjian.outreach import forms, rules, selectors, services
from dangjian.outreach import permissions as perms
from dangjian.outreach.models import Contact, FocusGroup, Link, Visit, VisitKind

PAGE_SIZE = 50

CONTACT_HEADERS = [
    "序号",
    "姓名",
    "所在党支部",
    "政治面貌",
    "联系群众人数",
    "联系对象（关系）",
    "情况",
]
VISIT_HEADERS = [
    "日期",
    "走访人",
    "所在党组织",
    "走访类别",
    "联系点",
    "走访单位",
    "访谈对象",
    "重点群体",
    "方式",
    "走访内容及成效",
    "需要回访",
]


def _errors(exc: ValidationError) -> str:
    return "；".join(exc.messages)


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


def _contact_state(count: int) -> str:
    minimum, maximum = services.contact_limits()
    return rules.contact_status(count, maximum, minimum)


# --- contacts (seed 004 §四(二)4(2)) --------------------------------------------------------


@officer_required
@require_GET
def contact_list(request):
    """联系群众: the members of an organisation and how many non-Party people each keeps."""
    org = selectors.requested_org(request.user, request.GET)
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
    minimum, maximum = services.contact_limits()
    return render(
        request,
        "outreach/contact_list.html",
        {
            "org": org,
            "page": page,
            "status": params.get("status", ""),
            "base_query": urlencode(params),
            "stats": selectors.contact_stats(request.user, org),
            "org_choices": selectors.org_choices(request.user),
            "minimum": minimum,
            "maximum": maximum,
        },
    )


@officer_required
@require_GET
def contact_export(request):
    org = selectors.requested_org(request.user, request.GET)
    if org is None:
        raise PermissionDenied("您的管理范围内没有党组织。")
    qs = selectors.members_with_contacts(request.user, org, request.GET.get("status", ""))
    state_labels = {
        rules.CONTACT_NONE: "未联系群众",
        rules.CONTACT_OK: "符合要求",
        "over": "超过3名",
    }

    def rows():
        for index, p in enumerate(qs.order_by("primary_org__path", "name", "id"), start=1):
            yield [
                index,
                p.name,
                p.primary_org.name if p.primary_org_id else "",
                p.get_party_status_display(),
                p.active_contacts,
                "；".join(f"{c.name}（{c.relation}）" for c in p.active_list),
                state_labels[_contact_state(p.active_contacts)],
            ]

    audit = PersonalDataAudit(request, f"党员联系党外群众情况（{org.name}）")
    content = xlsx_table(
        sheet="党员联系群众",
        headers=CONTACT_HEADERS,
        rows=audit.count(rows()),
        title=f"党员联系党外群众情况（{org.name}）",
        widths=[6, 10, 20, 10, 12, 40, 12],
    )
    return xlsx_response(content, "党员联系群众.xlsx", audit=audit)


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
    minimum, maximum = services.contact_limits()
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


@officer_required
def contact_add(request, member_pk):
    """An officer registers a contact for a member of their organisation."""
    member = get_for_user(Person.objects.select_related("primary_org"), request.user, pk=member_pk)
    access.require(request.user, perms.MANAGE, member)
    form = forms.ContactForm(request.POST or None)
    if submit(
        request,
        form,
        lambda d: services.contact_create(actor=request.user, member=member, **d),
        f"已为{member.name}登记联系对象。",
    ):
        return redirect(
            f"{reverse('outreach:contact_list')}?org={member.primary_org_id}"
            if member.primary_org_id
            else reverse("outreach:contact_list")
        )
    return render(
        request,
        "outreach/contact_form.html",
        {"form": form, "member": member, "contacts": list(selectors.contacts_of(member))},
    )


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


@login_required
@require_POST
def contact_end(request, pk):
    contact = get_for_user(Contact.objects.select_related("member"), request.user, pk=pk)
    form = forms.EndForm(request.POST)
    back = request.POST.get("next") or reverse("outreach:contact_detail", args=[pk])
    if not back.startswith("/"):
        back = reverse("outreach:contact_detail", args=[pk])
    if not form.is_valid():
        messages.error(request, "请填写正确的结束日期。")
        return redirect(back)
    try:
        services.contact_end(actor=request.user, contact=contact, **form.cleaned_data)
        messages.success(request, f"已结束与{contact.name}的联系。")
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect(back)


# --- links of 三联二访 (seed 004 §四(四)1) ---------------------------------------------------


@officer_required
@require_GET
def link_list(request):
    qs, filters, org, state = selectors.links_for_list(request.user, request.GET)
    page = request_page(request, qs, order=("visitor__name", "id"), size=PAGE_SIZE)
    table = services.frequencies()
    for link in page.rows:
        link.frequency = table.get(link.kind)
    return render(
        request,
        "outreach/link_list.html",
        {
            "page": page,
            "filters": filters,
            "org": org,
            "state": state,
            "base_query": urlencode(filters),
            "org_choices": selectors.org_choices(request.user),
            "kinds": selectors.LINK_KIND_CHOICES,
            "frequencies": [(label, table[k].label) for k, label in selectors.LINK_KIND_CHOICES],
        },
    )


@officer_required
def link_create(request):
    org = selectors.requested_org(request.user, request.GET)
    form = forms.LinkForm(request.POST or None, user=request.user, org=org)
    link = submit(
        request,
        form,
        lambda d: services.link_create(actor=request.user, **d),
        "已设置联系点。",
    )
    if link:
        return redirect("outreach:link_detail", pk=link.pk)
    return render(request, "outreach/link_form.html", {"form": form, "org": org})


@login_required
@require_GET
def link_detail(request, pk):
    link = get_for_user(selectors.with_link_relations(Link.objects), request.user, pk=pk)
    today = timezone.localdate()
    period = services.period_for(link.kind, today) if link.kind in rules.LINK_KINDS else None
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


@officer_required
@require_POST
def link_end(request, pk):
    link = get_for_user(Link.objects, request.user, pk=pk)
    form = forms.EndForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写正确的结束日期。")
        return redirect("outreach:link_detail", pk=pk)
    try:
        services.link_end(actor=request.user, link=link, **form.cleaned_data)
        messages.success(request, "已结束该联系点。")
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("outreach:link_detail", pk=pk)


# --- visits -------------------------------------------------------------------------------


@officer_required
@require_GET
def visit_list(request):
    qs, filters, org = selectors.visits_for_list(request.user, request.GET)
    page = request_page(request, qs, order=("-visited_on", "-id"), size=PAGE_SIZE)
    return render(
        request,
        "outreach/visit_list.html",
        {
            "page": page,
            "filters": filters,
            "org": org,
            "base_query": urlencode(filters),
            "org_choices": selectors.org_choices(request.user),
            "kinds": VisitKind.choices,
            "focus_groups": FocusGroup.choices[1:],
            "this_month": timezone.localdate().strftime("%Y-%m"),
        },
    )


@officer_required
@require_GET
def visit_export(request):
    qs, _filters, org = selectors.visits_for_list(request.user, request.GET)

    def rows():
        for v in qs.order_by("-visited_on", "-id").iterator(chunk_size=2000):
            yield [
                v.visited_on,
                v.visitor.name,
                v.organisation.name,
                v.get_kind_display(),
                str(v.link.target or v.link.get_kind_display()) if v.link_id else "",
                v.unit.full_name if v.unit_id else "",
                v.interviewee,
                v.get_focus_group_display() if v.focus_group else "",
                v.get_method_display(),
                v.content,
                "是" if v.needs_follow_up else "否",
            ]

    audit = PersonalDataAudit(
        request, "三联二访、两访两创走访记录" + (f"（{org.name}）" if org else "")
    )
    content = xlsx_table(
        sheet="走访记录",
        headers=VISIT_HEADERS,
        rows=audit.count(rows()),
        title="三联二访、两访两创走访记录" + (f"（{org.name}）" if org else ""),
        widths=[12, 10, 18, 16, 16, 18, 12, 12, 8, 40, 8],
    )
    return xlsx_response(content, "走访记录.xlsx", audit=audit)


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
    link_pk = selectors.parse_int(request.GET.get("link"))
    if link_pk:
        link = Link.objects.filter(pk=link_pk, visitor=person).first()
        if link is not None:
            initial.update(link=link.pk, kind=link.kind, unit=link.unit_id)
    follow_pk = selectors.parse_int(request.GET.get("follow_up"))
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


@login_required
def visit_create(request):
    """登记走访 from a phone or a desk (single column, big inputs)."""
    person = _visitor(request.user)
    form = forms.VisitForm(
        request.POST or None, person=person, initial=_initial_visit(request, person)
    )
    if submit(
        request,
        form,
        lambda d: services.visit_create(actor=request.user, visitor=person, **d),
        "已登记走访。",
    ):
        if request.POST.get("again"):
            return redirect("outreach:visit_create")
        return redirect("outreach:my_visits")
    return render(request, "outreach/visit_form.html", {"form": form, "title": "登记走访"})


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


@login_required
def visit_edit(request, pk):
    visit = _editable_visit(request.user, pk)
    form = forms.VisitForm(request.POST or None, instance=visit, person=visit.visitor)
    if submit(
        request,
        form,
        lambda d: services.visit_update(actor=request.user, visit=visit, **d),
        "已保存。",
    ):
        return redirect("outreach:visit_detail", pk=pk)
    return render(
        request, "outreach/visit_form.html", {"form": form, "title": "修改走访记录", "visit": visit}
    )


@login_required
@require_POST
def visit_delete(request, pk):
    visit = _editable_visit(request.user, pk)
    try:
        services.visit_delete(actor=request.user, visit=visit)
        messages.success(request, "已删除走访记录。")
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    if visit.visitor_id == request.user.person_id:
        return redirect("outreach:my_visits")
    return redirect("outreach:visit_list")


# --- compliance and the interview summary ---------------------------------------------------


@officer_required
@require_GET
def compliance(request):
    """三联二访落实情况: each link in scope for the period containing the chosen day."""
    qs, base, filters, org, day = selectors.compliance_for(request.user, request.GET)
    today = timezone.localdate()
    page = request_page(
        request, qs, order=("organisation__path", "visitor__name", "id"), size=PAGE_SIZE
    )
    selectors.decorate(page.rows, day, today)
    periods = selectors.periods_on(day)
    table = services.frequencies()
    return render(
        request,
        "outreach/compliance.html",
        {
            "page": page,
            "rollup": selectors.rollup(base, today),
            "filters": filters,
            "org": org,
            "day": day,
            "base_query": urlencode(filters),
            "org_choices": selectors.org_choices(request.user),
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
def interview_summary(request):
    """两访两创访谈情况: visits of an organisation and year by kind and focus group."""
    org = selectors.requested_org(request.user, request.GET)
    if org is None:
        raise PermissionDenied("您的管理范围内没有党组织。")
    year = selectors.parse_int(
        request.GET.get("year"), default=timezone.localdate().year, low=2000, high=2100
    )
    return render(
        request,
        "outreach/interview_summary.html",
        {
            "org": org,
            "year": year,
            "summary": selectors.interview_summary(request.user, org, year),
            "org_choices": selectors.org_choices(request.user),
        },
    )
