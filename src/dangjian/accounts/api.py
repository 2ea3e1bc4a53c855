from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from dangjian.accounts import selectors, services
from dangjian.accounts.models import AccountBatch
from dangjian.accounts.serializers import (
    BatchRequestSerializer,
    BatchResultSerializer,
    BatchSerializer,
)
from dangjian.core.api_views import OfficersOnly, ScopedViewSet


class AccountBatchViewSet(mixins.ListModelMixin, ScopedViewSet):
    """Account opening batches (账号开通批次) of the officer's organisations."""

    model = AccountBatch
    serializer_class = BatchSerializer
    permission_classes = [IsAuthenticated, OfficersOnly]

    def get_queryset(self):
        return selectors.batches_for(self.request.user)

    @extend_schema(
        request=BatchRequestSerializer,
        responses={200: BatchResultSerializer, 201: BatchResultSerializer},
    )
    def create(self, request):
        """Preview (`dry_run`) or open accounts for the people of an organisation subtree who
        have none. Activation links or initial passwords are returned once, never again."""
        data = self.validated(BatchRequestSerializer)
        preview = services.batch_preview(
            actor=request.user,
            organisation=data["organisation"],
            members_only=data["members_only"],
        )
        lines = [_line(person, username, "") for person, username in preview.grants]
        lines += [_line(person, None, reason) for person, reason in preview.refused]
        if data["dry_run"]:
            result = {"dry_run": True, "batch": None, "accounts": lines, "credentials": []}
            return Response(BatchResultSerializer(result).data)
        batch, credentials = services.batch_create(
            actor=request.user,
            organisation=data["organisation"],
            members_only=data["members_only"],
            method=data["method"],
            request=request,
        )
        activation = batch.method == AccountBatch.Method.ACTIVATION
        result = {
            "dry_run": False,
            "batch": self.get_queryset().get(pk=batch.pk),
            "accounts": lines,
            "credentials": [
                {
                    "name": c.name,
                    "organisation": c.organisation,
                    "username": c.username,
                    "activation_url": request.build_absolute_uri(
                        reverse("accounts:activate", args=[c.secret])
                    )
                    if activation
                    else None,
                    "initial_password": None if activation else c.secret,
                    "expires_at": c.expires_at,
                }
                for c in credentials
            ],
        }
        response = Response(BatchResultSerializer(result).data, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response


def _line(person, username, reason) -> dict:
    return {
        "person": person.pk,
        "name": person.name,
        "organisation": person.primary_org.name if person.primary_org else "",
        "username": username,
        "refused": reason,
    }
