"""The work column (工作专栏) of the demo institution: published 工作简报 and 新闻动态 of branches
and general branches (approved by the level above), the “基层组织建设年” column of each general
branch (《组织建设年实施方案》§四(四)), last year's annual summaries of a few branches published
from the text they submitted (《168模式实施意见》§五(二)4), and, in 信息工程学院学生支部 (the demo
login zhibu, reviewed by zongzhi), one article waiting for review, one returned and one draft;
one withdrawn article. A few photos are drawn here (plain PNG, no imaging library needed).
Deterministic for a seed; the reminders of the message centre come from the sweep."""

import struct
import zlib
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from dangjian.column.models import Article, ArticleAttachment, ArticlePhoto, ArticleState
from dangjian.column.rules import annual_summary_title
from dangjian.org.models import Organisation
from dangjian.posts.models import DutySummary, SummaryKind

MODELS = (ArticlePhoto, ArticleAttachment, Article)  # deletion order
DEMO_BRANCH = "信息工程学院学生支部"

BRIEFINGS = (
    (
        "{org}开展“重温入党誓词”主题党日活动",
        "{month}月，{org}组织全体党员开展“重温入党誓词”主题党日活动。\n"
        "支部书记领誓，全体党员面向党旗重温入党誓词，并结合岗位实际交流了履职体会。\n"
        "大家表示，要以更高标准亮岗履职，在教书育人和服务师生中发挥先锋模范作用。",
    ),
    (
        "{org}召开组织生活会暨民主评议党员大会",
        "{org}召开年度组织生活会，支部委员会对照检查，党员逐一开展批评与自我批评。\n"
        "会上进行了民主评议党员测评，测评结果将按程序报党总支。",
    ),
    (
        "{org}党员志愿服务队走进社区",
        "{org}党员志愿服务队走进周边社区，开展义务维修、科普宣传和学业辅导等志愿服务。\n"
        "活动共服务居民一百余人次，受到社区群众好评。",
    ),
)
NEWS = (
    "{org}举办党务工作者业务培训",
    "{org}召开基层党建工作推进会",
)
ORG_YEAR = (
    "{org}基层组织建设年活动简报（第{n}期）",
    "{org}完成党支部分类定级，推动晋位升级",
)
ORG_YEAR_BODY = (
    "按照学校党委《关于在创先争优活动中深入开展基层组织建设年活动实施方案》的部署，"
    "{org}召开动员部署会，结合实际制定本单位实施方案。\n"
    "各党支部对照“五个好”标准开展调查摸底、分类定级，查找问题，制定整改提高方案。\n"
    "下一步，{org}将以对标整改、晋位升级为重点，推动每一个党支部在原有基础上都有新的提高。"
)


def _png(
    width: int, height: int, colour: tuple[int, int, int], band: tuple[int, int, int]
) -> bytes:
    """A picture in the colours of a Party-building board: a plain field with a band."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = bytearray()
    for y in range(height):
        rows.append(0)
        pixel = bytes(band if height // 3 <= y < height // 3 + height // 8 else colour)
        rows.extend(pixel * width)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


PHOTOS = (
    ((192, 28, 36), (250, 208, 60), "活动现场"),
    ((180, 40, 40), (255, 255, 255), "党员合影"),
    ((150, 20, 30), (240, 190, 70), "志愿服务"),
)


class ColumnDemo:
    """Articles for the organisations an OrganisationalLoader has read."""

    def __init__(self, loader: Any):
        self.loader = loader
        self.rng = loader.rng
        self.today = loader.today
        self.now = timezone.now()
        self.counts: dict[str, int] = {}

    def _article(self, org: Organisation, column: str, title: str, body: str, **fields: Any):
        state = fields.pop("state", ArticleState.PUBLISHED)
        days = fields.pop("days_ago", self.rng.randint(2, 120))
        at = self.now - timedelta(days=days, hours=self.rng.randint(0, 8))
        decided = at + timedelta(days=1)
        row = Article(
            organisation=org,
            column=column,
            year=fields.pop("year", at.year),
            title=title[:80],
            body=body,
            state=state,
            created_at=at - timedelta(days=1),
            submitted_at=None if state == ArticleState.DRAFT else at,
            reviewed_at=decided
            if state in (ArticleState.PUBLISHED, ArticleState.RETURNED, ArticleState.WITHDRAWN)
            else None,
            published_at=decided
            if state in (ArticleState.PUBLISHED, ArticleState.WITHDRAWN)
            else None,
            withdrawn_at=decided + timedelta(days=2) if state == ArticleState.WITHDRAWN else None,
            **fields,
        )
        return row

    def run(self) -> dict[str, int]:
        loader = self.loader
        root = Organisation.objects.filter(depth=1, dissolved_on__isnull=True).first()
        if root is None or not loader.branches:
            return self.counts
        rows: list[Article] = []
        for n, gb in enumerate(loader.general_branches):
            name = gb.short_name or gb.name
            rows.append(
                self._article(gb, "news", NEWS[n % len(NEWS)].format(org=name), self._news(name))
            )
            for k, title in enumerate(ORG_YEAR, start=1):
                rows.append(
                    self._article(
                        gb,
                        "org_year",
                        title.format(org=name, n=k),
                        ORG_YEAR_BODY.format(org=name),
                        days_ago=10 + 30 * k + n,
                    )
                )
        demo_branch = None
        for n, branch in enumerate(loader.branches):
            if branch.name == DEMO_BRANCH:
                demo_branch = branch
            if n % 2:
                continue
            title, body = BRIEFINGS[n % len(BRIEFINGS)]
            month = self.today.month if self.today.month > 1 else 12
            rows.append(
                self._article(
                    branch,
                    "briefing",
                    title.format(org=branch.name),
                    body.format(org=branch.name, month=month),
                )
            )
        rows.extend(self._annual_summaries(loader.branches[:4]))
        demo_branch = demo_branch or loader.branches[0]
        name = demo_branch.name
        rows += [
            self._article(
                demo_branch,
                "briefing",
                f"{name}开展“学党史、强信念”读书分享会",
                f"{name}组织学生党员和入党积极分子开展读书分享会，十二名同学分享了阅读体会。\n"
                "支部书记作总结点评，鼓励大家把学习成效转化为刻苦学习、服务同学的实际行动。",
                state=ArticleState.SUBMITTED,
                days_ago=1,
            ),
            self._article(
                demo_branch,
                "news",
                f"{name}党员先锋岗服务新生报到",
                f"新生报到期间，{name}设立党员先锋岗，为新生提供咨询引导服务。",
                state=ArticleState.RETURNED,
                review_note="请补充活动照片，并写明服务人次等具体成效后重新报送。",
                days_ago=4,
            ),
            self._article(
                demo_branch,
                "org_year",
                f"{name}制定整改提高方案（草稿）",
                f"{name}召开党员大会，讨论通过本支部整改提高方案。",
                state=ArticleState.DRAFT,
                days_ago=0,
            ),
            self._article(
                loader.branches[-1],
                "news",
                "关于活动时间的报道（已更正）",
                "原报道活动时间有误，已撤回更正。",
                state=ArticleState.WITHDRAWN,
                withdraw_reason="活动时间有误，更正后重新报送。",
                days_ago=20,
            ),
        ]
        Article.objects.bulk_create(rows)
        photos = 0
        published = [a for a in rows if a.state == ArticleState.PUBLISHED]
        for i, article in enumerate(published[:9]):
            colour, band, caption = PHOTOS[i % len(PHOTOS)]
            photo = ArticlePhoto(article=article, caption=caption)
            photo.file.save(f"{caption}.png", ContentFile(_png(480, 300, colour, band)), save=False)
            photo.save()
            photos += 1
        self.counts["专栏稿件"] = len(rows)
        self.counts["专栏图片"] = photos
        return self.counts

    def _news(self, org: str) -> str:
        return (
            f"近日，{org}召开会议，传达学习学校党委工作部署，研究推进本单位基层党建重点工作。\n"
            "会议要求，各党支部要落实“三会一课”制度，扎实推进党员亮岗履职，"
            "以高质量党建引领事业发展。"
        )

    def _annual_summaries(self, branches: list[Organisation]) -> list[Article]:
        summaries = DutySummary.objects.filter(
            organisation__in=branches, kind=SummaryKind.BRANCH_ANNUAL
        ).select_related("organisation")
        rows = []
        for summary in summaries:
            rows.append(
                self._article(
                    summary.organisation,
                    "annual_summary",
                    annual_summary_title(
                        summary.organisation.name, summary.year, summary.get_kind_display()
                    ),
                    summary.content,
                    source_summary=summary,
                    year=summary.year,
                    days_ago=self.rng.randint(20, 60),
                )
            )
        return rows[:-1]  # one left for the officers to publish (发布年度工作总结)
