from tests.org.test_api import BAD_INPUTS, client_for, API, secretary_position
import json


def test_peek(world):
    refs = {
        "branch_a": world.branch_a.pk,
        "group_a": world.group_a.pk,
        "member_a": world.member_a.pk,
        "position": secretary_position(world).pk,
    }
    for case, (method, url, payload) in BAD_INPUTS.items():
        payload = {
            k: int(v.format(**refs)) if isinstance(v, str) and v[:1] == "{" else v
            for k, v in payload.items()
        }
        r = getattr(client_for(world.secretary_a), method)(
            f"{API}/{url.format(**refs)}", payload, format="json"
        )
        print(case, r.status_code, json.dumps(r.json(), ensure_ascii=False))
    c = client_for(world.secretary_a)
    for q in ["organisations/?parent=abc&kind=x", "people/?party_status=zz"]:
        print(q, c.get(f"{API}/{q}").json())
    print(c.post(f"{API}/organisations/", "{bad", content_type="application/json").json())
    print(
        client_for(world.member_user)
        .patch(f"{API}/people/{world.member_a.pk}/", {}, format="json")
        .json()
    )
    print(client_for(None).get(f"{API}/people/").json())
    print(client_for(world.secretary_b).get(f"{API}/people/{world.member_a.pk}/").json())
