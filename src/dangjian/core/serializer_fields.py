"""Serializer fields shared by every app's API: scoped primary keys and plain choice strings."""

from rest_framework import serializers

OUT_OF_SCOPE = "所选对象不存在或不在您的管理范围内"


class EditablePrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """An id of a row in `model.objects.editable_by(request.user)`; any other id is a 400."""

    default_error_messages = {
        "does_not_exist": OUT_OF_SCOPE,
        "incorrect_type": "应为整数编号",
    }

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(queryset=model.objects.all(), **kwargs)

    def get_queryset(self):
        return self.model.objects.editable_by(self.context["request"].user)

    def to_internal_value(self, data):
        # Only whole numbers: DRF would accept 1.5 or True and look up pk=1.
        if isinstance(data, bool) or not (
            isinstance(data, int) or (isinstance(data, str) and data.isdigit())
        ):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class VisiblePrimaryKeyField(EditablePrimaryKeyField):
    """An id of a row the user may read (`visible_to`), e.g. units, which every officer reads
    but only the organisation department changes."""

    def get_queryset(self):
        return self.model.objects.visible_to(self.context["request"].user)


def choices_help(choices) -> str:
    return "；".join(f"{value}={label}" for value, label in choices)


class ChoiceString(serializers.CharField):
    """A choice as a plain string (no shared enum components in the schema)."""

    def __init__(self, choices, **kwargs):
        self.valid = dict(choices)
        kwargs.setdefault("help_text", choices_help(choices))
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value and value not in self.valid:
            raise serializers.ValidationError(f"无效的取值“{value}”，可选：{'、'.join(self.valid)}")
        return value


class ChoiceLabel(serializers.CharField):
    """The label of a choice field, read by calling `get_<field>_display` directly.

    With `source="get_<field>_display"` DRF inspects the method's signature on every row before
    calling it, which cost more than the rest of the row (half of a meetings page's 1 s)."""

    def __init__(self, field: str, **kwargs):
        self.method = f"get_{field}_display"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return getattr(instance, self.method)()


class RecordSerializer(serializers.ModelSerializer):
    """A model serializer whose `Meta.fields` may also name

    - `<field>_display`: the label of a choice field (`get_<field>_display`);
    - `<relation>_name`: the related row's name (None when there is none);

    and whose read-only text choice fields are plain strings listing their choices in the help text
    (no shared enum components in the schema)."""

    def build_field(self, field_name, info, model_class, nested_depth):
        base, _, suffix = field_name.rpartition("_")
        if suffix == "display" and hasattr(model_class, f"get_{base}_display"):
            return ChoiceLabel, {"field": base}
        relation = info.relations.get(base) if suffix == "name" else None
        if relation is not None and relation.model_field is not None:
            kwargs = {"source": f"{base}.name", "read_only": True}
            if relation.model_field.null:
                kwargs.update(default=None, allow_null=True)
            return serializers.CharField, kwargs
        return super().build_field(field_name, info, model_class, nested_depth)

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        read_only = getattr(self.Meta, "read_only_fields", ())
        # Text choices only: numbered choices stay integers (an enum in the schema).
        if (
            model_field.choices
            and field_name in read_only
            and model_field.get_internal_type() == "CharField"
        ):
            return serializers.CharField, {"help_text": choices_help(model_field.choices)}
        return field_class, kwargs
