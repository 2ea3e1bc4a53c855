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
