"""Type-ahead widgets for choice fields that may have thousands of choices (org.pickers).

The field keeps its scoped queryset and validates the chosen ids against it as before; the
widget renders only the chosen rows (one query) instead of every choice, and the static script
org/typeahead.js asks the picker endpoint for matches as the user types."""

from typing import Any

from django import forms
from django.urls import reverse


class Typeahead(forms.Widget):
    """One choice: a text box to search and a hidden input holding the chosen id."""

    template_name = "org/widgets/typeahead.html"
    multiple = False

    def __init__(self, source: str, params: str = "", attrs: dict[str, Any] | None = None):
        super().__init__(attrs)
        self.source = source  # URL name of the picker endpoint
        self.params = params  # extra query string for it, e.g. "members=1"
        self.choices: Any = ()

    def __deepcopy__(self, memo: dict[int, Any]) -> "Typeahead":
        copy = super().__deepcopy__(memo)
        copy.choices = self.choices
        return copy

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if self.multiple:
            values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
            if values is None:
                return []
            return [v for v in (values if isinstance(values, list | tuple) else [values]) if v]
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False if self.multiple else name not in data

    def _ids(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else [value]
        ids = []
        for v in values:
            v = getattr(v, "pk", v)
            try:
                ids.append(int(v))
            except (TypeError, ValueError):
                continue
        return ids

    def selected(self, value: Any) -> list[tuple[int, str]]:
        """(id, label) of the chosen rows that the field's queryset holds (one query)."""
        ids = self._ids(value)
        queryset = getattr(self.choices, "queryset", None)
        field = getattr(self.choices, "field", None)
        if not ids or queryset is None or field is None:
            return []
        rows = {obj.pk: obj for obj in queryset.filter(pk__in=ids)}
        return [(pk, field.label_from_instance(rows[pk])) for pk in ids if pk in rows]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        url = reverse(self.source)
        context["widget"].update(
            {
                "source": f"{url}?{self.params}" if self.params else url,
                "multiple": self.multiple,
                "selected": self.selected(value),
            }
        )
        return context


class TypeaheadMultiple(Typeahead):
    """Several choices: the chosen rows as ticked boxes, more added by searching."""

    multiple = True
    allow_multiple_selected = True


# Organisations a filter bar narrows to (groups have no records of their own).
FILTER_KINDS = ("committee", "general_branch", "branch")


def org_picker(
    name: str, org: Any, element_id: str = "f-org", kinds: tuple[str, ...] = FILTER_KINDS
) -> dict[str, Any]:
    """The type-ahead of a filter bar (a plain GET form, no Django form): the context
    org/widgets/typeahead.html renders, with `org` (already scoped by the page) chosen."""
    params = "&".join(f"kind={k}" for k in kinds)
    return {
        "name": name,
        "source": f"{reverse('org:pick_organisations')}?{params}",
        "multiple": False,
        "selected": [(org.pk, org.name)] if org is not None else [],
        "attrs": {"id": element_id, "class": "form-control form-control-sm"},
        "required": False,
    }


def typeahead(field: forms.ModelChoiceField, source: str, params: str = "") -> None:
    """Turn a model choice field (its queryset already set) into a type-ahead: `source` is the
    picker's URL name, `params` its extra query string. The field still validates against its
    queryset."""
    kind = TypeaheadMultiple if isinstance(field, forms.ModelMultipleChoiceField) else Typeahead
    widget = kind(source, params, attrs=dict(field.widget.attrs))
    widget.is_required = field.required
    widget.choices = field.choices
    field.widget = widget


def organisations(field: forms.ModelChoiceField, kinds: tuple[str, ...] = ()) -> None:
    typeahead(field, "org:pick_organisations", "&".join(f"kind={k}" for k in kinds))


def people(field: forms.ModelChoiceField, members_only: bool = False) -> None:
    typeahead(field, "org:pick_people", "members=1" if members_only else "")
