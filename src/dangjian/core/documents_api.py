"""The Word and PDF downloads through the API: `GET /api/v1/documents/?path=<the download's
path>` answers the file the page's 下载 Word / 下载 PDF link gives, for the API's user (a
token or a session), asking the same print view — the same lookup, scope and audit."""

from urllib.parse import urlsplit

from django.http import QueryDict
from django.urls import Resolver404, resolve
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from dangjian.core import documents

NOT_A_DOCUMENT = "不是可下载的文书地址：请使用打印页面“下载 Word”或“下载 PDF”的地址。"


class DocumentView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="documents_retrieve",
        parameters=[
            OpenApiParameter(
                "path",
                str,
                required=True,
                description="打印页面“下载 Word”或“下载 PDF”链接的地址，如 "
                "/posts/commitments/5/print.pdf 或 /posts/annex2.docx?org=3&year=2026",
            )
        ],
        responses={
            (200, documents.PDF_CONTENT_TYPE): OpenApiTypes.BINARY,
            (200, documents.DOCX_CONTENT_TYPE): OpenApiTypes.BINARY,
            202: OpenApiResponse(description="长文书转为后台任务：job 为任务页面地址"),
            400: OpenApiResponse(description="path 不是可下载的文书地址"),
            404: OpenApiResponse(description="不存在或不在您的管理范围内"),
        },
    )
    def get(self, request):
        given = request.query_params.get("path", "")
        parts = urlsplit(given)
        if not given.startswith("/") or parts.scheme or parts.netloc:
            raise ValidationError({"path": [NOT_A_DOCUMENT]})
        try:
            match = resolve(parts.path)
        except Resolver404 as exc:
            raise ValidationError({"path": [NOT_A_DOCUMENT]}) from exc
        if match.func not in documents.DOCUMENT_VIEWS or match.kwargs.get("fmt") not in (
            "pdf",
            "docx",
        ):
            raise ValidationError({"path": [NOT_A_DOCUMENT]})
        # The print view, asked as this user for this path and query.
        inner = request._request
        inner.user = request.user
        inner.path = inner.path_info = parts.path
        inner.GET = QueryDict(parts.query)
        inner.META["QUERY_STRING"] = parts.query
        inner.resolver_match = match
        response = match.func(inner, *match.args, **match.kwargs)
        if response.status_code == 302 and "/jobs/" in response.get("Location", ""):
            return Response({"job": response["Location"]}, status=status.HTTP_202_ACCEPTED)
        return response
