import django_filters

from dangjian.core.filters import FlagFilter, ListFilterSet, SearchFilter, SubtreeFilter
from dangjian.notices.models import Audience, Notice, NoticeState


class NoticeFilter(ListFilterSet):
    state = django_filters.ChoiceFilter(choices=NoticeState.choices, label="状态")
    org = SubtreeFilter("organisation", label="发布范围（含下级）")
    audience = django_filters.ChoiceFilter(choices=Audience.choices, label="通知对象")
    q = SearchFilter(fields=["title"], label="标题")

    class Meta:
        model = Notice
        fields: list[str] = []


class MyNoticeFilter(ListFilterSet):
    unread = FlagFilter(method="filter_unread", label="仅未读")
    q = SearchFilter(fields=["title"], label="标题")

    class Meta:
        model = Notice
        fields: list[str] = []

    def filter_unread(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(is_read=not value)
