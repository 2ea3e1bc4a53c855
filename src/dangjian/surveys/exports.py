"""The survey app's spreadsheets: column layouts and rows (XLSX, core.export)."""

from collections.abc import Iterator
from typing import Any

from dangjian.core.export import xlsx_table
from dangjian.org.models import Organisation
from dangjian.surveys.models import Survey, SurveyKind
from dangjian.surveys.selectors import ResultRow, SurveyResult

LIST_HEADERS = [
    "序号",
    "标题",
    "党组织",
    "测评类型",
    "开始日期",
    "截止日期",
    "状态",
    "已发放",
    "已回收",
    "最少有效票数",
    "结果",
]
MEMBER_RESULT_HEADERS = [
    "序号",
    "测评对象",
    "优秀",
    "称职",
    "基本称职",
    "不称职",
    "合计",
    "平均分",
    "等次",
]
SATISFACTION_RESULT_HEADERS = [
    "党组织",
    "满意",
    "基本满意",
    "不满意",
    "合计",
    "平均分",
    "满意度（%）",
]
LINK_HEADERS = ["序号", "链接"]


def result_label(survey: Survey, res: SurveyResult) -> str:
    if not res.visible:
        return "未达最少有效票数"
    if survey.kind == SurveyKind.BRANCH_SATISFACTION and res.satisfaction_rate is not None:
        return f"满意度 {res.satisfaction_rate}%"
    return "可查看汇总结果"


def survey_list(
    surveys: list[Survey], res: dict[int, SurveyResult], org: Organisation | None
) -> bytes:
    """民意测评一览: one row per survey with its counts and what its result shows."""

    def rows() -> Iterator[list[Any]]:
        for index, s in enumerate(surveys, start=1):
            r = res[s.pk]
            yield [
                index,
                s.title,
                s.organisation.name,
                s.get_kind_display(),
                s.opens_on,
                s.closes_on,
                s.get_state_display(),
                r.issued,
                r.responses,
                s.min_responses,
                result_label(s, r),
            ]

    return xlsx_table(
        sheet="民意测评",
        headers=LIST_HEADERS,
        rows=rows(),
        title="民意测评一览" + (f"（{org.name}）" if org else ""),
        widths=[6, 36, 22, 20, 12, 12, 8, 8, 8, 12, 26],
    )


def links(survey: Survey, batch: int, links: list[str]) -> bytes:
    """A batch's links (序号, 链接), to send one by one in a chat."""
    return xlsx_table(
        sheet="测评链接",
        headers=LINK_HEADERS,
        rows=([index, link] for index, link in enumerate(links, start=1)),
        title=f"{survey.title}（第{batch}批测评链接）",
        widths=[6, 70],
    )


def result(survey: Survey, res: SurveyResult, rows: list[ResultRow]) -> bytes:
    """The aggregate result (only once the minimum number of ballots is reached)."""
    table: Iterator[list[Any]]
    if survey.kind == SurveyKind.MEMBER_RATING:
        headers = MEMBER_RESULT_HEADERS
        table = (
            [i, r.name, *(c[2] for c in r.counts), r.count, r.score, r.grade]
            for i, r in enumerate(rows, start=1)
        )
        widths = [6, 14, 8, 8, 10, 8, 8, 10, 10]
    else:
        headers = SATISFACTION_RESULT_HEADERS
        table = ([r.name, *(c[2] for c in r.counts), r.count, r.score, r.rate] for r in rows)
        widths = [24, 8, 10, 8, 8, 10, 12]
    return xlsx_table(
        sheet="测评结果",
        headers=headers,
        rows=table,
        title=f"{survey.title}汇总结果（回收{res.responses}份）",
        widths=widths,
    )
