"""One filter class per list, shared by the page, its export and its API (django-filter).

    class ItemFilter(ListFilterSet):
        org = SubtreeFilter("plan__branch")
        year = YearFilter(field_name="plan__year")
        status = django_filters.ChoiceFilter(choices=..., method="filter_status")
        q = SearchFilter(fields=["problem", "measures", "responsible__name"])

        class Meta:
            model = RectificationItem
            fields = []

    page and export:  filters = ItemFilter.for_page(request, queryset); filters.qs
    API:              filterset_class = ItemFilter on the viewset (core.api_views.ScopedViewSet
                      uses DjangoFilterBackend): a bad value is a 400 naming the field.

On a page a value that does not validate is left out (the list shows without it and the bar
shows the error); `page_defaults` are the values a page assumes when none is given (this year),
which the API does not.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

YEAR_LOW, YEAR_HIGH = 2000, 2100


def related_model(model: Any, lookup: str) -> Any:
    """The model at the end of a relation lookup ("plan__branch" from RectificationItem)."""
    for name in lookup.split("__"):
        model = model._meta.get_field(name).related_model
    return model


class SubtreeFilter(django_filters.NumberFilter):
    """Rows under an organisation (by id) the user sees. An organisation out of their scope
    gives, by `out_of_scope`: "empty" (no rows), "404", or "ignore" (the filter is dropped).
    `page_out_of_scope` is what a page does when it differs from the API."""

    MODES = ("empty", "404", "ignore")
    field_class = forms.IntegerField

    def __init__(
        self,
        field_name: str = "organisation",
        *,
        out_of_scope: str = "empty",
        page_out_of_scope: str | None = None,
        **kw: Any,
    ) -> None:
        kw.setdefault("label", "党组织")
        super().__init__(field_name=field_name, **kw)
        assert out_of_scope in self.MODES and page_out_of_scope in (None, *self.MODES)
        self.out_of_scope = out_of_scope
        self.page_out_of_scope = page_out_of_scope

    def organisation(self, qs: QuerySet[Any], value: Any) -> Any:
        """The organisation asked for, if the user sees it."""
        organisations = related_model(qs.model, self.field_name) if self.field_name else qs.model
        user = getattr(self.parent, "user", None)
        return organisations.objects.visible_to(user).filter(pk=value).first()

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value in (None, ""):
            return qs
        org = self.organisation(qs, value)
        if org is None:
            mode = self.out_of_scope
            if self.page_out_of_scope and getattr(self.parent, "for_a_page", False):
                mode = self.page_out_of_scope
            if mode == "404":
                raise Http404
            return qs if mode == "ignore" else qs.none()
        field = f"{self.field_name}__path" if self.field_name else "path"
        return qs.filter(**{f"{field}__startswith": org.path})


class IdFilter(django_filters.NumberFilter):
    """A row's id (a whole number)."""

    field_class = forms.IntegerField


class YearFilter(django_filters.NumberFilter):
    """A calendar year between 2000 and 2100; anything else does not validate."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kw: Any) -> None:
        kw.setdefault("label", "年度")
        kw.setdefault("min_value", YEAR_LOW)
        kw.setdefault("max_value", YEAR_HIGH)
        super().__init__(*args, **kw)


class SearchFilter(django_filters.CharFilter):
    """Text contained in any of `fields` (names, titles), at most 50 characters."""

    def __init__(self, *, fields: list[str], **kw: Any) -> None:
        kw.setdefault("label", "搜索")
        kw.setdefault("max_length", 50)
        super().__init__(**kw)
        self.fields = fields

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        value = (value or "").strip()
        if not value:
            return qs
        q = Q()
        for name in self.fields:
            q |= Q(**{f"{name}__contains": value})
        return qs.filter(q)


class FlagField(forms.Field):
    """A yes/no query parameter: 1/0, true/false, yes/no, on/off; anything else is invalid (a
    400 from the API), absent is None."""

    TRUE, FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in self.TRUE or text in self.FALSE:
            return text in self.TRUE
        raise forms.ValidationError("请填写 true 或 false。", code="invalid")


class FlagFilter(django_filters.BooleanFilter):
    """A yes/no filter that refuses anything but 1/0, true/false, yes/no, on/off."""

    field_class = FlagField


class FlagWidget(forms.TextInput):
    """1/0, true/false, yes/no as the API writes flags; anything else is no filter (for
    filters whose lists have always ignored a value they do not know)."""

    VALUES = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}

    def value_from_datadict(self, data: Any, files: Any, name: str) -> bool | None:
        return self.VALUES.get(str(data.get(name, "")).strip().lower())


class ListFilterSet(django_filters.FilterSet):
    """Base of every list's filters: knows the user (organisation choices, subtree filters)."""

    # What a page assumes when the query string does not say (the API assumes nothing).
    page_defaults: dict[str, Any] = {}
    for_a_page = False

    def __init__(
        self,
        data: Any = None,
        queryset: QuerySet[Any] | None = None,
        *,
        request: HttpRequest | None = None,
        prefix: str | None = None,
        user: Any = None,
    ) -> None:
        self.user = user if user is not None else getattr(request, "user", None)
        super().__init__(data, queryset, request=request, prefix=prefix)

    @classmethod
    def for_page(
        cls, request: HttpRequest, queryset: QuerySet[Any], **defaults: Any
    ) -> ListFilterSet:
        """The filters of a page or its export, from the query string."""
        data = request.GET.copy()
        for name, value in {**cls.page_defaults, **defaults}.items():
            if name not in data:
                data[name] = value() if callable(value) else value
        filters = cls(data, queryset, request=request)
        filters.for_a_page = True
        return filters

    @property
    def qs(self) -> QuerySet:
        if not hasattr(self, "_qs"):
            if self.is_bound:
                self.is_valid()  # fills form.cleaned_data / errors
                qs = self.queryset.all()
                cleaned = getattr(self.form, "cleaned_data", {})
                for name, value in cleaned.items():
                    if name in self.form.errors:
                        continue
                    qs = self.filters[name].filter(qs, value)
                self._qs = qs
            else:
                self._qs = self.queryset.all()
        return self._qs

    @property
    def active(self) -> dict[str, Any]:
        """The valid filters in force, cleaned (ids as numbers), for the page's bar, its links
        and its export."""
        if not self.is_bound or not self.is_valid() and not hasattr(self.form, "cleaned_data"):
            return {}
        cleaned = getattr(self.form, "cleaned_data", {})
        return {
            name: cleaned[name]
            for name in self.filters
            if name not in self.form.errors and cleaned.get(name) not in (None, "", [], ())
        }

    def organisation(self, name: str = "org") -> Any:
        """The organisation a SubtreeFilter named `name` chose, if the user sees it."""
        value = self.active.get(name)
        if value is None:
            return None
        return self.filters[name].organisation(self.queryset, value)

    def querystring(self, **changes: Any) -> str:
        """The active filters with `changes` (None removes one), url-encoded."""
        values = {**self.active, **changes}
        return urlencode({k: v for k, v in values.items() if v not in (None, "")})
