def test_client_address_trusts_only_the_proxys_entry(rf, settings):
    from dangjian.core.web import client_address

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.0.0.7", REMOTE_ADDR="127.0.0.1")
    settings.BEHIND_PROXY = False
    assert client_address(request) == "127.0.0.1"
    settings.BEHIND_PROXY = True
    # The first entry can be forged by the visitor; the last one is what nginx saw.
    assert client_address(request) == "10.0.0.7"


def test_a_refused_right_names_the_rule(world, as_user):
    from django.urls import reverse

    # A member opening an officer screen: 403 with the reason, not a bare error page.
    response = as_user(world.member_user).get(reverse("org:org_tree"))
    assert response.status_code == 403
    assert "仅党组织书记、委员和组织部干事可以访问" in response.content.decode()
