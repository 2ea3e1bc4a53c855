"""Rules of the public work column (工作专栏: 工作简报、新闻动态、“基层组织建设年”专栏、
年度工作总结), as pure functions.

- 《组织建设年实施方案》§四(四): 在学校创先争优活动网页上开设“基层组织建设年”专栏，即时报道活动
  开展情况，编印基层组织建设年活动简报 — the columns.
- 《168模式实施意见》§六4: 通过网络、简报等形式宣传典型经验 — 工作简报 and 新闻动态.
- 《168模式实施意见》§五(二)4: 党支部的年度“亮岗履职”工作总结上交党总支，党总支的总结上交党委组织部;
  《组织建设年实施方案》§二(六): 分级做好总结工作，宣传推广经验 — the annual summaries, published
  from the summary as submitted.
- Review: an article reaches the public site only once an officer of the level above its own
  organisation approves it (the level the summaries are handed to, §五(二)4); the author's own
  organisation never approves itself, and nobody approves what they wrote or submitted.
"""

from collections.abc import Iterable

# Columns (栏目).
BRIEFING = "briefing"  # 工作简报
NEWS = "news"  # 新闻动态
ORG_YEAR = "org_year"  # 基层组织建设年
ANNUAL_SUMMARY = "annual_summary"  # 年度工作总结
COLUMNS = (BRIEFING, NEWS, ORG_YEAR, ANNUAL_SUMMARY)

# States of an article and the steps between them.
DRAFT = "draft"
SUBMITTED = "submitted"
RETURNED = "returned"
PUBLISHED = "published"
WITHDRAWN = "withdrawn"

STATE_LABELS = {
    DRAFT: "草稿",
    SUBMITTED: "待审核",
    RETURNED: "已退回",
    PUBLISHED: "已发布",
    WITHDRAWN: "已撤回",
}
# What the author's organisation may still change: a draft, a returned or a withdrawn article.
EDITABLE = frozenset({DRAFT, RETURNED, WITHDRAWN})

# step -> (states it starts from, state it leads to)
STEPS: dict[str, tuple[frozenset[str], str]] = {
    "edit": (EDITABLE, DRAFT),
    "attach": (EDITABLE, DRAFT),
    "delete": (frozenset({DRAFT, RETURNED}), DRAFT),
    "submit": (EDITABLE, SUBMITTED),
    "approve": (frozenset({SUBMITTED}), PUBLISHED),
    "return": (frozenset({SUBMITTED}), RETURNED),
    "withdraw": (frozenset({SUBMITTED, PUBLISHED}), WITHDRAWN),
}
STEP_LABELS = {
    "edit": "修改",
    "attach": "修改图片和附件",
    "delete": "删除",
    "submit": "报送审核",
    "approve": "审核通过并发布",
    "return": "退回修改",
    "withdraw": "撤回",
}

# Lengths (the page and the API refuse longer text with the limit named).
TITLE_MAX = 80
BODY_MAX = 20_000
REASON_MAX = 500
CAPTION_MAX = 100
# Days the level above has to review a submitted article, and the author to revise a returned
# one, before the reminder shows as overdue (COLUMN_REVIEW_DAYS; the sources set no time).
REVIEW_DAYS = 5
# Per article (COLUMN_MAX_PHOTOS / COLUMN_MAX_ATTACHMENTS in settings.py).
MAX_PHOTOS = 9
MAX_ATTACHMENTS = 5


def step_error(state: str, step: str) -> str | None:
    """Why `step` cannot be taken from `state`, in Chinese; None when it can."""
    allowed, _target = STEPS[step]
    if state in allowed:
        return None
    now = STATE_LABELS.get(state, state)
    if step in ("edit", "attach", "delete") and state in (SUBMITTED, PUBLISHED):
        return f"稿件{now}，不能{STEP_LABELS[step]}；需要修改时请先撤回。"
    return f"稿件当前为“{now}”，不能{STEP_LABELS[step]}。"


def step_target(step: str) -> str:
    return STEPS[step][1]


def reviewer_error(
    *,
    reviewer_id: int | None,
    author_ids: Iterable[int | None],
    reviewer_above: bool,
) -> str | None:
    """Who may approve or return an article: an officer of the level above the author's
    organisation (《168模式实施意见》§五(二)4: 总结上交上一级), and never whoever wrote or
    submitted it (no one reviews their own text)."""
    if not reviewer_above:
        return "稿件须由上级党组织审核，本组织不能审核自己的稿件。"
    if reviewer_id is not None and reviewer_id in {a for a in author_ids if a is not None}:
        return "稿件的撰写人或报送人不能审核同一稿件，请由上级党组织的其他书记、委员审核。"
    return None


def text_error(text: str, *, limit: int, label: str, required: bool = True) -> str | None:
    """Blank or too long text, with the limit named."""
    text = (text or "").strip()
    if required and not text:
        return f"请填写{label}。"
    if len(text) > limit:
        return f"{label}不能超过{limit}字（现为{len(text)}字）。"
    return None


def count_error(existing: int, limit: int, label: str) -> str | None:
    if existing >= limit:
        return f"每篇稿件最多{limit}个{label}，请先删除不需要的{label}。"
    return None


def paragraphs(body: str) -> list[str]:
    """The body as paragraphs: plain text, one paragraph per non-blank line (no markup is
    kept; the pages escape every character)."""
    return [line.strip() for line in (body or "").splitlines() if line.strip()]


def summary_of(body: str, length: int = 90) -> str:
    """The first characters of the body, for a list."""
    text = " ".join(paragraphs(body))
    return text if len(text) <= length else text[: length - 1] + "…"


def annual_summary_title(org_name: str, year: int, kind_label: str) -> str:
    """The title an annual summary is published under: 机关一支部2026年度亮岗履职工作总结."""
    label = kind_label.replace("党支部", "").replace("党总支", "")
    year_part = f"{year}" if label.startswith("年度") else f"{year}年"
    return f"{org_name}{year_part}{label}"[:TITLE_MAX]
