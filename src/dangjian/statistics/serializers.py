from rest_framework import serializers

from dangjian.statistics.models import StatisticsRun


class StatisticsRunSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = StatisticsRun
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "cut_off",
            "period_start",
            "state",
            "figures",
            "error",
            "requested_at",
            "finished_at",
            "duration_ms",
        ]
        read_only_fields = fields


class StatisticsRunCreateSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(min_value=1, help_text="党组织编号")
    cut_off = serializers.DateField(help_text="统计截止日期：某年6月30日或12月31日")
