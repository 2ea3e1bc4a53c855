"""Take screenshots of the main screens from a running demo server (for the README and review).

DEBUG=1 OTP_ENFORCE=0 .venv/bin/dangjian demo   # in another terminal; without OTP_ENFORCE=0
                                                # zuzhibu is first sent to enrol a second factor
.venv/bin/python scripts/screenshots.py [--base http://127.0.0.1:8000] [--out docs/screenshots]
.venv/bin/python scripts/screenshots.py --manual [--base ...]   # the user manual's pictures,
                                                # into docs/manual/images/ (see MANUAL below)
.venv/bin/python scripts/screenshots.py --manual --only department-honours,gb-partyschool
                                                # just these pictures (the others are kept)
"""

import argparse
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# (file name, user, path or callable, viewport)
DESKTOP = {"width": 1360, "height": 900}
PHONE = {"width": 390, "height": 844}


MECHANISM_PAGES = [
    ("targets-plans", "/targets/"),
    ("targets-workitems", "/targets/items/"),
    ("targets-tasks", "/targets/tasks/"),
    ("posts-list", "/posts/"),
    ("posts-catalogue", "/posts/catalogue/"),
    ("posts-commitments", "/posts/commitments/"),
    ("posts-duty-records", "/posts/duty/"),
    ("posts-duty-checks", "/posts/checks/"),
    ("posts-summaries", "/posts/summaries/"),
    ("posts-registration-print", "/posts/registration/"),
    ("posts-annex2-print", "/posts/annex2/"),
    ("suggestions", "/public/suggestions/"),
    ("reports", "/reports/?quarter=3"),
    ("orglife-meetings", "/orglife/"),
    ("orglife-compliance", "/orglife/compliance/"),
    ("orglife-hours", "/orglife/hours/"),
    ("orglife-secretary-training", "/orglife/secretaries/"),
    ("orglife-record-book", "/orglife/record-book/"),
    ("development-board", "/development/"),
    ("development-notices", "/development/notices/"),
    ("outreach-contacts", "/outreach/"),
    ("outreach-compliance", "/outreach/compliance/"),
    ("outreach-summary", "/outreach/summary/"),
]
# (file name, list page, click into its first row for a detail page named <file name>-detail)
EVALUATION_PAGES = [
    ("appraisal-cycles", "/appraisal/", "main table a >> nth=0"),
    ("surveys", "/surveys/?state=open&kind=member_rating", "main table a >> nth=0"),
    ("assessment-rounds", "/assessment/", "main table a >> nth=0"),
    ("assessment-templates", "/assessment/templates/", "main table a >> nth=0"),
    ("branches-years", "/branches/", "main table a >> nth=0"),
    ("branches-items", "/branches/items/", None),
]
PHONE_PAGES = [
    ("phone-my-posts", "/posts/my/"),
    ("phone-duty-record-new", "/posts/duty/new/"),
    ("phone-my-records", "/posts/duty/mine/"),
    ("phone-my-tasks", "/targets/my-tasks/"),
    ("phone-public-board", "/public/o/C01-G12-B02/"),
    ("phone-my-meetings", "/orglife/my/"),
    ("phone-my-hours", "/orglife/my/hours/"),
    ("phone-my-case", "/development/mine/"),
    ("phone-my-visits", "/outreach/visits/mine/"),
    ("phone-my-appraisal", "/appraisal/mine/"),
    ("phone-my-rectification-items", "/branches/items/mine/"),
]


# The user manual's pictures (docs/manual/*.md show them as images/<name>.png): the visible
# part of the page at desktop width, no full-page captures, so the set stays a few MB.
# (login, [(file name, path, optional action before the capture)])
MANUAL_DESKTOP = {"width": 1366, "height": 768}
MANUAL = [
    (
        "zuzhibu",
        [
            ("department-home", "/", None),
            ("department-cockpit", "/reports/cockpit/", None),
            ("department-org-tree", "/org/tree/", "expand-tree"),
            ("department-catalogue", "/posts/catalogue/", None),
            ("department-reports", "/reports/?quarter=3", None),
            ("department-appraisal", "/appraisal/", None),
            ("department-assessment", "/assessment/", None),
            ("department-branches", "/branches/", None),
            ("department-honours", "/honours/", "first-row"),
            ("department-review", "/review/round/", "first-row"),
            ("department-leader-points", "/outreach/leader-points/", None),
            ("department-column-review", "/column/review/", None),
            ("partyschool-class", "/partyschool/", "first-row"),  # the committee's classes
        ],
    ),
    (
        "zongzhi",
        [
            ("gb-home", "/", None),
            ("gb-workitem", "/targets/items/", "first-row"),
            ("gb-posts", "/posts/?state=claimed", None),
            ("gb-compliance", "/orglife/compliance/", None),
            ("gb-development", "/development/", None),
            ("gb-items", "/branches/items/", None),
            ("branch-notice-unread", "/notices/notice/", "notice-unread"),
        ],
    ),
    (
        "zhibu",
        [
            ("branch-home", "/", None),
            ("branch-post-detail", "/posts/?state=performing", "first-row"),
            ("branch-duty-checks", "/posts/checks/", None),
            ("branch-notice-new", "/notices/notice/new/", "notice-form"),
            ("branch-meetings", "/orglife/", None),
            ("branch-dues", "/finance/dues/collection/", None),
            ("branch-elections", "/elections/", None),
            ("branch-column", "/column/article/new/", "column-form"),
            ("branch-imports", "/imports/meetings/", None),
        ],
    ),
    (
        "dangyuan",
        [
            ("member-home", "/", None),
            ("member-my-posts", "/posts/my/", None),
            ("member-duty-new", "/posts/duty/new/", "duty-form"),
            ("member-commitment", "/posts/commitments/mine/", None),
            ("member-notices", "/notices/mine/", None),
            ("member-hours", "/orglife/my/hours/", None),
            ("member-appraisal", "/appraisal/mine/", None),
        ],
    ),
    ("admin", [("admin-account", "/account/", None), ("admin-backend", "/admin/", None)]),
]


def manual_action(page, action):
    """What a picture needs done before it is taken (no write reaches the database)."""
    if action == "first-row":
        page.click("main table a >> nth=0")
    elif action == "expand-tree":
        page.click("#org-tree .dj-toggle >> nth=0")
        page.wait_for_selector("text=机关党总支")
    elif action == "notice-unread":
        page.click("main table a:has-text('通知') >> nth=0")
        page.click("a[href$='/unread/']")
    elif action == "notice-form":
        page.fill("#id_title", "关于开展本月主题党日活动的通知")
        page.fill(
            "#id_body", "请全体党员于本月20日下午3点到党员活动室参加主题党日活动。\n请阅读后回执。"
        )
        page.check("#id_receipt_required")
    elif action == "column-form":
        page.select_option("#id_column", label="工作简报")
        page.fill("#id_title", "学生支部开展“红色家书”主题党日活动")
        page.fill(
            "#id_body",
            "5月20日，学生支部组织全体党员和入党积极分子诵读红色家书。\n"
            "大家表示要把革命先辈的家国情怀转化为学习和工作的动力。",
        )
    elif action == "duty-form":
        page.fill("#id_place", "学生公寓3号楼")
        page.fill("#id_content", "开展政策宣传，讲解资助政策并解答学生疑问")
        page.fill("#id_effect", "覆盖学生60余人")


def small_png(path):
    """A screen's picture in 256 colours: a third of the size, the text as sharp, so the
    manual's pictures stay a few MB."""
    with Image.open(path) as picture:
        reduced = picture.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    reduced.save(path, optimize=True)


def manual(browser, base, out, only=None):
    """The pictures of docs/manual/, from the demo, as each role sees them (only the names in
    `only` when given)."""
    for username, shots in MANUAL:
        shots = [s for s in shots if only is None or s[0] in only]
        if not shots:
            continue
        page = browser.new_page(viewport=MANUAL_DESKTOP, locale="zh-CN")
        login(page, base, username)
        for name, path, action in shots:
            page.goto(f"{base}{path}")
            if action:
                manual_action(page, action)
            page.screenshot(path=out / f"{name}.png")
            small_png(out / f"{name}.png")
        page.close()
    if only is not None:
        if "public-column" in only:
            page = browser.new_page(viewport=MANUAL_DESKTOP, locale="zh-CN")
            page.goto(f"{base}/public/column/")
            page.screenshot(path=out / "public-column.png")
            small_png(out / "public-column.png")
            page.close()
        return
    page = browser.new_page(viewport=MANUAL_DESKTOP, locale="zh-CN")
    page.goto(f"{base}/public/")
    page.screenshot(path=out / "public-board-index.png")
    page.goto(f"{base}/public/column/")
    page.screenshot(path=out / "public-column.png")
    small_png(out / "public-column.png")
    page.goto(f"{base}/public/o/C01-G12-B02/")
    page.screenshot(path=out / "public-board.png")
    page.click("text=我要提意见建议")
    page.screenshot(path=out / "public-suggest.png")
    page.close()
    # A one-time survey link on a phone: issue one link as the branch secretary, open it
    # without a session (the link is left unused).
    page = browser.new_page(viewport=MANUAL_DESKTOP, locale="zh-CN")
    login(page, base, "zongzhi")
    page.goto(f"{base}/surveys/?state=open&kind=member_rating")
    page.click("main table a >> nth=0")
    page.fill("#id_count", "1")
    page.click("#batches button[type=submit], form[action$='/issue/'] button[type=submit]")
    page.click(".table-warning a >> text=打印二维码")
    link = page.inner_text(".qr-link >> nth=0")
    page.close()
    phone = browser.new_page(viewport=PHONE, locale="zh-CN", is_mobile=True)
    phone.goto(link)
    phone.screenshot(path=out / "public-survey.png")
    phone.close()


def login(page, base, username):
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default=None)
    parser.add_argument("--manual", action="store_true", help="the user manual's pictures")
    parser.add_argument("--only", default=None, help="with --manual: these pictures, by name")
    args = parser.parse_args()
    out = Path(args.out or ("docs/manual/images" if args.manual else "docs/screenshots"))
    out.mkdir(parents=True, exist_ok=True)
    base = args.base
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        if args.manual:
            only = set(args.only.split(",")) if args.only else None
            manual(browser, args.base, out, only)
            browser.close()
            print(f"manual pictures written to {out}/")
            return
        page = browser.new_page(viewport=DESKTOP, locale="zh-CN")
        login(page, base, "zuzhibu")
        page.screenshot(path=out / "home.png", full_page=True)
        page.goto(f"{base}/org/tree/")
        page.click("#org-tree .dj-toggle >> nth=0")
        page.wait_for_selector("text=机关党总支")
        page.click("[aria-label='展开信息工程学院党总支']")
        page.wait_for_selector("text=信息工程学院学生支部")
        page.screenshot(path=out / "org-tree.png", full_page=True)
        page.click("text=信息工程学院学生支部")
        page.wait_for_selector("#org-members")
        page.screenshot(path=out / "org-detail.png")
        page.goto(f"{base}/org/people/?status=target")
        page.screenshot(path=out / "person-list.png")
        page.click("#people tbody tr >> nth=0 >> a")
        page.wait_for_selector("text=政治面貌变更历史")
        page.screenshot(path=out / "person-detail.png", full_page=True)
        page.goto(f"{base}/org/people/import/")
        page.screenshot(path=out / "person-import.png")
        page.goto(f"{base}/org/people/new/")
        page.click("button[type=submit]")
        page.screenshot(path=out / "person-form-errors.png", full_page=True)
        page.close()

        # The “168” mechanism as a general-branch secretary.
        page = browser.new_page(viewport=DESKTOP, locale="zh-CN")
        login(page, base, "zongzhi")
        page.screenshot(path=out / "home-general-branch.png", full_page=True)
        for name, path in MECHANISM_PAGES:
            page.goto(f"{base}{path}")
            page.screenshot(path=out / f"{name}.png", full_page=True)
        page.goto(f"{base}/targets/items/")
        page.click("table a >> nth=0")
        page.screenshot(path=out / "workitem-detail.png", full_page=True)
        page.goto(f"{base}/posts/")
        page.click("table a >> nth=0")
        page.screenshot(path=out / "post-detail.png", full_page=True)
        page.goto(f"{base}/reports/?quarter=3")
        page.click("table a >> nth=0")
        page.screenshot(path=out / "report-detail.png", full_page=True)
        page.goto(f"{base}/development/?stage=5")
        page.click("main table a >> nth=0")
        page.screenshot(path=out / "development-case.png", full_page=True)
        page.goto(f"{base}/orglife/")
        page.click("main table a >> nth=0")
        page.screenshot(path=out / "orglife-meeting-detail.png", full_page=True)
        page.close()

        # Evaluation as a general-branch secretary; then a one-time link answered on a phone.
        page = browser.new_page(viewport=DESKTOP, locale="zh-CN")
        login(page, base, "zongzhi")
        for name, path, first_row in EVALUATION_PAGES:
            page.goto(f"{base}{path}")
            page.screenshot(path=out / f"{name}.png", full_page=True)
            if first_row:
                page.click(first_row)
                page.screenshot(path=out / f"{name}-detail.png", full_page=True)
        page.goto(f"{base}/appraisal/")
        page.click("main table a >> text=年终总评 >> nth=-1")
        page.click("text=考评结果")
        page.screenshot(path=out / "appraisal-results.png", full_page=True)
        page.goto(f"{base}/surveys/?state=open&kind=member_rating")
        page.click("main table a >> nth=0")
        page.fill("#id_count", "1")
        page.click("#batches button[type=submit], form[action$='/issue/'] button[type=submit]")
        page.click(".table-warning a >> text=打印二维码")
        page.screenshot(path=out / "survey-qr-print.png")
        link = page.inner_text(".qr-link >> nth=0")
        page.close()
        answer = browser.new_page(viewport=PHONE, locale="zh-CN", is_mobile=True)
        answer.goto(link)
        answer.screenshot(path=out / "phone-survey-answer.png")
        answer.close()

        board = browser.new_page(viewport=DESKTOP, locale="zh-CN")
        board.goto(f"{base}/public/")
        board.screenshot(path=out / "public-index.png", full_page=True)
        board.click("main a >> nth=1")
        board.screenshot(path=out / "public-board.png", full_page=True)
        board.close()

        phone = browser.new_page(viewport=PHONE, locale="zh-CN", is_mobile=True)
        login(phone, base, "dangyuan")
        phone.screenshot(path=out / "phone-member-home.png", full_page=True)
        for name, path in PHONE_PAGES:
            phone.goto(f"{base}{path}")
            phone.screenshot(path=out / f"{name}.png", full_page=True)
        phone.close()
        browser.close()
    print(f"screenshots written to {out}/")


if __name__ == "__main__":
    main()
