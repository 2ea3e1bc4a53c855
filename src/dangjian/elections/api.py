"""The API of elections: the record kit's list, retrieve, create, update and delete (the plan,
while a draft), and each step as a POST validated by the page's form and made by the same
service."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from dangjian.elections import forms, services
from dangjian.elections.views import ELECTIONS

Output = ELECTIONS.viewset().serializer_class


class ElectionNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, max_length=300)


class ElectionCandidateInput(serializers.Serializer):
    person = serializers.IntegerField()
    title = serializers.CharField(required=False)


class ElectionBallotInput(serializers.Serializer):
    held_on = serializers.DateField()
    entitled = serializers.IntegerField()
    present = serializers.IntegerField()
    votes = serializers.DictField(
        child=serializers.IntegerField(), help_text='候选人id → 得票数，如 {"12": 30}'
    )


class ElectionAppointInput(serializers.Serializer):
    starts_on = serializers.DateField()


class ElectionCandidateOutput(serializers.Serializer):
    id = serializers.IntegerField()
    person = serializers.IntegerField(source="person_id")
    name = serializers.CharField(source="person.name")
    title = serializers.CharField()
    votes = serializers.IntegerField(allow_null=True)
    elected = serializers.BooleanField()


def _data(request: Any) -> dict[str, Any]:
    if not isinstance(request.data, Mapping):
        raise DjangoValidationError("请求内容应为JSON对象（字段名: 值）。")
    return dict(request.data.items())


def _valid(form: Any) -> dict[str, Any]:
    if not form.is_valid():
        raise DjangoValidationError(form.errors.as_data())
    return dict(form.cleaned_data)


class ElectionViewSet(ELECTIONS.viewset()):  # type: ignore[misc]
    """换届选举: the plan is edited while a draft; everything after is a step."""

    def _note_step(self, request: Any, call: Any) -> Response:
        election = self.get_object()  # 404 out of scope
        data = _valid(forms.NoteForm(data=_data(request)))
        call(actor=request.user, election=election, **data)
        return self.respond(election)

    @extend_schema(request=ElectionNoteSerializer, responses=Output, summary="报送选举方案")
    @action(detail=True, methods=["post"])
    def submit(self, request: Any, pk: Any = None) -> Response:
        return self._note_step(request, services.election_submit)

    @extend_schema(
        request=ElectionNoteSerializer, responses=Output, summary="批复选举方案（上级党组织）"
    )
    @action(detail=True, methods=["post"], url_path="approve-plan")
    def approve_plan(self, request: Any, pk: Any = None) -> Response:
        return self._note_step(request, services.election_approve_plan)

    @extend_schema(
        request=ElectionNoteSerializer, responses=Output, summary="退回选举方案（须填写理由）"
    )
    @action(detail=True, methods=["post"], url_path="return-plan")
    def return_plan(self, request: Any, pk: Any = None) -> Response:
        return self._note_step(request, services.election_return_plan)

    @extend_schema(
        request=ElectionNoteSerializer, responses=Output, summary="批复选举结果（上级党组织）"
    )
    @action(detail=True, methods=["post"], url_path="approve-result")
    def approve_result(self, request: Any, pk: Any = None) -> Response:
        return self._note_step(request, services.election_approve_result)

    @extend_schema(responses=ElectionCandidateOutput(many=True), summary="候选人及得票")
    @action(detail=True, methods=["get"])
    def candidates(self, request: Any, pk: Any = None) -> Response:
        election = self.get_object()
        rows = election.candidates.select_related("person")
        return Response(ElectionCandidateOutput(rows, many=True).data)

    @extend_schema(
        request=ElectionCandidateInput,
        responses={201: ElectionCandidateOutput},
        summary="增加候选人",
    )
    @candidates.mapping.post
    def add_candidate(self, request: Any, pk: Any = None) -> Response:
        election = self.get_object()
        form = forms.CandidateForm(data=_data(request), user=request.user, election=election)
        candidate = services.candidate_add(actor=request.user, election=election, **_valid(form))
        return Response(ElectionCandidateOutput(candidate).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ElectionBallotInput, responses=Output, summary="登记选举结果")
    @action(detail=True, methods=["post"])
    def ballot(self, request: Any, pk: Any = None) -> Response:
        election = self.get_object()
        data = _data(request)
        votes = data.pop("votes", None)
        if not isinstance(votes, Mapping):
            raise DjangoValidationError({"votes": "请按候选人id填写得票数。"})
        for key, value in votes.items():
            data[f"votes_{key}"] = value
        form = forms.BallotForm(data=data, election=election)
        cleaned = _valid(form)
        services.election_record_ballot(
            actor=request.user,
            election=election,
            held_on=cleaned["held_on"],
            entitled=cleaned["entitled"],
            present=cleaned["present"],
            votes=form.votes(),
        )
        return self.respond(election)

    @extend_schema(
        request=ElectionAppointInput, responses=Output, summary="新一届委员会任职（一步办理）"
    )
    @action(detail=True, methods=["post"])
    def appoint(self, request: Any, pk: Any = None) -> Response:
        election = self.get_object()
        data = _valid(forms.AppointForm(data=_data(request)))
        services.election_appoint(actor=request.user, election=election, **data)
        return self.respond(election)
