"""Personal data of people: ID and phone numbers masked on every page, form, export and API
response for roles that do not need them; a masked value sent back keeps the stored number;
numbers found only in full through their keyed hash; stored encrypted."""

from datetime import date

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from dangjian.core import crypto
from dangjian.org import rules
from dangjian.org.models import Person
from tests.factories import make_id_number
from tests.harness import assert_role_matrix
from tests.org.test_excel import sheet_rows, streamed

ID = make_id_number(date(1990, 1, 1), 7)
PHONE = "13812345678"
MASKED_ID = ID[:4] + "*" * 10 + ID[-4:]
MASKED_PHONE = "138****5678"

# Who reads full numbers: the organisation department (and administrators) only.
ROLES = {
    "org_officer": True,
    "admin": True,
    "secretary_a": False,  # in scope
    "gb_secretary_a": False,  # in scope, one level up
    "secretary_b": False,  # other branch
    "member_user": False,  # the member themself
}


@pytest.fixture
def numbered(world):
    person = world.member_a
    person.id_number, person.phone = ID, PHONE
    person.save()
    return person


def api(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_numbers_are_stored_encrypted_with_their_hashes(numbered):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone, id_number_hash, phone_hash FROM org_person WHERE id = %s",
            [numbered.pk],
        )
        stored_id, stored_phone, id_hash, phone_hash = cursor.fetchone()
    assert ID not in stored_id and PHONE not in stored_phone
    assert stored_id.startswith("dj1$A256GCM$test1$") and stored_phone.startswith("dj1$")
    assert id_hash == crypto.keyed_hash(ID) and phone_hash == crypto.keyed_hash(PHONE)
    numbered.refresh_from_db()
    assert (numbered.id_number, numbered.phone) == (ID, PHONE)


# --- the edit form (the finding: secretaries read full numbers in its fields) ------------------


@pytest.mark.parametrize("who", ["secretary_a", "gb_secretary_a"])
def test_edit_form_shows_only_masked_numbers_to_a_secretary(world, as_user, numbered, who):
    response = as_user(getattr(world, who)).get(reverse("org:person_edit", args=[numbered.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert ID not in html and PHONE not in html
    assert ID[-4:] in html  # the masked value is what the field shows
    form = response.context["form"]
    assert form["id_number"].value() == MASKED_ID and form["phone"].value() == MASKED_PHONE
    assert "保持不变即保留原号码" in html


@pytest.mark.parametrize("who", ["org_officer", "admin"])
def test_edit_form_shows_full_numbers_to_the_department(world, as_user, numbered, who):
    response = as_user(getattr(world, who)).get(reverse("org:person_edit", args=[numbered.pk]))
    html = response.content.decode()
    assert f'value="{ID}"' in html and f'value="{PHONE}"' in html


def test_edit_form_refused_outside_scope_and_to_anonymous(as_role, numbered):
    url = reverse("org:person_edit", args=[numbered.pk])
    expected = {"other_officer": 404, "member": 403, "anonymous": 302}
    for response in assert_role_matrix(as_role, url, expected).values():
        assert ID not in response.content.decode()


def _post_edit(client, person, **changes):
    form = client.get(reverse("org:person_edit", args=[person.pk])).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(changes)
    return client.post(reverse("org:person_edit", args=[person.pk]), data)


def test_saving_the_masked_values_keeps_the_stored_numbers(world, as_user, numbered):
    response = _post_edit(as_user(world.secretary_a), numbered, note="改了备注")
    assert response.status_code == 302
    numbered.refresh_from_db()
    assert (numbered.id_number, numbered.phone, numbered.note) == (ID, PHONE, "改了备注")


def test_a_secretary_replaces_a_number_by_typing_a_new_one(world, as_user, numbered):
    new_id = make_id_number(date(1990, 1, 1), 9)
    client = as_user(world.secretary_a)
    response = _post_edit(client, numbered, id_number=new_id, phone="13900000000")
    assert response.status_code == 302
    numbered.refresh_from_db()
    assert (numbered.id_number, numbered.phone) == (new_id, "13900000000")
    # and reads it back masked only
    html = client.get(reverse("org:person_edit", args=[numbered.pk])).content.decode()
    assert new_id not in html and "13900000000" not in html


def test_a_mistyped_mask_is_an_error_not_a_save(world, as_user, numbered):
    response = _post_edit(as_user(world.secretary_a), numbered, phone="139****5678")
    assert response.status_code == 200
    assert "手机号应为11位数字" in response.content.decode()
    numbered.refresh_from_db()
    assert numbered.phone == PHONE


def test_a_duplicate_id_number_is_found_through_the_hash(world, as_user, numbered):
    response = _post_edit(as_user(world.org_officer), world.secretary_a.person, id_number=ID)
    assert response.status_code == 200
    assert "该身份证号已登记在系统中" in response.content.decode()


# --- detail page, list search -------------------------------------------------------------


@pytest.mark.parametrize(("who", "full"), ROLES.items())
def test_detail_page_by_role(world, as_user, numbered, who, full):
    response = as_user(getattr(world, who)).get(reverse("org:person_detail", args=[numbered.pk]))
    html = response.content.decode()
    if who == "secretary_b":
        assert response.status_code == 404
    elif full:
        assert ID in html and PHONE in html
    else:
        assert ID not in html and PHONE not in html and MASKED_ID in html


def test_search_by_full_numbers_only(world, as_user, numbered):
    client = as_user(world.secretary_a)
    url = reverse("org:person_list")
    for q in (ID, ID.lower(), PHONE):
        names = [p.name for p in client.get(url, {"q": q}).context["page"].rows]
        assert names == [numbered.name], q
    for partial in (ID[:10], PHONE[:7]):
        assert not client.get(url, {"q": partial}).context["page"].rows
    # another branch's secretary does not find the member by number either
    assert not as_user(world.secretary_b).get(url, {"q": ID}).context["page"].rows


def test_partial_lookups_on_encrypted_columns_are_refused(numbered):
    from django.core.exceptions import FieldError

    with pytest.raises(FieldError):
        list(Person.objects.filter(id_number__startswith="5000"))
    assert list(Person.objects.filter(id_number=ID)) == [numbered]
    assert list(Person.objects.filter(phone__in=[PHONE, "13000000000"])) == [numbered]


# --- API ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "full"), ROLES.items())
def test_api_by_role(world, numbered, who, full):
    response = api(getattr(world, who)).get(f"/api/v1/people/{numbered.pk}/")
    if who == "secretary_b":
        assert response.status_code == 404
        return
    body = response.content.decode()
    assert response.status_code == 200
    if full:
        assert response.json()["id_number"] == ID and response.json()["phone"] == PHONE
    else:
        assert ID not in body and PHONE not in body
        assert response.json()["id_number_masked"] == MASKED_ID


def test_api_anonymous_gets_nothing(numbered):
    response = api(None).get(f"/api/v1/people/{numbered.pk}/")
    assert response.status_code in (401, 403) and ID not in response.content.decode()


def test_api_patch_with_the_masked_values_keeps_the_numbers(world, numbered):
    client = api(world.secretary_a)
    response = client.patch(
        f"/api/v1/people/{numbered.pk}/",
        {"id_number": MASKED_ID, "phone": MASKED_PHONE, "note": "经接口修改"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert ID not in response.content.decode()
    numbered.refresh_from_db()
    assert (numbered.id_number, numbered.phone, numbered.note) == (ID, PHONE, "经接口修改")


def test_api_patch_with_a_new_number_replaces_it(world, numbered):
    response = api(world.secretary_a).patch(
        f"/api/v1/people/{numbered.pk}/", {"phone": "13911112222"}, format="json"
    )
    assert response.status_code == 200
    numbered.refresh_from_db()
    assert numbered.phone == "13911112222"


def test_api_duplicate_id_number_is_400(world, numbered):
    response = api(world.org_officer).patch(
        f"/api/v1/people/{world.member_b.pk}/", {"id_number": ID}, format="json"
    )
    assert response.status_code == 400
    assert "已登记" in str(response.json())


def test_api_search_by_full_phone(world, numbered):
    listed = api(world.secretary_a).get("/api/v1/people/", {"q": PHONE}).json()["results"]
    assert [row["id"] for row in listed] == [numbered.pk]


# --- export -------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "full"), [(k, v) for k, v in ROLES.items() if k != "member_user"])
def test_export_by_role(world, as_user, numbered, who, full):
    response = as_user(getattr(world, who)).get(reverse("org:person_export"))
    rows = {r[0]: r for r in sheet_rows(streamed(response))[1:]}
    if who == "secretary_b":
        assert numbered.name not in rows
        return
    shown = rows[numbered.name][4:6]
    assert shown == ((ID, PHONE) if full else (MASKED_ID, MASKED_PHONE))


# --- rules --------------------------------------------------------------------------------


def test_replacement_value_keeps_the_stored_number_only_for_its_exact_mask():
    assert rules.replacement_value(MASKED_ID, ID, MASKED_ID) == ID
    assert rules.replacement_value(f" {MASKED_ID} ", ID, MASKED_ID) == ID
    assert rules.replacement_value("110101199001011234", ID, MASKED_ID) == "110101199001011234"
    assert rules.replacement_value("", ID, MASKED_ID) == ""  # cleared on purpose
    # nothing stored: a typed mask is just (invalid) input
    assert rules.replacement_value("", None, "") == ""
    assert rules.replacement_value("138****5678", "", "") == "138****5678"


@pytest.mark.parametrize(
    ("q", "kind"),
    [
        (ID, "id_number"),
        (ID[:17] + "x", "id_number"),
        (PHONE, "phone"),
        (PHONE[:10], "name"),
        ("赵党员", "name"),
        (ID[:17], "name"),
        ("23812345678", "name"),
    ],
)
def test_search_kind(q, kind):
    assert rules.search_kind(q) == kind
