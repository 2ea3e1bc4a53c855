"""The manual's catalogue: which chapter 帮助 opens, and which section explains a page."""

import pytest

from dangjian.manual import rules


@pytest.mark.parametrize(
    ("kwargs", "chapter"),
    [
        ({"signed_in": False, "administrator": False, "department": False}, "public"),
        ({"signed_in": True, "administrator": True, "department": True}, "admin"),
        ({"signed_in": True, "administrator": False, "department": True}, "department"),
        (
            {
                "signed_in": True,
                "administrator": False,
                "department": False,
                "officer_kinds": frozenset({"committee"}),
            },
            "department",
        ),
        (
            {
                "signed_in": True,
                "administrator": False,
                "department": False,
                "officer_kinds": frozenset({"general_branch", "branch"}),
            },
            "general-branch",
        ),
        (
            {
                "signed_in": True,
                "administrator": False,
                "department": False,
                "officer_kinds": frozenset({"branch"}),
            },
            "branch",
        ),
        (
            {
                "signed_in": True,
                "administrator": False,
                "department": False,
                "officer_kinds": frozenset({"group"}),
            },
            "branch",
        ),
        ({"signed_in": True, "administrator": False, "department": False}, "member"),
    ],
)
def test_chapter_for_each_role(kwargs, chapter):
    assert rules.chapter_for(**kwargs) == chapter


def test_help_section_prefers_the_readers_chapter():
    assert rules.help_section("posts:post_list", "branch") == ("branch", "设岗定责明岗履岗")
    assert rules.help_section("posts:post_list", "general-branch")[0] == "general-branch"
    # A reader whose chapter does not explain the page gets the first chapter that does.
    assert rules.help_section("posts:post_list", "member")[0] == "general-branch"
    # A page the manual does not name opens the reader's chapter at its top.
    assert rules.help_section("nowhere:page", "member") == ("member", "")


def test_a_records_own_page_is_explained_where_its_list_is():
    # honours:round_detail is not listed itself: it borrows honours:round_list's sections.
    assert "honours:round_detail" not in rules.CONTEXT_HELP
    assert rules.help_section("honours:round_detail", "general-branch") == (
        "general-branch",
        "评选表彰与示范单位",
    )
    assert rules.help_section("honours:round_detail", "department") == (
        "department",
        "评选表彰两优一先",
    )
    # A member reads the branch chapter's section on a page their chapter does not explain.
    assert rules.help_section("elections:election_detail", "member") == ("branch", "换届选举")


def test_headings_get_githubs_anchors():
    assert rules.slugify_heading("我的岗位：认岗与亮岗") == "我的岗位认岗与亮岗"
    assert rules.slugify_heading("我的“168”") == "我的168"
    assert rules.slugify_heading("Step 2 (API) 接口") == "step-2-api-接口"


def test_chapters_have_distinct_slugs_and_files():
    assert len(rules.BY_SLUG) == len(rules.CHAPTERS) == len(rules.BY_FILE)
