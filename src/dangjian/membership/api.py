"""The API of 组织关系转接: the record kit's list, retrieve and create (校内转接 发出), and each
step as a POST validated by the page's form and made by the same service."""

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from dangjian.membership import forms, services
from dangjian.membership.views import TRANSFERS

# The record kit's own output serializer (one class: the schema names it once).
Output = TRANSFERS.viewset().serializer_class


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, max_length=300)


class SlipSerializer(serializers.Serializer):
    returned_on = serializers.DateField()
    note = serializers.CharField(required=False, max_length=300)


def _form_serializer(form: Any, name: str) -> type[serializers.Serializer]:
    """The schema of a form's input (the form validates)."""
    fields: dict[str, Any] = {}
    for key, field in form.base_fields.items():
        kind = {
            "DateField": serializers.DateField,
            "IntegerField": serializers.IntegerField,
            "ModelChoiceField": serializers.IntegerField,
        }.get(type(field).__name__, serializers.CharField)
        fields[key] = kind(required=field.required)
    return type(name, (serializers.Serializer,), fields)


OutInput = _form_serializer(forms.TransferOutForm, "TransferOutInputSerializer")
InInput = _form_serializer(forms.TransferInForm, "TransferInInputSerializer")


def _valid(request: Any, form_class: Any, **kwargs: Any) -> dict[str, Any]:
    if not isinstance(request.data, Mapping):
        raise DjangoValidationError("请求内容应为JSON对象（字段名: 值）。")
    form = form_class(data=dict(request.data.items()), **kwargs)
    if not form.is_valid():
        raise DjangoValidationError(form.errors.as_data())
    return dict(form.cleaned_data)


class TransferViewSet(TRANSFERS.viewset()):  # type: ignore[misc]
    """组织关系转接: steps, not edits (no PATCH or DELETE)."""

    http_method_names = ["get", "post", "head", "options"]

    def _step(
        self, request: Any, form_class: Any, call: Callable[..., Any], pk: Any = None
    ) -> Response:
        transfer = self.get_object()  # 404 out of scope
        data = _valid(request, form_class)
        call(actor=request.user, transfer=transfer, **data)
        return self.respond(transfer)

    @extend_schema(request=NoteSerializer, responses=Output, summary="接收（转入党支部）")
    @action(detail=True, methods=["post"])
    def receive(self, request: Any, pk: Any = None) -> Response:
        return self._step(request, forms.StepNoteForm, services.transfer_receive)

    @extend_schema(request=NoteSerializer, responses=Output, summary="审批同意（党总支）")
    @action(detail=True, methods=["post"])
    def approve(self, request: Any, pk: Any = None) -> Response:
        return self._step(request, forms.StepNoteForm, services.transfer_approve)

    @extend_schema(request=NoteSerializer, responses=Output, summary="退回（须填写理由）")
    @action(detail=True, methods=["post"])
    def reject(self, request: Any, pk: Any = None) -> Response:
        return self._step(request, forms.StepNoteForm, services.transfer_reject)

    @extend_schema(request=NoteSerializer, responses=Output, summary="撤回（原党组织）")
    @action(detail=True, methods=["post"])
    def cancel(self, request: Any, pk: Any = None) -> Response:
        return self._step(request, forms.StepNoteForm, services.transfer_cancel)

    @extend_schema(request=SlipSerializer, responses=Output, summary="登记介绍信回执")
    @action(detail=True, methods=["post"])
    def slip(self, request: Any, pk: Any = None) -> Response:
        return self._step(request, forms.SlipForm, services.transfer_record_slip)

    @extend_schema(request=OutInput, responses={201: Output}, summary="转出本单位：开具介绍信")
    @action(detail=False, methods=["post"])
    def out(self, request: Any) -> Response:
        data = _valid(request, forms.TransferOutForm, user=request.user)
        transfer = services.transfer_issue_letter(actor=request.user, **data)
        return self.respond(transfer, status.HTTP_201_CREATED)

    @extend_schema(request=InInput, responses={201: Output}, summary="转入本单位：接收")
    @action(detail=False, methods=["post"])
    def arrive(self, request: Any) -> Response:
        data = _valid(request, forms.TransferInForm, user=request.user)
        data["id_number"] = data.get("id_number") or None
        transfer = services.transfer_arrive(actor=request.user, **data)
        return self.respond(transfer, status.HTTP_201_CREATED)
