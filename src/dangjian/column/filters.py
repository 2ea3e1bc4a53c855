import django_filters

from dangjian.column.models import Article, ArticleState, ColumnKind
from dangjian.core.filters import ListFilterSet, SearchFilter, SubtreeFilter, YearFilter


class ArticleFilter(ListFilterSet):
    column = django_filters.ChoiceFilter(choices=ColumnKind.choices, label="栏目")
    state = django_filters.ChoiceFilter(choices=ArticleState.choices, label="状态")
    org = SubtreeFilter("organisation", label="供稿党组织（含下级）")
    year = YearFilter(field_name="year")
    q = SearchFilter(fields=["title"], label="标题")

    class Meta:
        model = Article
        fields: list[str] = []
