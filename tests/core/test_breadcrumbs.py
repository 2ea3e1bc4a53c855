"""Breadcrumbs never lead to a refusal: every page a role reaches from its menu (and a member's
own development dossier) links back only to pages that role may open."""

import re
from datetime import date

import pytest
from django.urls import reverse

from dangjian.development import services as development
from tests.factories import make_person, make_user

pytestmark = pytest.mark.django_db

MENU = re.compile(r'<nav class="nav flex-column">(.*?)</nav>', re.S)
CRUMBS = re.compile(r'<ol class="breadcrumb[^"]*">(.*?)</ol>', re.S)
HREF = re.compile(r'href="(/[^"#?]*)"')


def _links(pattern, html):
    block = pattern.search(html)
    return HREF.findall(block.group(1)) if block else []


def _crumbs_refused(client, pages):
    refused = []
    for page in pages:
        response = client.get(page)
        if response.status_code != 200 or response.get("Content-Type", "").find("html") < 0:
            continue
        for link in _links(CRUMBS, response.content.decode()):
            status = client.get(link).status_code
            if status in (403, 404):
                refused.append(f"{page} → {link}: {status}")
    return refused


@pytest.mark.parametrize("role", ["member", "officer", "gb_officer", "org_officer"])
def test_breadcrumbs_of_the_menu_pages_lead_nowhere_refused(as_role, role):
    client = as_role(role)
    menu = _links(MENU, client.get(reverse("home")).content.decode())
    assert menu, "the home page shows the menu"
    assert _crumbs_refused(client, sorted(set(menu))) == []


def test_a_member_s_own_dossier_leads_back_to_their_own_page(world, as_user):
    applicant = make_person(world.branch_a, name="孙申请", status="applicant")
    user = make_user(applicant)
    case = development.case_create(
        actor=world.secretary_a, person=applicant, applied_on=date(2026, 3, 1)
    )
    client = as_user(user)
    page = reverse("development:case_detail", args=[case.pk])
    assert client.get(page).status_code == 200
    assert _crumbs_refused(client, [page]) == []
