"""The one access policy: who the user is, and what they may do, asked by action.

Who the user is: their Scope (`scope_for(user)`) — the organisations whose subtrees they act on
as an officer, whether they act for the whole institution (the department), and their own
person. The org app supplies the position-based resolver (org.scoping).

Reading and changing rows is the scoping idiom (core.scoping: `visible_to`, `editable_by`,
`get_for_user`). Every other right — deciding a grade, verifying a rectification, confirming a
post, creating a round — is an *action* that an app declares in its `permissions.py`, naming the
*relation* the user must have to the object:

    # branches/permissions.py
    from dangjian.core.access import ABOVE, SCOPE, Action, declare

    declare(
        Action("branches.decide_grading", ABOVE, org="branch", label="决定分类定级等次"),
        Action("branches.edit_plan", SCOPE, org="branch", label="修改整改方案"),
    )

Views, the API and services then ask the same three questions:

    can(user, "branches.decide_grading", grading)            -> bool (show the button?)
    require(user, "branches.decide_grading", grading)        -> PermissionDenied naming the rule
    Grading.objects.restrict(user, "branches.decide_grading")  rows the user may act on

The relations are defined once, here:

    SCOPE       an officer of the object's organisation or of a level above it, or the department
    ABOVE       the level above the object's organisation (its own officers are not)
    DEPARTMENT  the organisation department (and administrators, and committee officers)
    STAFF       the organisation department's own staff and administrators only
    OFFICER     any officer at all (secretary, deputy, committee member) or the department
    SELF        the person the object is about (`person=` names the field)
    MEMBER      anyone signed in with a person record
    PUBLIC      anyone, signed in or not

An action may name several relations (`(SELF, SCOPE)`): any one of them suffices.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

from django.core.exceptions import PermissionDenied
from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dangjian.core.models import User

# Whoever asks: a signed-in user, the anonymous visitor, or nobody (a command, the sweep).
Actor: TypeAlias = "User | AnonymousUser | None"

# --- who the user is: their scope ---------------------------------------------------------

SCOPE_CACHE_ATTR = "_dangjian_scope"


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    org_paths: tuple[str, ...] = ()
    person_id: int | None = None
    # Acts for the whole institution: the organisation department (and administrators), or an
    # officer of a committee. Creates evaluation rounds and grading years, edits templates.
    department: bool = False

    @property
    def is_officer(self) -> bool:
        return self.everything or bool(self.org_paths)

    def covers_path(self, path: str) -> bool:
        return self.everything or any(path.startswith(p) for p in self.org_paths)

    def above_path(self, path: str) -> bool:
        """Strictly above the organisation at `path`: its own officers are not the level above."""
        return self.everything or (self.covers_path(path) and path not in self.org_paths)


ANONYMOUS = Scope()

# Who holds which organisations is the org app's knowledge (positions); it registers the
# function that reads it when it is ready, so core depends on nothing above it.
_resolver: Callable[[Any], Scope] | None = None


def set_scope_resolver(resolver: Callable[[Any], Scope]) -> None:
    global _resolver
    _resolver = resolver


def scope_for(user: Actor) -> Scope:
    """The user's scope, computed once per request object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, SCOPE_CACHE_ATTR, None)
    if cached is not None:
        return cached
    if user.admin_role == "audit":
        # 三员分立: the audit administrator reads the audit logs and no business data.
        scope = ANONYMOUS
    elif user.is_superuser or user.is_org_officer:
        scope = Scope(everything=True, person_id=user.person_id, department=True)
    elif user.person_id and _resolver is not None:
        scope = _resolver(user)
    else:
        scope = ANONYMOUS
    setattr(user, SCOPE_CACHE_ATTR, scope)
    return scope


def is_department(user: Actor) -> bool:
    """Acts for the whole institution (see Scope.department)."""
    return scope_for(user).department


def paths_q(field: str, paths: tuple[str, ...]) -> models.Q:
    """Rows whose materialised path starts with one of `paths` (index-friendly prefix match)."""
    q = models.Q(pk__in=[])
    for path in paths:
        q |= models.Q(**{f"{field}__startswith": path})
    return q


# --- relations and actions ----------------------------------------------------------------


@dataclass(frozen=True)
class Relation:
    name: str
    # The refusal when the relation does not hold: "{label}" is the action's label.
    refusal: str

    def __str__(self) -> str:
        return self.name


SCOPE = Relation("scope", "您不是该党组织或其上级党组织的书记、委员，不能{label}。")
ABOVE = Relation(
    "above", "{label}须由上级党组织（党总支、党委）或党委组织部办理，本组织不能为自己办理。"
)
DEPARTMENT = Relation("department", "{label}由党委组织部（“168”领导小组办公室）办理。")
STAFF = Relation("staff", "{label}由党委组织部干事办理。")
OFFICER = Relation("officer", "仅党组织书记、委员和组织部干事可以{label}。")
SELF = Relation("self", "只能{label}本人的记录。")
MEMBER = Relation("member", "您的账号没有关联党员信息，不能{label}，请联系组织部干事。")
PUBLIC = Relation("public", "")


@dataclass(frozen=True)
class Action:
    """One right. `org` and `person` are Django lookups from the object to its organisation and
    to the person it is about ("" for an organisation itself; "plan__branch" follows a
    relation). `message` replaces the relation's refusal where the rule has its own words."""

    name: str
    relations: Relation | tuple[Relation, ...]
    org: str | None = None
    person: str | None = None
    label: str = "办理"
    message: str | None = None
    _relations: tuple[Relation, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        relations = self.relations if isinstance(self.relations, tuple) else (self.relations,)
        object.__setattr__(self, "_relations", relations)

    @property
    def refusal(self) -> str:
        if self.message:
            return self.message
        return self._relations[-1].refusal.format(label=self.label)


class UnknownAction(LookupError):
    pass


_ACTIONS: dict[str, Action] = {}


def declare(*actions: Action) -> None:
    """Register an app's actions (called by its permissions.py, loaded when apps are ready)."""
    for action in actions:
        if action.name in _ACTIONS and _ACTIONS[action.name] != action:
            raise ValueError(f"access action declared twice: {action.name}")
        _ACTIONS[action.name] = action


def action(name: str) -> Action:
    try:
        return _ACTIONS[name]
    except KeyError:
        raise UnknownAction(f"undeclared access action: {name}") from None


def declared() -> dict[str, Action]:
    return dict(_ACTIONS)


# --- the relations on one object ----------------------------------------------------------


def _follow(obj: Any, lookup: str | None) -> Any:
    if lookup is None or obj is None:
        return None
    for name in filter(None, lookup.split("__")):
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return obj


def _person_id(obj: Any, lookup: str | None) -> int | None:
    if lookup is None or obj is None:
        return None
    if lookup == "":
        return obj.pk
    head, _, last = lookup.rpartition("__")
    owner = _follow(obj, head) if head else obj
    if owner is None:
        return None
    # A foreign key's id without loading the row.
    value = getattr(owner, f"{last}_id", None)
    if value is None:
        target = getattr(owner, last, None)
        value = getattr(target, "pk", target)
    return value


def _holds(relation: Relation, scope: Scope, act: Action, obj: Any) -> bool:
    if relation is PUBLIC:
        return True
    if relation is MEMBER:
        return scope.person_id is not None
    if relation is OFFICER:
        return scope.is_officer
    if relation is DEPARTMENT:
        return scope.department
    if relation is STAFF:
        return scope.everything
    if relation is SELF:
        person_id = _person_id(obj, act.person)
        return person_id is not None and person_id == scope.person_id
    if obj is None or act.org is None:
        # No organisation to act on (a create form before one is chosen): any officer.
        return scope.is_officer
    org = obj if act.org == "" else _follow(obj, act.org)
    if org is None:
        # A row that belongs to no organisation: only those who act on everything.
        return scope.everything
    if relation is SCOPE:
        return scope.covers_path(org.path)
    if relation is ABOVE:
        return scope.above_path(org.path)
    raise ValueError(f"unknown relation {relation}")


def can(user: Actor, name: str, obj: Any = None) -> bool:
    """May `user` do action `name` (to `obj`)?"""
    act = action(name)
    scope = scope_for(user)
    if scope is ANONYMOUS and PUBLIC not in act._relations:
        return False
    return any(_holds(relation, scope, act, obj) for relation in act._relations)


def require(user: Actor, name: str, obj: Any = None) -> None:
    """Refuse with the rule's own words (PermissionDenied → 403, recorded as a refusal)."""
    if not can(user, name, obj):
        raise PermissionDenied(action(name).refusal)


def refusal(name: str) -> str:
    return action(name).refusal


# --- the relations on a queryset ----------------------------------------------------------


def _org_path_field(lookup: str) -> str:
    return f"{lookup}__path" if lookup else "path"


def _relation_q(relation: Relation, scope: Scope, act: Action) -> models.Q | None:
    """The rows for which `relation` holds; None means every row."""
    nothing = models.Q(pk__in=[])
    if relation is PUBLIC:
        return None
    if relation is MEMBER:
        return None if scope.person_id is not None else nothing
    if relation is OFFICER:
        return None if scope.is_officer else nothing
    if relation is DEPARTMENT:
        return None if scope.department else nothing
    if relation is STAFF:
        return None if scope.everything else nothing
    if relation is SELF:
        if act.person is None or scope.person_id is None:
            return nothing
        return models.Q(**{act.person or "pk": scope.person_id})
    if act.org is None:
        return None if scope.is_officer else nothing
    if scope.everything:
        return None
    path = _org_path_field(act.org)
    q = paths_q(path, scope.org_paths)
    if relation is ABOVE:
        q &= ~models.Q(**{f"{path}__in": scope.org_paths})
    return q


def restrict(queryset: models.QuerySet[Any], user: Actor, name: str) -> models.QuerySet[Any]:
    """`queryset` narrowed to the rows on which `user` may do action `name`; "view" and
    "change" are the scoping idiom's `visible_to` and `editable_by`."""
    if name == "view":
        return queryset.visible_to(user)  # type: ignore[attr-defined]
    if name == "change":
        return queryset.editable_by(user)  # type: ignore[attr-defined]
    act = action(name)
    scope = scope_for(user)
    if scope is ANONYMOUS and PUBLIC not in act._relations:
        return queryset.none()
    combined: models.Q | None = models.Q(pk__in=[])
    for relation in act._relations:
        q = _relation_q(relation, scope, act)
        if q is None:
            return queryset
        combined = combined | q if combined is not None else q
    return queryset.filter(combined)


def actions_of(user: Actor, names: Iterable[str], obj: Any = None) -> dict[str, bool]:
    """Several answers at once for a template: {"decide_grading": True, ...} keyed by the
    part of each name after the app's dot."""
    return {name.split(".", 1)[-1]: can(user, name, obj) for name in names}
