"""The user manual's catalogue: its chapters, who each is written for, which chapter a user
opens from 帮助, and which section of it explains a page (context help).

Pure: no Django. The chapters are the Markdown files of docs/manual/ (shipped inside the
package as dangjian/manual/content/, so a non-editable install has them).
"""

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Chapter:
    slug: str
    file: str
    title: str
    public: bool = False  # readable without signing in (the masses, the overview)


CHAPTERS: tuple[Chapter, ...] = (
    Chapter("overview", "README.md", "使用手册总览", public=True),
    Chapter("department", "department.md", "党委组织部管理员"),
    Chapter("general-branch", "general-branch.md", "党总支书记"),
    Chapter("branch", "branch.md", "党支部书记与组织委员"),
    Chapter("member", "member.md", "党员"),
    Chapter("public", "public.md", "群众与匿名测评", public=True),
    Chapter("admin", "admin.md", "系统管理员（运维）"),
)
BY_SLUG = {c.slug: c for c in CHAPTERS}
BY_FILE = {c.file: c for c in CHAPTERS}


def chapter_for(
    *,
    signed_in: bool,
    administrator: bool,
    department: bool,
    officer_kinds: frozenset[str] = frozenset(),
) -> str:
    """The chapter 帮助 opens for a user.

    An administrator (IT) reads the operations chapter; the organisation department (and
    committee officers, who act for the whole institution) the department's; an officer of a
    general branch the general-branch chapter, of a branch the branch chapter (an officer of
    both reads the higher one); any other signed-in user the member's; a visitor the masses'.
    """
    if not signed_in:
        return "public"
    if administrator:
        return "admin"
    if department or "committee" in officer_kinds:
        return "department"
    if "general_branch" in officer_kinds:
        return "general-branch"
    if officer_kinds:
        return "branch"
    return "member"


# Context help: the page (URL name) → the chapter sections that explain it, the reader's own
# chapter first when it has one. A test checks that every anchor exists in its chapter.
CONTEXT_HELP: dict[str, tuple[tuple[str, str], ...]] = {
    "home": (
        ("department", "工作台与数据驾驶舱"),
        ("general-branch", "工作台"),
        ("branch", "工作台"),
        ("member", "工作台我的168"),
    ),
    "reports:cockpit": (("department", "工作台与数据驾驶舱"),),
    "reports:report_list": (("department", "季报表"), ("general-branch", "季报表填报")),
    "targets:plan_list": (("department", "目标管理"), ("general-branch", "目标管理与年度计划")),
    "targets:workitem_list": (("general-branch", "六步工作法"), ("branch", "六步工作法")),
    "targets:task_list": (("general-branch", "六步工作法"), ("branch", "六步工作法")),
    "targets:my_tasks": (("member", "我的任务"),),
    "posts:post_list": (
        ("general-branch", "设岗定责定岗与评岗"),
        ("branch", "设岗定责明岗履岗"),
        ("department", "岗位目录与设岗"),
    ),
    "posts:catalogue": (("department", "岗位目录与设岗"),),
    "posts:duty_check_list": (("branch", "履职记实与月度检查"), ("general-branch", "季度检查")),
    "posts:duty_record_list": (("branch", "履职记实与月度检查"),),
    "posts:my_posts": (("member", "我的岗位认岗与亮岗"),),
    "posts:duty_record_mine": (("member", "我的履职记实"),),
    "posts:duty_record_create": (("member", "我的履职记实"),),
    "posts:commitment_mine": (("member", "我的承诺"),),
    "posts:summary_mine": (("member", "履职小结"),),
    "notices:notice_list": (("branch", "通知公告与回执"), ("general-branch", "通知公告")),
    "notices:mine": (("member", "消息中心与通知"),),
    "notices:centre": (("member", "消息中心与通知"),),
    "orglife:meeting_list": (("branch", "三会一课"),),
    "orglife:compliance": (("general-branch", "组织生活落实"), ("branch", "三会一课")),
    "orglife:hours": (("branch", "教育培训学时"), ("department", "教育培训与书记培训")),
    "orglife:my_meetings": (("member", "我的组织生活与学时"),),
    "orglife:my_hours": (("member", "我的组织生活与学时"),),
    "development:case_list": (("branch", "发展党员"), ("general-branch", "发展党员审核")),
    "development:my_case": (("member", "我的入党进程"),),
    "outreach:contact_list": (("branch", "联系群众与走访"),),
    "outreach:my_visits": (("member", "联系与走访"),),
    "appraisal:cycle_list": (("department", "党员考评"), ("branch", "党员考评")),
    "appraisal:mine": (("member", "我的考评"),),
    "surveys:survey_list": (("department", "民意测评"), ("branch", "党员考评")),
    "assessment:round_list": (("department", "支部考核"), ("general-branch", "支部考核")),
    "branches:year_list": (("department", "党支部分类定级"), ("general-branch", "分类定级")),
    "branches:item_list": (("general-branch", "整改落实"), ("branch", "整改落实")),
    "finance:collection": (("branch", "党费收缴"), ("department", "党费与经费")),
    "finance:my_dues": (("member", "我的党费"),),
    "org:org_tree": (("department", "组织架构与人员名册"),),
    "org:person_list": (("department", "组织架构与人员名册"), ("branch", "党员名册")),
    "org:person_import": (("department", "组织架构与人员名册"),),
    "accounts:batch_list": (("department", "账号开通"),),
    "membership:transfer_list": (("branch", "组织关系转接"), ("department", "党员管理")),
    "public:suggestion_list": (("branch", "意见箱"), ("department", "意见箱")),
    "public:board_index": (("public", "党务公开栏"),),
    "audit:events": (("admin", "审计日志"),),
    "audit:security": (("admin", "审计日志"),),
    # the features merged after the first manual
    "honours:round_list": (
        ("department", "评选表彰两优一先"),
        ("general-branch", "评选表彰与示范单位"),
        ("branch", "评选表彰推荐"),
        ("member", "评选表彰"),
    ),
    "honours:unit_list": (("department", "示范单位培育"), ("general-branch", "评选表彰与示范单位")),
    "honours:unit_counts": (
        ("department", "示范单位培育"),
        ("general-branch", "评选表彰与示范单位"),
    ),
    "partyschool:class_list": (
        ("general-branch", "党校培训"),
        ("branch", "党校培训"),
        ("department", "党校培训与领导班子联系点"),
    ),
    "partyschool:my_results": (("member", "我的党校学习"),),
    "outreach:leader_points": (("department", "党校培训与领导班子联系点"),),
    "review:round_list": (("department", "联述联评联考"), ("general-branch", "联述联评联考")),
    "review:report_list": (
        ("branch", "书记述职"),
        ("general-branch", "联述联评联考"),
        ("department", "联述联评联考"),
    ),
    "column:article_list": (
        ("branch", "工作专栏"),
        ("general-branch", "工作专栏"),
        ("department", "工作专栏"),
    ),
    "column:review_list": (
        ("department", "工作专栏"),
        ("general-branch", "工作专栏"),
        ("branch", "工作专栏"),
    ),
    "column:from_summary": (
        ("branch", "工作专栏"),
        ("general-branch", "工作专栏"),
        ("department", "工作专栏"),
    ),
    "public:column_index": (("public", "工作专栏"),),
    "elections:term_list": (
        ("branch", "换届选举"),
        ("general-branch", "换届选举"),
        ("department", "换届选举"),
    ),
    "elections:election_list": (
        ("branch", "换届选举"),
        ("general-branch", "换届选举"),
        ("department", "换届选举"),
    ),
    "import_index": (("department", "数据导入"), ("branch", "数据导入")),
    "membership:away_list": (("branch", "流动党员与联系记录"), ("department", "党员管理")),
    "membership:contact_list": (("branch", "流动党员与联系记录"), ("department", "党员管理")),
}

# Pages that take an argument (a record's own page, a step's form) are explained where their
# list is: the page's URL name → the list page's entry above. A test checks both names.
CONTEXT_HELP_LIKE: dict[str, str] = {
    "honours:round_detail": "honours:round_list",
    "honours:nomination_detail": "honours:round_list",
    "honours:unit_detail": "honours:unit_list",
    "partyschool:class_detail": "partyschool:class_list",
    "review:round_detail": "review:round_list",
    "review:report_detail": "review:report_list",
    "column:article_detail": "column:article_list",
    "public:column_article": "public:column_index",
    "elections:election_detail": "elections:election_list",
    "import_upload": "import_index",
    "import_job": "import_index",
    "orglife:signin_qr": "orglife:meeting_list",
    "orglife:meeting_detail": "orglife:meeting_list",
    "orglife:signin": "orglife:my_meetings",
}


def help_section(view_name: str, role_chapter: str) -> tuple[str, str]:
    """(chapter, anchor) for a page: the reader's own chapter's section when it has one, else
    the first section listed; a page not listed opens the reader's chapter at its top."""
    sections = CONTEXT_HELP.get(CONTEXT_HELP_LIKE.get(view_name, view_name), ())
    for chapter, anchor in sections:
        if chapter == role_chapter:
            return chapter, anchor
    if sections:
        return sections[0]
    return role_chapter, ""


_DROP = re.compile(r"[^\w\- ]", re.UNICODE)


def slugify_heading(text: str) -> str:
    """A heading's anchor as GitHub makes it, so a link works on GitHub and in the app alike:
    lower case, punctuation dropped (Chinese characters are kept), spaces become hyphens."""
    text = unicodedata.normalize("NFC", text).strip().lower()
    return _DROP.sub("", text).replace(" ", "-")
