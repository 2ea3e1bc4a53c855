"""A record type's screens and API, declared once.

A record type that is read, filtered, exported and edited like most registers (a contact log, a
member away, a fund entry) declares what is particular to it — the model, the list's columns and
filters, the form, the three services — and gets:

- the list page (filter bar, keyset pages, export to XLSX, the empty state), the detail page
  (fields, edit and delete buttons, the audit trail), the create and edit pages (a
  `core.web.ServiceFormView`) and the delete button (a `core.web.ActionView`);
- the API: list, retrieve, create, partial update and delete, validated by the same form and
  written by the same services, with the same filters (`filterset_class`).

    AWAY = RecordType(
        model=MemberAway, namespace="membership", name="away", label="流动党员",
        form=forms.MemberAwayForm, filterset=filters.MemberAwayFilter,
        columns=[Column("姓名", "person.name", link=True), Column("类别", "kind"), ...],
        create=services.away_create, update=services.away_update, delete=services.away_delete,
        object_kwarg="away",
    )
    urlpatterns = AWAY.urls()                 # in the app's urls.py
    router.register("away", AWAY.viewset())   # in its api_urls.py

Services are called as `create(actor=user, **data)`, `update(actor=user, <object_kwarg>=row,
**data)` with only what was given, and `delete(actor=user, <object_kwarg>=row)`; they check the
rights and rules, as every service does. What a record type needs beyond this (a workflow step,
a print form) is written beside it as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.response import Response

from dangjian.core.api_views import ScopedViewSet
from dangjian.core.audit import events_for
from dangjian.core.export import PersonalDataAudit, xlsx_response, xlsx_table
from dangjian.core.filters import FlagFilter, ListFilterSet, SubtreeFilter, related_model
from dangjian.core.pagination import request_page
from dangjian.core.scoping import get_for_user, scope_for
from dangjian.core.web import ActionView, ServiceFormView, editable_or_403, officer_required

# A filter bar offers at most this many organisations when no type-ahead is registered.
ORG_CHOICES_LIMIT = 500

# The type-ahead of an organisation filter: (name, chosen organisation) -> the context of
# `ORG_PICKER_TEMPLATE`. Registered by the org app (org.widgets.org_picker), which core
# cannot import.
_org_picker: Callable[[str, Any], dict[str, Any]] | None = None
ORG_PICKER_TEMPLATE = "org/widgets/typeahead.html"


def set_org_picker(picker: Callable[[str, Any], dict[str, Any]]) -> None:
    global _org_picker
    _org_picker = picker


@dataclass(frozen=True)
class Column:
    """A column of the list and its export: `attr` is a dotted path from the row (a field with
    choices shows its label; a method is called)."""

    header: str
    attr: str
    link: bool = False
    width: int = 16


def shown(value: Any) -> str:
    """A value as a page shows it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def cell(row: Any, attr: str) -> Any:
    obj = row
    *path_, last = attr.split(".")
    for name in path_:
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    display = getattr(obj, f"get_{last}_display", None)
    value = display() if display is not None else getattr(obj, last)
    return value() if callable(value) else value


@dataclass
class RecordType:
    model: type[models.Model]
    namespace: str  # the app's URL namespace
    name: str  # URL prefix and name stem: "<namespace>:<name>_list"
    label: str  # 流动党员
    form: Any  # a form class taking `user=`: the input of the pages and the API
    filterset: type[ListFilterSet]
    columns: Sequence[Column]
    create: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., Any]
    object_kwarg: str  # the row's keyword in update and delete
    order: tuple[str, ...] = ("-id",)
    select_related: tuple[str, ...] = ()
    details: Sequence[Column] = ()  # the detail page's fields (default: the columns)
    empty_text: str = "暂无记录。"
    add_label: str = ""  # the list's button (default: 登记<label>)
    # More buttons beside it, for those who may add: (URL name, label, Bootstrap icon).
    add_actions: Sequence[tuple[str, str, str]] = ()
    help_text: str = ""  # above the form
    personal_data: bool = True  # exports are recorded as exports of personal data
    api_fields: Sequence[str] = ()  # the API's output fields besides id and the form's
    page_size: int = 50
    officers_only: bool = False  # the list and its export (members read the rows elsewhere)
    own_detail_page: bool = False  # the app routes `<name>_detail` to a page of its own
    _viewset: Any = field(default=None, init=False, repr=False)

    # --- reading ---------------------------------------------------------------------------

    def queryset(self, user: Any) -> models.QuerySet[Any]:
        qs = self.model._default_manager.visible_to(user)  # type: ignore[attr-defined]
        return qs.select_related(*self.select_related) if self.select_related else qs

    def url(self, suffix: str, *args: Any) -> str:
        return reverse(f"{self.namespace}:{self.name}_{suffix}", args=args)

    def rows(self, objects: Sequence[Any]) -> list[tuple[Any, list[tuple[str, bool]]]]:
        return [(o, [(shown(cell(o, c.attr)), c.link) for c in self.columns]) for o in objects]

    def filter_bar(self, filters: ListFilterSet, user: Any) -> list[dict[str, Any]]:
        """The bar's controls: each filter's field, organisations as a choice of those seen."""
        bar = []
        for name, bound in filters.form.fields.items():
            control: dict[str, Any] = {
                "name": name,
                "label": bound.label or name,
                "value": filters.data.get(name, ""),
            }
            flt = filters.filters[name]
            if isinstance(flt, SubtreeFilter) and _org_picker is not None:
                control["picker"] = _org_picker(name, filters.organisation(name))
                control["picker_template"] = ORG_PICKER_TEMPLATE
            elif isinstance(flt, SubtreeFilter):
                orgs = related_model(self.model, flt.field_name)._default_manager.visible_to(user)
                control["choices"] = [
                    (str(o.pk), o.name) for o in orgs.order_by("path")[:ORG_CHOICES_LIMIT]
                ]
            elif isinstance(flt, FlagFilter):
                control["choices"] = [("1", "是"), ("0", "否")]
            elif isinstance(bound, forms.ChoiceField):
                choices: Any = bound.choices
                control["choices"] = [(str(v), t) for v, t in choices if v not in ("", None)]
            bar.append(control)
        return bar

    def list_view(self, request: HttpRequest) -> HttpResponse:
        filters = self.filterset.for_page(request, self.queryset(request.user))
        page = request_page(request, filters.qs, order=self.order, size=self.page_size)
        return render(
            request,
            "core/record_list.html",
            {
                "record": self,
                "page": page,
                "rows": self.rows(page.rows),
                "bar": self.filter_bar(filters, request.user),
                "base_query": filters.querystring(),
                "may_add": scope_for(request.user).is_officer,
                "errors": filters.form.errors,
            },
        )

    def export_view(self, request: HttpRequest) -> HttpResponseBase:
        filters = self.filterset.for_page(request, self.queryset(request.user))
        objects = filters.qs.order_by(*self.order).iterator(chunk_size=2000)
        rows: Any = ([cell(o, c.attr) for c in self.columns] for o in objects)
        audit = PersonalDataAudit(request, self.label) if self.personal_data else None
        if audit is not None:
            rows = audit.count(rows)
        content = xlsx_table(
            sheet=self.label,
            title=f"{self.label}（导出于{timezone.localdate().isoformat()}）",
            headers=[c.header for c in self.columns],
            rows=rows,
            widths=[c.width for c in self.columns],
        )
        return xlsx_response(request, content, f"{self.label}.xlsx", audit=audit)

    def detail_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = get_for_user(self.queryset(request.user), request.user, pk=pk)
        fields = [(c.header, shown(cell(obj, c.attr))) for c in (self.details or self.columns)]
        may_edit = self.model._default_manager.editable_by(request.user).filter(pk=pk).exists()  # type: ignore[attr-defined]
        return render(
            request,
            "core/record_detail.html",
            {
                "record": self,
                "object": obj,
                "fields": fields,
                "may_edit": may_edit,
                "events": events_for(obj),
            },
        )

    # --- writing ---------------------------------------------------------------------------

    def _editable(self, user: Any, pk: int) -> Any:
        return editable_or_403(self.queryset(user), user, pk)

    def form_view(self) -> type[ServiceFormView]:
        record = self

        class RecordForm(ServiceFormView):
            form_class = record.form
            help_text = record.help_text
            multipart = any(
                isinstance(f, forms.FileField) for f in record.form.base_fields.values()
            )

            def get_object(self) -> Any:
                pk = self.kwargs.get("pk")
                return None if pk is None else record._editable(self.request.user, pk)

            def get_title(self) -> str:
                return f"编辑{record.label}" if self.object else f"登记{record.label}"

            def get_crumbs(self) -> list[tuple[str, str]]:
                crumbs = [(record.url("list"), record.label)]
                if self.object is not None:
                    crumbs.append((record.url("detail", self.object.pk), str(self.object)))
                return crumbs

            def perform(self, data: dict[str, Any]) -> Any:
                user = self.request.user
                if self.object is None:
                    return record.create(actor=user, **data)
                return record.update(actor=user, **{record.object_kwarg: self.object}, **data)

            def get_success_url(self, result: Any) -> str:
                return record.url("detail", result.pk)

        return RecordForm

    def delete_view(self) -> type[ActionView]:
        record = self

        class RecordDelete(ActionView):
            success_message = f"已删除该{record.label}记录。"

            def get_object(self) -> Any:
                return record._editable(self.request.user, self.kwargs["pk"])

            def perform(self, obj: Any, data: dict[str, Any]) -> Any:
                record.delete(actor=self.request.user, **{record.object_kwarg: obj})
                self.deleted = True

            def get_success_url(self, obj: Any) -> str:
                # Back to the list once the row is gone; to the row when the delete was refused.
                if getattr(self, "deleted", False):
                    return record.url("list")
                return record.url("detail", obj.pk)

        return RecordDelete

    def urls(self) -> list[URLPattern]:
        n = self.name
        guard: Callable[..., Any] = officer_required if self.officers_only else login_required
        detail = (
            []
            if self.own_detail_page
            else [path(f"{n}/<int:pk>/", login_required(self.detail_view), name=f"{n}_detail")]
        )
        return [
            path(f"{n}/", guard(self.list_view), name=f"{n}_list"),
            path(f"{n}/export.xlsx", guard(self.export_view), name=f"{n}_export"),
            path(f"{n}/new/", self.form_view().as_view(), name=f"{n}_create"),
            *detail,
            path(f"{n}/<int:pk>/edit/", self.form_view().as_view(), name=f"{n}_edit"),
            path(f"{n}/<int:pk>/delete/", self.delete_view().as_view(), name=f"{n}_delete"),
        ]

    # --- the API ---------------------------------------------------------------------------

    def serializer(self) -> type[serializers.ModelSerializer]:
        fields = ["id", *self.form.base_fields, *self.api_fields]
        meta = type("Meta", (), {"model": self.model, "fields": fields})
        name = f"{self.model.__name__}Serializer"
        return type(name, (serializers.ModelSerializer,), {"Meta": meta})

    def input_serializer(self) -> type[serializers.ModelSerializer]:
        """The form's fields, for the API's schema (the form itself validates)."""
        meta = type("Meta", (), {"model": self.model, "fields": list(self.form.base_fields)})
        name = f"{self.model.__name__}InputSerializer"
        return type(name, (serializers.ModelSerializer,), {"Meta": meta})

    def _validated(self, request: Any, instance: Any = None) -> dict[str, Any]:
        """The API's input, validated by the record's form. A partial update starts from the
        row as it is, and passes on only what was given."""
        given = request.data
        if not isinstance(given, Mapping):
            raise DjangoValidationError("请求内容应为JSON对象（字段名: 值）。")
        names = list(self.form.base_fields)
        data = dict(given.items())
        kwargs: dict[str, Any] = {"files": request.FILES or None, "user": request.user}
        if instance is not None:
            # A fresh copy: a ModelForm writes the input onto its instance while validating.
            instance = self.model._default_manager.get(pk=instance.pk)
            data = {**model_to_dict(instance, fields=names), **data}
            if issubclass(self.form, forms.ModelForm):
                kwargs["instance"] = instance
        form = self.form(data=data, **kwargs)
        if not form.is_valid():
            raise DjangoValidationError(form.errors.as_data())
        cleaned = dict(form.cleaned_data)
        if instance is not None:
            cleaned = {k: v for k, v in cleaned.items() if k in given or k in request.FILES}
        return cleaned

    def viewset(self) -> type[ScopedViewSet]:
        if self._viewset is not None:
            return self._viewset
        record = self
        output = self.serializer()
        given = self.input_serializer()

        class RecordViewSet(mixins.ListModelMixin, ScopedViewSet):
            __doc__ = f"{record.label}: the same list, filters, form and services as the pages."
            model = record.model
            serializer_class = output
            filterset_class = record.filterset

            def get_queryset(self) -> Any:
                return record.queryset(self.request.user).order_by(*record.order)

            @extend_schema(request=given, responses={201: output})
            def create(self, request: Any) -> Response:
                obj = record.create(actor=request.user, **record._validated(request))
                return self.respond(obj, status.HTTP_201_CREATED)

            @extend_schema(request=given, responses=output)
            def partial_update(self, request: Any, pk: Any = None) -> Response:
                obj = self.get_editable_object()
                data = record._validated(request, instance=obj)
                obj = record.update(actor=request.user, **{record.object_kwarg: obj}, **data)
                return self.respond(obj)

            def destroy(self, request: Any, pk: Any = None) -> Response:
                obj = self.get_editable_object()
                record.delete(actor=request.user, **{record.object_kwarg: obj})
                return Response(status=status.HTTP_204_NO_CONTENT)

        RecordViewSet.__name__ = f"{self.model.__name__}ViewSet"
        self._viewset = RecordViewSet
        return RecordViewSet
