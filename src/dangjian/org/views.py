"""Organisation and people screens. Thin: scope, validate, call a service, render."""

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Max
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET

from dangjian.core import access
from dangjian.core.audit import events_for
from dangjian.core.pagination import request_page
from dangjian.core.params import parse_int
from dangjian.core.scoping import get_for_user, scope_for
from dangjian.core.web import ActionView, ServiceFormView, editable_or_403, officer_required
from dangjian.org import counts, forms, selectors, services
from dangjian.org.filters import PersonFilter
from dangjian.org.models import (
    LeadingGroup,
    LeadingGroupMember,
    Organisation,
    PartyStatus,
    Person,
    PersonCategory,
    Position,
    StandingCause,
    Unit,
    UnitKind,
)
from dangjian.org.widgets import org_picker

PAGE_SIZE = 50


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
    page = _tree_page(request, selectors.officer_roots(request.user), reverse("org:org_roots"))
    return render(request, "org/org_tree.html", {**page, "q": q})


@officer_required
@require_GET
def org_roots(request):
    """The next organisations of the tree's first level ("显示更多")."""
    page = _tree_page(request, selectors.officer_roots(request.user), reverse("org:org_roots"))
    return render(request, "org/_tree_nodes.html", page)


@officer_required
@require_GET
def org_children(request, pk):
    org = get_for_user(Organisation.objects, request.user, pk=pk)
    children = Organisation.objects.filter(path__startswith=org.path, depth=org.depth + 1).order_by(
        "display_order", "path"
    )
    url = reverse("org:org_children", args=[org.pk])
    return render(request, "org/_tree_nodes.html", _tree_page(request, children, url, parent=org))


# Nodes of one level shown at a time; the rest come with "显示更多" (a page of the department's
# tree stays small whatever the number of organisations).
TREE_PAGE = 100


def _tree_page(request, qs, url, parent=None):
    """One page of a level of the tree (from `?start=`), with member counts and the link to
    the next page."""
    start = parse_int(request.GET.get("start"), 0, low=0)
    rows = list(qs[start : start + TREE_PAGE + 1])
    nodes, following = rows[:TREE_PAGE], rows[TREE_PAGE:]
    span = None
    if parent is None and nodes and scope_for(request.user).everything:
        # The department's roots are in path order: their subtrees lie from the first one's
        # path to the next page's first one.
        span = (nodes[0].path, following[0].path if following else None)
    _with_counts(request.user, nodes, parent=parent, span=span)
    more = f"{url}?{urlencode({'start': start + TREE_PAGE})}" if following else ""
    return {"nodes": nodes, "more_url": more}


def _with_counts(user, nodes, parent=None, span=None):
    """Attach the number of Party members under each node (from the count table)."""
    if not nodes:
        return nodes
    prefix = parent.path if parent else ""
    counts = selectors.subtree_member_counts(prefix, nodes, user=user, span=span)
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
        "member_total": counts.subtree_total(org),
        "can_edit": can_edit,
        "can_edit_groups": can_edit and not org.is_dissolved,
        "can_restructure": access.can(request.user, "org.restructure", org),
        "events": events_for(org),
    }
    return render(request, "org/org_detail.html", context)


class OrgPageForm(ServiceFormView):
    """A form reached from an organisation's page; back to that page when done."""

    def setup_object(self) -> None:
        self.org = self.get_org()
        super().setup_object()

    def get_org(self) -> Organisation | None:
        return editable_or_403(Organisation.objects, self.request.user, self.kwargs["pk"])

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"data": self.request.POST or None, **self.form_kwargs()}

    def get_crumbs(self) -> list[tuple[str, str]]:
        crumbs = [(reverse("org:org_tree"), "组织架构")]
        if self.org is not None:
            crumbs.append((reverse("org:org_detail", args=[self.org.pk]), self.org.name))
        return crumbs

    def get_success_url(self, result: Any) -> str:
        return reverse("org:org_detail", args=[self.org.pk])


class OrgCreate(OrgPageForm):
    form_class = forms.OrganisationForm
    title = "新建党组织"
    success_message = "已新建党组织。"

    def get_org(self) -> Organisation | None:
        """The parent; a top-level organisation is the department's to create."""
        if self.kwargs.get("parent_pk") is None:
            access.require(self.request.user, "org.create_top_level")
            return None
        return editable_or_403(Organisation.objects, self.request.user, self.kwargs["parent_pk"])

    def form_kwargs(self) -> dict[str, Any]:
        return {"parent": self.org}

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        help_text = f"上级组织：{self.org.name}" if self.org else ""
        return super().get_context_data(help=help_text, **context)

    def perform(self, data: dict[str, Any]) -> Organisation:
        return services.organisation_create(actor=self.request.user, parent=self.org, **data)

    def get_success_url(self, result: Organisation) -> str:
        return reverse("org:org_detail", args=[result.pk])


class OrgEdit(OrgPageForm):
    form_class = forms.OrganisationForm

    def form_kwargs(self) -> dict[str, Any]:
        return {"instance": self.org}

    def get_title(self) -> str:
        return f"编辑 {self.org.name}"

    def perform(self, data: dict[str, Any]) -> Organisation:
        return services.organisation_update(actor=self.request.user, org=self.org, **data)


class OrgRestructure(OrgPageForm):
    """Moving or dissolving: the level above's work (org.restructure)."""

    def get_org(self) -> Organisation:
        org = get_for_user(Organisation.objects, self.request.user, pk=self.kwargs["pk"])
        access.require(self.request.user, "org.restructure", org)
        return org


class OrgMove(OrgRestructure):
    form_class = forms.MoveForm

    def form_kwargs(self) -> dict[str, Any]:
        return {"user": self.request.user, "org": self.org}

    def get_title(self) -> str:
        return f"调整隶属关系：{self.org.name}"

    def perform(self, data: dict[str, Any]) -> Organisation:
        self.success_message = f"已调整{self.org.name}的隶属关系。"
        return services.organisation_move(actor=self.request.user, org=self.org, **data)


class OrgDissolve(OrgRestructure):
    form_class = forms.DissolveForm
    danger = True
    submit_label = "确认撤销"
    help_text = "撤销后组织及其下级组织停止使用，历史记录保留，不会删除。在册人员须先转出。"

    def form_kwargs(self) -> dict[str, Any]:
        return {"initial": {"dissolved_on": timezone.localdate()}}

    def get_title(self) -> str:
        return f"撤销 {self.org.name}"

    def perform(self, data: dict[str, Any]) -> Organisation:
        self.success_message = f"已撤销{self.org.name}（历史记录保留）。"
        return services.organisation_dissolve(actor=self.request.user, org=self.org, **data)


class PositionCreate(OrgPageForm):
    form_class = forms.PositionForm
    success_message = "已任命。"

    def form_kwargs(self) -> dict[str, Any]:
        return {"org": self.org, "user": self.request.user}

    def get_title(self) -> str:
        return f"任命职务：{self.org.name}"

    def perform(self, data: dict[str, Any]) -> Position:
        return services.position_create(actor=self.request.user, organisation=self.org, **data)


class PositionEnd(OrgPageForm):
    form_class = forms.PositionEndForm
    success_message = "已办理离任。"

    def get_org(self) -> Organisation:
        self.position = editable_or_403(
            Position.objects.select_related("organisation", "person"),
            self.request.user,
            self.kwargs["pk"],
        )
        return self.position.organisation

    def form_kwargs(self) -> dict[str, Any]:
        return {"initial": {"ends_on": timezone.localdate()}}

    def get_title(self) -> str:
        return f"离任：{self.position.person.name} {self.position.get_title_display()}"

    def perform(self, data: dict[str, Any]) -> Position:
        return services.position_end(actor=self.request.user, position=self.position, **data)


class TermCreate(OrgPageForm):
    form_class = forms.TermForm
    success_message = "已登记届次。"

    def get_title(self) -> str:
        return f"登记届次：{self.org.name}"

    def perform(self, data: dict[str, Any]) -> Any:
        return services.term_create(actor=self.request.user, organisation=self.org, **data)


# --- People -------------------------------------------------------------------------------


@officer_required
@require_GET
def person_list(request):
    filters = PersonFilter.for_page(request, selectors.people_for_list(request.user))
    qs = filters.qs
    page = request_page(request, qs, order=("name", "id"), size=PAGE_SIZE, narrow=True)
    params = filters.shown
    org = filters.organisation()
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
            "org_picker": org_picker("org", org),
            "total": selectors.people_total(request.user, filters, org),
            "total_limit": selectors.SEARCH_COUNT_LIMIT,
            "conditions": _drill_conditions(filters, params),
        },
    )


def _drill_conditions(filters: PersonFilter, params: dict[str, Any]) -> list[tuple[str, str]]:
    """The statistics' drill-down filters in force, as (label, value) for the bar: the
    page's form has no field for them, so they are said in words."""
    conditions = []
    for name in selectors.DRILL_FILTERS:
        if name not in params:
            continue
        field = filters.form.fields[name]
        value = params[name]
        choices = dict(getattr(field, "choices", []) or [])
        shown = choices.get(value, value)
        if name == "change_cause":
            shown = "、".join(
                str(StandingCause(c).label)
                for c in str(value).split(",")
                if c in StandingCause.values
            )
        conditions.append((str(field.label), str(shown)))
    return conditions


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
            "standing_history": person.standing_changes.select_related("organisation"),
            "positions": person.positions.select_related("organisation").order_by("-starts_on"),
            "events": events_for(person) if scope.is_officer else [],
            "age": person.age_on(timezone.localdate()),
        },
    )


class PersonPageForm(ServiceFormView):
    """A form on a person's record; back to it when done."""

    show_events = False

    def get_object(self) -> Person | None:
        return editable_or_403(Person.objects, self.request.user, self.kwargs["pk"])

    def get_crumbs(self) -> list[tuple[str, str]]:
        crumbs = [(reverse("org:person_list"), "人员名册")]
        if self.object is not None:
            url = reverse("org:person_detail", args=[self.object.pk])
            crumbs.append((url, self.object.name))
        return crumbs

    def get_success_url(self, result: Person) -> str:
        return reverse("org:person_detail", args=[result.pk])


class PersonCreate(PersonPageForm):
    form_class = forms.PersonForm
    title = "新增人员"
    success_message = "已新增人员。"

    def get_object(self) -> None:
        return None

    def get_form_kwargs(self) -> dict[str, Any]:
        org = self.request.GET.get("org")
        return {**super().get_form_kwargs(), "initial": {"primary_org": org} if org else {}}

    def perform(self, data: dict[str, Any]) -> Person:
        return services.person_create(actor=self.request.user, **data)


class PersonEdit(PersonPageForm):
    form_class = forms.PersonForm

    def get_title(self) -> str:
        return f"编辑 {self.object.name}"

    def perform(self, data: dict[str, Any]) -> Person:
        return services.person_update(actor=self.request.user, person=self.object, **data)


class PersonStatus(PersonPageForm):
    form_class = forms.StatusChangeForm
    success_message = "已记录政治面貌变更。"

    def get_form_kwargs(self) -> dict[str, Any]:
        initial = {"effective_on": timezone.localdate()}
        return {"data": self.request.POST or None, "initial": initial}

    def get_title(self) -> str:
        return f"政治面貌变更：{self.object.name}"

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        status = self.object.get_party_status_display()
        help_text = f"当前：{status}。变更将记入历史，不可删除。"
        return super().get_context_data(help=help_text, **context)

    def perform(self, data: dict[str, Any]) -> Person:
        return services.person_change_status(actor=self.request.user, person=self.object, **data)


class PersonLeave(PersonPageForm):
    form_class = forms.LeaveForm
    success_message = "已记录党籍变动。"
    access_action = "org.change_standing"
    danger = True
    submit_label = "确认办理"

    def get_form_kwargs(self) -> dict[str, Any]:
        initial = {"on": timezone.localdate()}
        return {"data": self.request.POST or None, "initial": initial}

    def get_title(self) -> str:
        return f"党籍变动：{self.object.name}"

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        help_text = (
            f"当前：{self.object.get_party_status_display()}，"
            f"{self.object.get_standing_display()}。办理后该人员不再计入在册人数，"
            "登录账号随之停用；记录进入党籍变动历史，不可删除。"
        )
        return super().get_context_data(help=help_text, **context)

    def perform(self, data: dict[str, Any]) -> Person:
        return services.person_leave(actor=self.request.user, person=self.object, **data)


class PersonRestore(PersonPageForm):
    form_class = forms.RestoreForm
    success_message = "已恢复党籍。"
    access_action = "org.change_standing"
    submit_label = "确认恢复"

    def get_form_kwargs(self) -> dict[str, Any]:
        initial = {"on": timezone.localdate()}
        return {"data": self.request.POST or None, "initial": initial}

    def get_title(self) -> str:
        return f"恢复党籍：{self.object.name}"

    def perform(self, data: dict[str, Any]) -> Person:
        return services.person_restore(actor=self.request.user, person=self.object, **data)


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
            "can_manage": access.can(request.user, "org.manage_units"),
        },
    )


def _unit_list_url(unit=None):
    return reverse("org:unit_list") + (f"#unit-{unit.pk}" if unit else "")


class UnitPageForm(ServiceFormView):
    """A form on the units page (the department's: org.manage_units)."""

    template_name = "org/unit_form.html"
    form_user_kwarg = False

    def setup_object(self) -> None:
        super().setup_object()  # an out-of-scope unit is a 404 first
        access.require(self.request.user, "org.manage_units")

    def get_object(self) -> Unit:
        return editable_or_403(
            Unit.objects.select_related("parent"), self.request.user, self.kwargs["pk"]
        )

    def get_crumbs(self) -> list[tuple[str, str]]:
        return [(_unit_list_url(self.object), "行政单位")]

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return super().get_context_data(unit=self.object, **context)

    def get_success_url(self, result: Unit) -> str:
        return _unit_list_url(result)


class UnitCreate(UnitPageForm):
    form_class = forms.UnitForm
    title = "新建行政单位"
    success_message = "已新建行政单位。"

    def get_object(self) -> None:
        return None

    def get_form_kwargs(self) -> dict[str, Any]:
        parent = parse_int(self.request.GET.get("parent"), low=1)
        initial = {"parent": parent} if parent else {}
        return {"data": self.request.POST or None, "initial": initial}

    def perform(self, data: dict[str, Any]) -> Unit:
        return services.unit_create(actor=self.request.user, **data)


class UnitEdit(UnitPageForm):
    form_class = forms.UnitForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"data": self.request.POST or None, "unit": self.object}

    def get_title(self) -> str:
        return f"编辑 {self.object.name}"

    def perform(self, data: dict[str, Any]) -> Unit:
        return services.unit_update(actor=self.request.user, unit=self.object, **data)


class UnitDissolve(UnitPageForm):
    form_class = forms.DissolveForm
    show_events = False
    danger = True
    submit_label = "确认撤销"
    help_text = (
        "撤销后该单位不再出现在人员、党组织覆盖单位的选项中，历史记录保留，不会删除。"
        "仍有在册人员或下级单位的，须先调整。"
    )

    def get_form_kwargs(self) -> dict[str, Any]:
        initial = {"dissolved_on": timezone.localdate()}
        return {"data": self.request.POST or None, "initial": initial}

    def get_title(self) -> str:
        return f"撤销 {self.object.name}"

    def perform(self, data: dict[str, Any]) -> Unit:
        self.success_message = f"已撤销{self.object.name}（历史记录保留）。"
        return services.unit_dissolve(actor=self.request.user, unit=self.object, **data)

    def get_success_url(self, result: Unit) -> str:
        return _unit_list_url()


# --- Leading groups -----------------------------------------------------------------------


def _group_anchor(group):
    return reverse("org:org_detail", args=[group.organisation_id]) + f"#lg-{group.pk}"


class LeadingGroupPageForm(OrgPageForm):
    """A leading group's form, on its organisation's page (the organisation is editable)."""

    template_name = "org/leading_group_form.html"
    form_class = forms.LeadingGroupForm
    group: LeadingGroup | None = None

    def get_org(self) -> Organisation:
        self.group = get_for_user(
            LeadingGroup.objects.select_related("organisation"),
            self.request.user,
            pk=self.kwargs["pk"],
        )
        return editable_or_403(Organisation.objects, self.request.user, self.group.organisation_id)

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return super().get_context_data(org=self.org, group=self.group, **context)

    def get_cancel_url(self) -> str:
        return _group_anchor(self.group) if self.group else super().get_cancel_url()

    def get_success_url(self, result: Any) -> str:
        return _group_anchor(self.group or result)


class LeadingGroupCreate(LeadingGroupPageForm):
    success_message = "已新建领导小组。"

    def get_org(self) -> Organisation:
        return editable_or_403(Organisation.objects, self.request.user, self.kwargs["pk"])

    def get_title(self) -> str:
        return f"新建领导小组：{self.org.name}"

    def perform(self, data: dict[str, Any]) -> LeadingGroup:
        return services.leading_group_create(actor=self.request.user, organisation=self.org, **data)


class LeadingGroupEdit(LeadingGroupPageForm):
    def form_kwargs(self) -> dict[str, Any]:
        return {"instance": self.group}

    def get_title(self) -> str:
        return f"编辑 {self.group.name}"

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return super().get_context_data(events=events_for(self.group), **context)

    def perform(self, data: dict[str, Any]) -> LeadingGroup:
        return services.leading_group_update(actor=self.request.user, group=self.group, **data)


class LeadingGroupMemberAdd(LeadingGroupPageForm):
    form_class = forms.LeadingGroupMemberForm
    success_message = "已添加成员。"

    def form_kwargs(self) -> dict[str, Any]:
        next_order = (self.group.members.aggregate(n=Max("display_order"))["n"] or 0) + 1
        return {
            "user": self.request.user,
            "query": self.query,
            "initial": {"role": LeadingGroupMember.Role.MEMBER, "display_order": next_order},
        }

    @property
    def query(self) -> str:
        return self.request.GET.get("q", "").strip()

    def get_title(self) -> str:
        return f"添加成员：{self.group.name}"

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return super().get_context_data(query=self.query, search=True, **context)

    def perform(self, data: dict[str, Any]) -> LeadingGroupMember:
        return services.leading_group_member_add(actor=self.request.user, group=self.group, **data)


@method_decorator(officer_required, name="dispatch")
class LeadingGroupMemberRemove(ActionView):
    def get_object(self) -> LeadingGroupMember:
        member = get_for_user(
            LeadingGroupMember.objects.select_related("group", "person"),
            self.request.user,
            pk=self.kwargs["pk"],
        )
        editable_or_403(Organisation.objects, self.request.user, member.group.organisation_id)
        return member

    def perform(self, obj: LeadingGroupMember, data: dict[str, Any]) -> LeadingGroup:
        group = services.leading_group_member_remove(actor=self.request.user, member=obj)
        role = obj.get_role_display()
        self.success_message = f"已将{obj.person.name}（{role}）移出{group.name}。"
        return group

    def get_success_url(self, obj: LeadingGroupMember) -> str:
        return _group_anchor(obj.group)
