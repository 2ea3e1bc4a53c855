"""Organisation and people screens. Thin: scope, validate, call a service, render."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Max
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from dangjian.core import access
from dangjian.core.audit import events_for
from dangjian.core.pagination import request_page
from dangjian.core.scoping import get_for_user, scope_for
from dangjian.core.web import editable_or_403, officer_required, submit
from dangjian.org import forms, selectors, services
from dangjian.org.models import (
    LeadingGroup,
    LeadingGroupMember,
    Organisation,
    PartyStatus,
    Person,
    PersonCategory,
    Position,
    Unit,
    UnitKind,
)
from dangjian.org.permissions import INSTITUTION

PAGE_SIZE = 50
# Beyond this many organisations the filter is reached from the tree (the org page's link).
ORG_FILTER_LIMIT = 300


def _restructurable(user, pk):
    """An organisation the user may move or dissolve (the level above acts, not the org itself)."""
    org = get_for_user(Organisation.objects, user, pk=pk)
    access.require(user, "org.restructure", org)
    return org


# --- Organisation tree -------------------------------------------------------------------


@officer_required
@require_GET
def org_tree(request):
    q = request.GET.get("q", "").strip()
    if q:
        matches = list(
            Organisation.objects.visible_to(request.user)
            .filter(name__contains=q)
            .order_by("path")[:200]
        )
        trails = _ancestor_names(matches)
        for match in matches:
            match.trail = trails[match.pk]
        return render(request, "org/org_tree.html", {"q": q, "matches": matches})
    roots = list(selectors.officer_roots(request.user))
    return render(
        request, "org/org_tree.html", {"nodes": _with_counts(request.user, roots), "q": q}
    )


@officer_required
@require_GET
def org_children(request, pk):
    org = get_for_user(Organisation.objects, request.user, pk=pk)
    children = list(
        Organisation.objects.filter(path__startswith=org.path, depth=org.depth + 1).order_by(
            "display_order", "path"
        )
    )
    return render(
        request, "org/_tree_nodes.html", {"nodes": _with_counts(request.user, children, parent=org)}
    )


def _with_counts(user, nodes, parent=None):
    """Attach the number of Party members under each node (one grouped query)."""
    if not nodes:
        return nodes
    prefix = parent.path if parent else ""
    counts = selectors.subtree_member_counts(prefix, nodes, user=user)
    for node in nodes:
        node.member_count = counts[node.path]
    return nodes


def _ancestor_names(orgs):
    """Full path names for search results, in one query for all ancestors."""
    steplen = Organisation.steplen
    paths = {o.path[:i] for o in orgs for i in range(steplen, len(o.path), steplen)}
    names = dict(Organisation.objects.filter(path__in=paths).values_list("path", "name"))
    return {
        o.pk: " / ".join(names.get(o.path[:i], "") for i in range(steplen, len(o.path), steplen))
        for o in orgs
    }


@officer_required
@require_GET
def org_detail(request, pk):
    org = get_for_user(Organisation.objects.prefetch_related("covered_units"), request.user, pk=pk)
    children = list(
        Organisation.objects.filter(path__startswith=org.path, depth=org.depth + 1).order_by(
            "display_order", "path"
        )
    )
    _with_counts(request.user, children, parent=org)
    members = list(
        Person.objects.visible_to(request.user)
        .filter(primary_org=org, is_active=True)
        .select_related("group")
        .order_by(selectors.members_first(), "name", "id")[: PAGE_SIZE + 1]
    )
    steplen = Organisation.steplen
    ancestors = list(
        Organisation.objects.filter(
            path__in=[org.path[:i] for i in range(steplen, len(org.path), steplen)]
        )
    )
    can_edit = Organisation.objects.editable_by(request.user).filter(pk=org.pk).exists()
    context = {
        "org": org,
        "ancestors": [a for a in ancestors if scope_for(request.user).covers_path(a.path)],
        "children": children,
        "officers": selectors.current_officers(org),
        "past_officers": Position.objects.filter(organisation=org, ends_on__lt=timezone.localdate())
        .select_related("person")
        .order_by("-ends_on")[:20],
        "terms": org.terms.all()[:5],
        "leading_groups": org.leading_groups.order_by("pk").prefetch_related("members__person"),
        "members": members[:PAGE_SIZE],
        "more_members": len(members) > PAGE_SIZE,
        "member_total": Person.objects.in_subtree(org).filter(is_active=True).count(),
        "can_edit": can_edit,
        "can_edit_groups": can_edit and not org.is_dissolved,
        "can_restructure": access.can(request.user, "org.restructure", org),
        "events": events_for(org),
    }
    return render(request, "org/org_detail.html", context)


def _create_org(user, parent, data):
    units = data.pop("covered_units")
    org = services.organisation_create(actor=user, parent=parent, **data)
    org.covered_units.set(units)
    return org


def _update_org(user, org, data):
    units = data.pop("covered_units")
    org = services.organisation_update(actor=user, org=org, **data)
    org.covered_units.set(units)
    return org


@officer_required
def org_create(request, parent_pk=None):
    parent = None
    if parent_pk is not None:
        parent = editable_or_403(Organisation.objects, request.user, parent_pk)
    else:
        access.require(request.user, "org.create_top_level", INSTITUTION)
    form = forms.OrganisationForm(request.POST or None, parent=parent)
    org = submit(request, form, lambda d: _create_org(request.user, parent, d), "已新建党组织。")
    if org:
        return redirect("org:org_detail", org.pk)
    return render(
        request, "org/org_form.html", {"form": form, "parent": parent, "title": "新建党组织"}
    )


@officer_required
def org_edit(request, pk):
    org = editable_or_403(Organisation.objects, request.user, pk)
    form = forms.OrganisationForm(request.POST or None, instance=org)
    if submit(request, form, lambda d: _update_org(request.user, org, d), "已保存。"):
        return redirect("org:org_detail", org.pk)
    return render(
        request, "org/org_form.html", {"form": form, "org": org, "title": f"编辑 {org.name}"}
    )


@officer_required
def org_move(request, pk):
    org = _restructurable(request.user, pk)
    form = forms.MoveForm(request.POST or None, user=request.user, org=org)
    if submit(
        request,
        form,
        lambda d: services.organisation_move(actor=request.user, org=org, **d),
        f"已调整{org.name}的隶属关系。",
    ):
        return redirect("org:org_detail", org.pk)
    return render(
        request,
        "org/org_form.html",
        {"form": form, "org": org, "title": f"调整隶属关系：{org.name}"},
    )


@officer_required
def org_dissolve(request, pk):
    org = _restructurable(request.user, pk)
    form = forms.DissolveForm(request.POST or None, initial={"dissolved_on": timezone.localdate()})
    if submit(
        request,
        form,
        lambda d: services.organisation_dissolve(actor=request.user, org=org, **d),
        f"已撤销{org.name}（历史记录保留）。",
    ):
        return redirect("org:org_detail", org.pk)
    return render(
        request,
        "org/org_form.html",
        {
            "form": form,
            "org": org,
            "title": f"撤销 {org.name}",
            "danger": True,
            "help": "撤销后组织及其下级组织停止使用，历史记录保留，不会删除。在册人员须先转出。",
        },
    )


@officer_required
def position_create(request, pk):
    org = editable_or_403(Organisation.objects, request.user, pk)
    form = forms.PositionForm(request.POST or None, org=org, user=request.user)
    if submit(
        request,
        form,
        lambda d: services.position_create(actor=request.user, organisation=org, **d),
        "已任命。",
    ):
        return redirect("org:org_detail", org.pk)
    return render(
        request, "org/org_form.html", {"form": form, "org": org, "title": f"任命职务：{org.name}"}
    )


@officer_required
def position_end(request, pk):
    position = editable_or_403(
        Position.objects.select_related("organisation", "person"), request.user, pk
    )
    form = forms.PositionEndForm(request.POST or None, initial={"ends_on": timezone.localdate()})
    if submit(
        request,
        form,
        lambda d: services.position_end(actor=request.user, position=position, **d),
        "已办理离任。",
    ):
        return redirect("org:org_detail", position.organisation_id)
    return render(
        request,
        "org/org_form.html",
        {
            "form": form,
            "org": position.organisation,
            "title": f"离任：{position.person.name} {position.get_title_display()}",
        },
    )


@officer_required
def term_create(request, pk):
    org = editable_or_403(Organisation.objects, request.user, pk)
    form = forms.TermForm(request.POST or None)
    if submit(
        request,
        form,
        lambda d: services.term_create(actor=request.user, organisation=org, **d),
        "已登记届次。",
    ):
        return redirect("org:org_detail", org.pk)
    return render(
        request, "org/org_form.html", {"form": form, "org": org, "title": f"登记届次：{org.name}"}
    )


# --- People -------------------------------------------------------------------------------


@officer_required
@require_GET
def person_list(request):
    qs, org = selectors.people_for_list(request.user, request.GET)
    page = request_page(request, qs, order=("name", "id"), size=PAGE_SIZE)
    params = {k: request.GET[k] for k in selectors.PERSON_FILTERS if request.GET.get(k)}
    return render(
        request,
        "org/person_list.html",
        {
            "page": page,
            "org": org,
            "params": params,
            "base_query": urlencode(params),
            "statuses": PartyStatus.choices,
            "categories": PersonCategory.choices,
            "org_choices": Organisation.objects.visible_to(request.user)
            .active()
            .exclude(kind="group")
            .only("id", "name", "depth")[:ORG_FILTER_LIMIT],
            "total": qs.count(),
        },
    )


@login_required
@require_GET
def person_detail(request, pk):
    person = get_for_user(
        Person.objects.select_related("primary_org", "group", "unit__parent"), request.user, pk=pk
    )
    scope = scope_for(request.user)
    return render(
        request,
        "org/person_detail.html",
        {
            "person": person,
            "show_full_identity": selectors.sees_full_identity(request.user),
            "can_edit": Person.objects.editable_by(request.user).filter(pk=pk).exists(),
            "history": person.status_changes.select_related("recorded_by"),
            "positions": person.positions.select_related("organisation").order_by("-starts_on"),
            "events": events_for(person) if scope.is_officer else [],
            "age": person.age_on(timezone.localdate()),
        },
    )


@officer_required
def person_create(request):
    initial = {"primary_org": request.GET.get("org")} if request.GET.get("org") else {}
    form = forms.PersonForm(request.POST or None, user=request.user, initial=initial)
    person = submit(
        request, form, lambda d: services.person_create(actor=request.user, **d), "已新增人员。"
    )
    if person:
        return redirect("org:person_detail", person.pk)
    return render(request, "org/person_form.html", {"form": form, "title": "新增人员"})


@officer_required
def person_edit(request, pk):
    person = editable_or_403(Person.objects, request.user, pk)
    form = forms.PersonForm(request.POST or None, instance=person, user=request.user)
    if submit(
        request,
        form,
        lambda d: services.person_update(actor=request.user, person=person, **d),
        "已保存。",
    ):
        return redirect("org:person_detail", person.pk)
    return render(
        request,
        "org/person_form.html",
        {"form": form, "person": person, "title": f"编辑 {person.name}"},
    )


@officer_required
def person_status(request, pk):
    person = editable_or_403(Person.objects, request.user, pk)
    form = forms.StatusChangeForm(
        request.POST or None, initial={"effective_on": timezone.localdate()}
    )
    if submit(
        request,
        form,
        lambda d: services.person_change_status(actor=request.user, person=person, **d),
        "已记录政治面貌变更。",
    ):
        return redirect("org:person_detail", person.pk)
    return render(
        request,
        "org/person_form.html",
        {
            "form": form,
            "person": person,
            "title": f"政治面貌变更：{person.name}",
            "help": f"当前：{person.get_party_status_display()}。变更将记入历史，不可删除。",
        },
    )


# --- Administrative units -----------------------------------------------------------------

UNIT_FILTERS = ("q", "kind", "dissolved")
UNIT_PAGE_SIZE = 50  # rows of a filtered list
UNIT_ROOTS_PER_PAGE = 20  # top-level units (with everything below them) per page of the tree


@officer_required
@require_GET
def unit_list(request):
    """Units as a tree (top-level units and everything below, indented), or as a flat list
    with the parent shown when filtered by kind or name. Every officer reads all units."""
    params = {k: request.GET[k].strip() for k in UNIT_FILTERS if request.GET.get(k, "").strip()}
    qs = Unit.objects.visible_to(request.user)
    if not params.get("dissolved"):
        qs = qs.active()
    filtered = bool(params.get("q") or params.get("kind"))
    if filtered:
        if params.get("q"):
            qs = qs.filter(name__contains=params["q"])
        if params.get("kind"):
            qs = qs.filter(kind=params["kind"])
        page = Paginator(qs.select_related("parent"), UNIT_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        units = list(page)
    else:
        page = Paginator(qs.filter(parent__isnull=True), UNIT_ROOTS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        units = selectors.unit_tree(list(page), qs)
    selectors.annotate_units(units)
    scope = scope_for(request.user)
    for unit in units:
        for org in unit.party_org_list:
            org.linkable = scope.covers_path(org.path)
    return render(
        request,
        "org/unit_list.html",
        {
            "units": units,
            "page": page,
            "filtered": filtered,
            "params": params,
            "base_query": urlencode(params),
            "kinds": UnitKind.choices,
            "can_manage": access.can(request.user, "org.manage_units", INSTITUTION),
        },
    )


def _unit_list_url(unit=None):
    return reverse("org:unit_list") + (f"#unit-{unit.pk}" if unit else "")


@officer_required
def unit_create(request):
    access.require(request.user, "org.manage_units", INSTITUTION)
    initial = {}
    parent = request.GET.get("parent", "")
    if parent.isdigit():
        initial["parent"] = int(parent)
    form = forms.UnitForm(request.POST or None, initial=initial)
    unit = submit(
        request,
        form,
        lambda d: services.unit_create(actor=request.user, **d),
        "已新建行政单位。",
    )
    if unit:
        return redirect(_unit_list_url(unit))
    return render(request, "org/unit_form.html", {"form": form, "title": "新建行政单位"})


@officer_required
def unit_edit(request, pk):
    unit = editable_or_403(Unit.objects.select_related("parent"), request.user, pk)
    form = forms.UnitForm(request.POST or None, unit=unit)
    if submit(
        request,
        form,
        lambda d: services.unit_update(actor=request.user, unit=unit, **d),
        "已保存。",
    ):
        return redirect(_unit_list_url(unit))
    return render(
        request,
        "org/unit_form.html",
        {"form": form, "unit": unit, "title": f"编辑 {unit.name}", "events": events_for(unit)},
    )


@officer_required
def unit_dissolve(request, pk):
    unit = editable_or_403(Unit.objects.all(), request.user, pk)
    form = forms.DissolveForm(request.POST or None, initial={"dissolved_on": timezone.localdate()})
    if submit(
        request,
        form,
        lambda d: services.unit_dissolve(actor=request.user, unit=unit, **d),
        f"已撤销{unit.name}（历史记录保留）。",
    ):
        return redirect("org:unit_list")
    return render(
        request,
        "org/unit_form.html",
        {
            "form": form,
            "unit": unit,
            "title": f"撤销 {unit.name}",
            "danger": True,
            "help": "撤销后该单位不再出现在人员、党组织覆盖单位的选项中，历史记录保留，不会删除。"
            "仍有在册人员或下级单位的，须先调整。",
        },
    )


# --- Leading groups -----------------------------------------------------------------------


def _group_anchor(group):
    return reverse("org:org_detail", args=[group.organisation_id]) + f"#lg-{group.pk}"


@officer_required
def leading_group_create(request, pk):
    org = editable_or_403(Organisation.objects, request.user, pk)
    form = forms.LeadingGroupForm(request.POST or None)
    group = submit(
        request,
        form,
        lambda d: services.leading_group_create(actor=request.user, organisation=org, **d),
        "已新建领导小组。",
    )
    if group:
        return redirect(_group_anchor(group))
    return render(
        request,
        "org/leading_group_form.html",
        {"form": form, "org": org, "title": f"新建领导小组：{org.name}"},
    )


def _editable_group(user, pk):
    """A leading group whose organisation the user may change (404 out of scope, else 403)."""
    group = get_for_user(LeadingGroup.objects.select_related("organisation"), user, pk=pk)
    editable_or_403(Organisation.objects, user, group.organisation_id)
    return group


@officer_required
def leading_group_edit(request, pk):
    group = _editable_group(request.user, pk)
    form = forms.LeadingGroupForm(request.POST or None, instance=group)
    if submit(
        request,
        form,
        lambda d: services.leading_group_update(actor=request.user, group=group, **d),
        "已保存。",
    ):
        return redirect(_group_anchor(group))
    return render(
        request,
        "org/leading_group_form.html",
        {
            "form": form,
            "org": group.organisation,
            "group": group,
            "title": f"编辑 {group.name}",
            "events": events_for(group),
        },
    )


@officer_required
def leading_group_member_add(request, pk):
    group = _editable_group(request.user, pk)
    query = request.GET.get("q", "").strip()
    next_order = (group.members.aggregate(n=Max("display_order"))["n"] or 0) + 1
    form = forms.LeadingGroupMemberForm(
        request.POST or None,
        user=request.user,
        query=query,
        initial={"role": LeadingGroupMember.Role.MEMBER, "display_order": next_order},
    )
    if submit(
        request,
        form,
        lambda d: services.leading_group_member_add(actor=request.user, group=group, **d),
        "已添加成员。",
    ):
        return redirect(_group_anchor(group))
    return render(
        request,
        "org/leading_group_form.html",
        {
            "form": form,
            "org": group.organisation,
            "group": group,
            "title": f"添加成员：{group.name}",
            "query": query,
            "search": True,
        },
    )


@officer_required
@require_POST
def leading_group_member_remove(request, pk):
    member = get_for_user(
        LeadingGroupMember.objects.select_related("group", "person"), request.user, pk=pk
    )
    editable_or_403(Organisation.objects, request.user, member.group.organisation_id)
    try:
        group = services.leading_group_member_remove(actor=request.user, member=member)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(_group_anchor(member.group))
    messages.success(
        request, f"已将{member.person.name}（{member.get_role_display()}）移出{group.name}。"
    )
    return redirect(_group_anchor(group))
