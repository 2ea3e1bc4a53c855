"""REST API of the Excel imports of records (/api/v1/imports/): upload a workbook of one kind
(the upload policy's serializer field), follow the job, read every bad row, confirm. Officers
only; a job is its uploader's alone (others: 404). Same plumbing as the pages (core.imports)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import SimpleRouter

from dangjian.core import imports
from dangjian.core.api_views import OfficersOnly, ScopedViewSet
from dangjian.core.models import DataImport
from dangjian.core.serializer_fields import ChoiceLabel
from dangjian.core.uploads import UploadSerializerField


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text="表格中的行号")
    column = serializers.CharField(help_text="列名（整行的问题为空）")
    message = serializers.CharField()


class DataImportSerializer(serializers.ModelSerializer):
    state_display = ChoiceLabel("state")
    checked_rows = serializers.SerializerMethodField(help_text="已校验（或已写入）的行数")
    errors = ImportErrorSerializer(many=True, read_only=True)

    class Meta:
        model = DataImport
        fields = [
            "id",
            "kind",
            "original_name",
            "state",
            "state_display",
            "total_rows",
            "checked_rows",
            "imported_rows",
            "errors",
            "created_at",
            "finished_at",
        ]

    def get_checked_rows(self, job: DataImport) -> int:
        return imports.rows_done(job)


class DataImportInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[], help_text="导入类型：meetings、study-hours、positions、dossiers"
    )
    file = UploadSerializerField(area="imports")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(s.kind, s.label) for s in imports.specs()]


class DataImportViewSet(mixins.ListModelMixin, ScopedViewSet):
    """数据导入: upload (validated in the background), read the result, confirm."""

    model = DataImport
    serializer_class = DataImportSerializer
    permission_classes = [IsAuthenticated, OfficersOnly]
    filter_backends: list = []

    @extend_schema(summary="我的数据导入")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="数据导入详情（进度、全部错误行）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request={"multipart/form-data": DataImportInputSerializer},
        responses={201: DataImportSerializer},
        summary="上传Excel并校验（不导入，校验通过后再确认）",
    )
    def create(self, request):
        data = self.validated(DataImportInputSerializer)
        spec = imports.spec_for(data["kind"])
        assert spec is not None
        job = imports.job_create(actor=request.user, spec=spec, uploaded_file=data["file"])
        return self.respond(job, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=DataImportSerializer, summary="确认导入")
    @action(detail=True, methods=["post"])
    def commit(self, request, pk=None):
        job = imports.job_commit(actor=request.user, job=self.get_object())
        return self.respond(job)


router = SimpleRouter()
router.register("imports", DataImportViewSet, basename="data-import")
urlpatterns = router.urls
