"""The column's rules at their boundaries (《168模式实施意见》§五(二)4,
《组织建设年实施方案》§四(四))."""

import pytest

from dangjian.column import rules


@pytest.mark.parametrize(
    ("state", "step", "allowed"),
    [
        (rules.DRAFT, "submit", True),
        (rules.RETURNED, "submit", True),
        (rules.WITHDRAWN, "submit", True),
        (rules.SUBMITTED, "submit", False),
        (rules.PUBLISHED, "submit", False),
        (rules.SUBMITTED, "approve", True),
        (rules.DRAFT, "approve", False),
        (rules.RETURNED, "approve", False),
        (rules.PUBLISHED, "approve", False),
        (rules.SUBMITTED, "return", True),
        (rules.PUBLISHED, "return", False),
        (rules.PUBLISHED, "withdraw", True),
        (rules.SUBMITTED, "withdraw", True),
        (rules.DRAFT, "withdraw", False),
        (rules.WITHDRAWN, "withdraw", False),
        (rules.DRAFT, "edit", True),
        (rules.SUBMITTED, "edit", False),
        (rules.PUBLISHED, "edit", False),
        (rules.PUBLISHED, "attach", False),
        (rules.WITHDRAWN, "delete", False),
        (rules.RETURNED, "delete", True),
    ],
)
def test_steps(state, step, allowed):
    assert (rules.step_error(state, step) is None) is allowed


def test_refusal_names_the_step_and_the_way_out():
    assert rules.step_error(rules.PUBLISHED, "edit") == "稿件已发布，不能修改；需要修改时请先撤回。"
    assert rules.step_error(rules.DRAFT, "approve") == "稿件当前为“草稿”，不能审核通过并发布。"


def test_only_the_level_above_reviews():
    error = rules.reviewer_error(reviewer_id=1, author_ids=[2, 3], reviewer_above=False)
    assert error == "稿件须由上级党组织审核，本组织不能审核自己的稿件。"
    assert rules.reviewer_error(reviewer_id=1, author_ids=[2, 3], reviewer_above=True) is None


@pytest.mark.parametrize("author_ids", [[1, None], [None, 1], [1, 1]])
def test_nobody_reviews_what_they_wrote_or_submitted(author_ids):
    error = rules.reviewer_error(reviewer_id=1, author_ids=author_ids, reviewer_above=True)
    assert error and "撰写人或报送人" in error


def test_unknown_authors_do_not_block_a_reviewer():
    assert rules.reviewer_error(reviewer_id=1, author_ids=[None, None], reviewer_above=True) is None


def test_text_limits_at_the_boundary():
    assert rules.text_error("字" * rules.TITLE_MAX, limit=rules.TITLE_MAX, label="标题") is None
    error = rules.text_error("字" * (rules.TITLE_MAX + 1), limit=rules.TITLE_MAX, label="标题")
    assert error == f"标题不能超过{rules.TITLE_MAX}字（现为{rules.TITLE_MAX + 1}字）。"
    assert rules.text_error("  ", limit=10, label="正文") == "请填写正文。"
    assert rules.text_error("", limit=10, label="审核意见", required=False) is None


def test_counts_at_the_boundary():
    assert rules.count_error(rules.MAX_PHOTOS - 1, rules.MAX_PHOTOS, "图片") is None
    assert rules.count_error(rules.MAX_PHOTOS, rules.MAX_PHOTOS, "图片") == (
        f"每篇稿件最多{rules.MAX_PHOTOS}个图片，请先删除不需要的图片。"
    )


def test_body_is_plain_paragraphs():
    body = "第一段\n\n  <script>alert(1)</script>  \n第三段"
    assert rules.paragraphs(body) == ["第一段", "<script>alert(1)</script>", "第三段"]
    assert rules.summary_of("字" * 100, 10) == "字" * 9 + "…"


def test_annual_summary_title():
    title = rules.annual_summary_title("机关一支部", 2026, "党支部年度亮岗履职工作总结")
    assert title == "机关一支部2026年度亮岗履职工作总结"
    assert rules.annual_summary_title("党委", 2026, "工作总结") == "党委2026年工作总结"
