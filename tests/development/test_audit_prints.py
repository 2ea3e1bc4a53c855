"""Prints of personal data are recorded: the 发展党员工作流程纪实表 (name, ID number, dates) writes
one PRINT event naming the officer and the person; a refused print writes none."""

import pytest
from django.urls import reverse

from dangjian.core.models import SecurityEvent

pytestmark = pytest.mark.django_db


def prints():
    return list(SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PRINT))


def test_printing_a_dossier_is_recorded(world, as_user, advance):
    case = advance("converted")
    url = reverse("development:case_print", args=[case.pk])
    assert as_user(world.secretary_a).get(url, REMOTE_ADDR="10.3.3.3").status_code == 200
    [event] = prints()
    assert event.user == world.secretary_a and event.ip == "10.3.3.3" and event.path == url
    assert event.detail == f"发展党员工作流程纪实表（{case.person.name}）" and event.rows == 1


def test_an_out_of_scope_print_is_refused_and_not_a_print(world, as_user, advance):
    case = advance("converted")
    url = reverse("development:case_print", args=[case.pk])
    assert as_user(world.secretary_b).get(url).status_code == 404
    assert prints() == []
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.REFUSED).count() == 1
