"""帮助: the manual's chapters on screen and over the API, context help, and the content
itself (every context-help anchor exists, every picture is there, no raw HTML gets through)."""

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.urls import NoReverseMatch, get_resolver, reverse

from dangjian.manual import render, rules
from tests.harness import assert_max_queries, assert_role_matrix

ROOT = Path(__file__).resolve().parents[2]
MANUAL = ROOT / "docs" / "manual"
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)]+)\)")


# --- the content ---------------------------------------------------------------------------


def test_the_package_ships_docs_manual():
    # The app reads the same files as docs/manual/ (a symlink the wheel build follows), and
    # pyproject lists them as package data, so a non-editable install has them.
    assert render.CONTENT.resolve() == MANUAL.resolve()
    static_images = ROOT / "src/dangjian/manual/static/manual/images"
    assert static_images.resolve() == (MANUAL / "images").resolve()
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"dangjian.manual" = ["content/*.md"]' in pyproject  # pictures: static files


@pytest.mark.parametrize("chapter", rules.CHAPTERS, ids=lambda c: c.slug)
def test_every_chapter_renders_with_a_title_and_sections(chapter):
    rendered = render.render(chapter)
    assert rendered.title and len(rendered.sections) >= 3
    assert "<!--" not in rendered.html and "<script" not in rendered.html


@pytest.mark.parametrize(("view_name", "sections"), sorted(rules.CONTEXT_HELP.items()))
def test_every_context_help_anchor_exists(view_name, sections):
    try:
        reverse(view_name)
    except NoReverseMatch:
        pytest.fail(f"{view_name} is not a page without arguments")
    for slug, anchor in sections:
        anchors = {s.anchor for s in render.render(rules.BY_SLUG[slug]).sections}
        assert anchor in anchors, f"{slug}.md has no heading #{anchor} (for {view_name})"


def _url_name_exists(view_name):
    resolver = get_resolver()
    *namespaces, name = view_name.split(":")
    for namespace in namespaces:
        resolver = resolver.namespace_dict[namespace][1]
    return name in resolver.reverse_dict


@pytest.mark.parametrize(("view_name", "like"), sorted(rules.CONTEXT_HELP_LIKE.items()))
def test_every_page_explained_like_another_names_real_pages(view_name, like):
    assert _url_name_exists(view_name), f"{view_name} is not a URL name"
    assert view_name not in rules.CONTEXT_HELP
    assert like in rules.CONTEXT_HELP, f"{like} has no sections"


def test_every_picture_exists_and_all_stay_small():
    used = set()
    for chapter in rules.CHAPTERS:
        for src in IMAGE.findall(render.source(chapter)):
            assert src.startswith("images/") and src.endswith(".png"), src
            assert (MANUAL / src).is_file(), f"{chapter.file}: {src} is missing"
            used.add(src)
    pictures = list((MANUAL / "images").glob("*.png"))
    assert {f"images/{p.name}" for p in pictures} == used, "pictures no chapter shows"
    assert sum(p.stat().st_size for p in pictures) < 6 * 1024 * 1024


def test_raw_html_is_shown_as_text_and_comments_are_dropped():
    rendered = render.render_text(
        "# 标题\n\n<!-- 待补充：换届选举 -->\n\n## 一节\n\n<script>alert(1)</script>\n\n"
        "![图](images/x.png) [见党员一章](member.md#我的岗位认岗与亮岗)\n"
    )
    assert "待补充" not in rendered.html
    assert "<script>" not in rendered.html and "&lt;script&gt;" in rendered.html
    assert 'src="/static/manual/images/x.png"' in rendered.html
    assert f'href="/help/member/#{quote("我的岗位认岗与亮岗")}"' in rendered.html
    assert rendered.sections == (render.Section(2, "一节", "一节"),)


# --- the pages -----------------------------------------------------------------------------


def test_chapter_pages_by_role(as_role):
    everyone = {
        "officer": 200,
        "other_officer": 200,
        "gb_officer": 200,
        "member": 200,
        "org_officer": 200,
        "admin": 200,
    }
    assert_role_matrix(
        as_role, reverse("manual:chapter", args=["branch"]), {**everyone, "anonymous": 302}
    )
    assert_role_matrix(
        as_role, reverse("manual:chapter", args=["public"]), {**everyone, "anonymous": 200}
    )
    assert_role_matrix(
        as_role, reverse("manual:chapter", args=["nothing"]), {"member": 404, "anonymous": 404}
    )


@pytest.mark.parametrize(
    ("role", "chapter"),
    [
        ("officer", "branch"),
        ("other_officer", "branch"),
        ("gb_officer", "general-branch"),
        ("member", "member"),
        ("org_officer", "department"),
        ("admin", "admin"),
        ("anonymous", "public"),
    ],
)
def test_help_opens_the_chapter_of_the_role(as_role, role, chapter):
    response = as_role(role).get(reverse("manual:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("manual:chapter", args=[chapter])


def test_the_top_bar_links_a_page_to_its_section(as_role):
    def followed(role, page_name):
        client = as_role(role)
        page = client.get(reverse(page_name)).content.decode()
        link = f'href="/help/?page={quote(page_name)}"'
        assert link in page, f"no 帮助 link for {page_name}"
        return client.get(f"/help/?page={quote(page_name)}")["Location"]

    assert followed("member", "posts:my_posts") == f"/help/member/#{quote('我的岗位认岗与亮岗')}"
    assert followed("officer", "posts:post_list") == f"/help/branch/#{quote('设岗定责明岗履岗')}"
    assert followed("gb_officer", "posts:post_list") == (
        f"/help/general-branch/#{quote('设岗定责定岗与评岗')}"
    )
    # A member on a page only officers' chapters explain reads that chapter's section.
    assert followed("member", "notices:centre").startswith("/help/member/#")
    # A page the manual does not name opens the reader's chapter; a visitor never lands on a
    # chapter that needs a sign-in.
    client = as_role("anonymous")
    assert client.get("/help/?page=posts:post_list")["Location"] == "/help/public/"
    assert client.get("/help/?page=nothing")["Location"] == "/help/public/"
    page = as_role("member").get(reverse("manual:chapter", args=["member"])).content.decode()
    assert "我的角色" in page and "<h1" in page


def test_a_records_page_opens_the_section_of_its_list(as_role):
    # The top bar names a record's page by its URL name; 帮助 lands where its list is explained.
    location = as_role("gb_officer").get("/help/?page=honours:round_detail")["Location"]
    assert location == f"/help/general-branch/#{quote('评选表彰与示范单位')}"
    location = as_role("officer").get("/help/?page=elections:election_detail")["Location"]
    assert location == f"/help/branch/#{quote('换届选举')}"
    location = as_role("anonymous").get("/help/?page=public:column_article")["Location"]
    assert location == f"/help/public/#{quote('工作专栏')}"


def test_pages_pay_no_query_for_the_help_link(as_role, django_assert_num_queries):
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/posts/")
    request.resolver_match = type("M", (), {"view_name": "posts:post_list"})()
    with django_assert_num_queries(0):
        out = Template("{% load manual %}{% help_url %}").render(Context({"request": request}))
    assert out == "/help/?page=posts%3Apost_list"


def test_the_public_board_links_the_masses_chapter_and_auditors_see_no_help(client, world):
    from dangjian.core.models import AdminRole
    from tests.factories import make_user

    board = client.get(reverse("public:board_index")).content.decode()
    assert f'href="{reverse("manual:chapter", args=["public"])}"' in board
    # 三员分立: the audit administrator opens only the audit pages, so no 帮助 link leads to a 403.
    auditor = make_user(None, admin_role=AdminRole.AUDIT)
    client.force_login(auditor)
    page = client.get(reverse("audit:events")).content.decode()
    assert "dj-help" not in page


def test_a_chapter_page_costs_few_queries(as_role):
    client = as_role("gb_officer")
    url = reverse("manual:chapter", args=["general-branch"])
    client.get(url)
    with assert_max_queries(12):
        assert client.get(url).status_code == 200


# --- the API -------------------------------------------------------------------------------


def test_api_lists_what_the_reader_may_read(api_as_role):
    anonymous = api_as_role(None).get("/api/v1/manual/").json()
    assert [c["slug"] for c in anonymous] == ["overview", "public"]
    assert [c["slug"] for c in anonymous if c["mine"]] == ["public"]
    member = api_as_role("member").get("/api/v1/manual/").json()
    assert {c["slug"] for c in member} == set(rules.BY_SLUG)
    assert [c["slug"] for c in member if c["mine"]] == ["member"]


def test_api_chapter_by_role(api_as_role):
    url = "/api/v1/manual/member/"
    responses = assert_role_matrix(
        api_as_role,
        url,
        {"officer": 200, "other_officer": 200, "member": 200, "anonymous": (401, 403)},
    )
    body = responses["member"].json()
    assert body["slug"] == "member" and body["html"].startswith("<h1")
    assert "我的岗位认岗与亮岗" in {s["anchor"] for s in body["sections"]}
    assert api_as_role(None).get("/api/v1/manual/public/").status_code == 200
    assert api_as_role("member").get("/api/v1/manual/nothing/").status_code == 404
