"""The complete member record: new fields on forms, API, import/export; standing on the roll
(停止党籍, 出党, 死亡, 转出, 恢复党籍) as a service with rules, history, counts and scoping."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from dangjian.core.models import User
from dangjian.org import counts, excel, rules, services
from dangjian.org.models import ImportJob, LeaveCause, Person, StandingChange
from tests.factories import make_person
from tests.harness import assert_num_queries, assert_role_matrix

TODAY = date(2026, 6, 15)


# --- rules --------------------------------------------------------------------------------


def _leave(status="full", standing="on_roll", cause="suspended", on=TODAY, joined=None):
    return rules.leave_error(
        party_status=status, standing=standing, cause=cause, on=on, today=TODAY, joined_on=joined
    )


@pytest.mark.parametrize("cause", rules.LEAVING_CAUSES)
def test_every_cause_applies_to_full_and_probationary_members(cause):
    assert _leave("full", cause=cause) is None
    assert _leave("probationary", cause=cause) is None


@pytest.mark.parametrize(
    "cause", ["suspended", "removed", "expelled", "withdrawn", "transferred_out"]
)
def test_membership_causes_refused_for_non_members(cause):
    error = _leave("activist", cause=cause)
    assert error and "只适用于正式党员和预备党员" in error
    if cause in ("removed", "withdrawn"):
        assert "《中国共产党章程》第九条" in error
    else:
        assert "本系统规则" in error


def test_death_is_recorded_for_anyone_on_the_roll():
    assert _leave("masses", cause="deceased") is None


def test_date_boundaries():
    assert _leave(on=TODAY) is None
    assert _leave(on=TODAY + timedelta(days=1)) == "日期不能晚于今天"
    assert _leave(on=date(2020, 7, 1), joined=date(2020, 7, 1)) is None
    assert "不能早于入党日期" in _leave(on=date(2020, 6, 30), joined=date(2020, 7, 1))


def test_after_suspension_only_ending_causes():
    for cause in rules.AFTER_SUSPENSION:
        assert _leave(standing="suspended", cause=cause) is None
    assert "已停止党籍" in _leave(standing="suspended", cause="transferred_out")
    assert "已停止党籍" in _leave(standing="suspended", cause="suspended")


@pytest.mark.parametrize(
    "standing", ["removed", "expelled", "withdrawn", "deceased", "transferred_out"]
)
def test_who_has_left_cannot_leave_again(standing):
    assert "不在册" in _leave(standing=standing, cause="deceased")


def test_unknown_cause():
    assert "应为" in _leave(cause="retired")


def test_restore_only_a_suspension():
    ok = rules.restore_error(standing="suspended", on=TODAY, left_on=TODAY, today=TODAY)
    assert ok is None
    assert "只有停止党籍" in rules.restore_error(
        standing="removed", on=TODAY, left_on=None, today=TODAY
    )
    assert "不能早于" in rules.restore_error(
        standing="suspended", on=TODAY - timedelta(days=1), left_on=TODAY, today=TODAY
    )
    assert "不能晚于" in rules.restore_error(
        standing="suspended", on=TODAY + timedelta(days=1), left_on=None, today=TODAY
    )


def test_relation_elsewhere_names_where():
    assert rules.relation_error(True, "") is None
    assert rules.relation_error(False, "某大学党委") is None
    assert "请填写组织关系所在单位" in rules.relation_error(False, "  ")


def test_register_only_through_restoration():
    assert rules.register_error(True, "on_roll") is None
    assert rules.register_error(False, "deceased") is None
    assert "恢复党籍" in rules.register_error(True, "suspended")


def test_native_place_mask():
    assert rules.mask_native_place("福建省福州市") == "福建省***"
    assert rules.mask_native_place("上海市") == "上海市"
    assert rules.mask_native_place("广西壮族自治区南宁市") == "广西壮族自治区***"
    assert rules.mask_native_place("") == ""


@pytest.mark.parametrize(
    "birth,band",
    [
        (date(2001, 12, 31), "le25"),  # 25 on the cut-off day itself
        (date(2000, 12, 31), "26_30"),  # turns 26 on the cut-off day
        (date(2001, 1, 1), "le25"),  # 25 until tomorrow
        (date(1996, 1, 1), "26_30"),  # 30
        (date(1995, 12, 31), "31_35"),  # 31 on the day
        (date(1966, 1, 1), "56_60"),
        (date(1965, 12, 31), "61_70"),
        (date(1956, 1, 1), "61_70"),  # 70
        (date(1955, 12, 31), "ge71"),  # 71 on the day
    ],
)
def test_age_band_edges_at_the_cut_off(birth, band):
    on = date(2026, 12, 31)
    assert rules.age_band(rules.age_on(birth, on)) == band
    after, up_to = rules.birth_range(band, on)
    assert (after is None or birth > after) and (up_to is None or birth <= up_to)
    # and no other band's range holds it
    others = [key for key, _lo, _hi in rules.AGE_BANDS if key != band]
    for other in others:
        a, u = rules.birth_range(other, on)
        assert not ((a is None or birth > a) and (u is None or birth <= u))


# --- the service ------------------------------------------------------------------------


@pytest.mark.django_db
def test_leave_takes_off_the_roll_keeps_history_and_counts(world):
    person = world.member_a
    user = world.member_user
    before = counts.subtree_total(world.branch_a)
    on = timezone.localdate()
    services.person_leave(
        actor=world.secretary_a, person=person, cause=LeaveCause.SUSPENDED, on=on, reason="失联"
    )
    person.refresh_from_db()
    assert (person.standing, person.left_on, person.is_active) == ("suspended", on, False)
    assert person.party_status == "full"  # kept: the statistics read it by standing
    change = StandingChange.objects.get(person=person)
    assert change.organisation == world.branch_a and change.recorded_by == world.secretary_a
    assert counts.subtree_total(world.branch_a) == before - 1
    assert counts.stored() == counts.expected()  # `dangjian recount` would change nothing
    assert not User.objects.get(pk=user.pk).is_active
    # 恢复党籍
    services.person_restore(actor=world.secretary_a, person=person, on=on, reason="批准恢复")
    person.refresh_from_db()
    assert (person.standing, person.left_on, person.is_active) == ("on_roll", None, True)
    assert counts.subtree_total(world.branch_a) == before
    assert counts.stored() == counts.expected()
    causes = set(person.standing_changes.values_list("cause", flat=True))
    assert causes == {"restored", "suspended"}


@pytest.mark.django_db
def test_leave_refused_with_rule_and_out_of_scope(world):
    activist = make_person(world.branch_a, status="activist")
    with pytest.raises(ValidationError) as exc:
        services.person_leave(
            actor=world.secretary_a,
            person=activist,
            cause="withdrawn",
            on=timezone.localdate(),
            reason="本人申请",
        )
    assert "第九条" in str(exc.value)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.person_leave(
            actor=world.secretary_b,
            person=world.member_a,
            cause="deceased",
            on=timezone.localdate(),
            reason="病故",
        )
    with pytest.raises(ValidationError):
        services.person_leave(
            actor=world.secretary_a,
            person=world.member_a,
            cause="deceased",
            on=timezone.localdate(),
            reason="  ",
        )
    assert not StandingChange.objects.exists()


@pytest.mark.django_db
def test_arrival_recorded(world):
    change = services.person_record_arrival(
        actor=world.secretary_a, person=world.member_a, on=timezone.localdate(), reason="自外校转入"
    )
    assert change.cause == "transferred_in" and change.organisation == world.branch_a


# --- pages --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["org:person_leave", "org:person_restore"])
def test_standing_pages_by_role(world, as_role, name):
    assert_role_matrix(
        as_role,
        reverse(name, args=[world.member_a.pk]),
        {"officer": 200, "other_officer": 404, "member": 403, "anonymous": 302},
    )


@pytest.mark.django_db
def test_leave_page_refuses_with_rule_and_keeps_input(world, as_user):
    activist = make_person(world.branch_a, status="activist", name="孙积极")
    client = as_user(world.secretary_a)
    url = reverse("org:person_leave", args=[activist.pk])
    response = client.post(
        url, {"cause": "expelled", "on": timezone.localdate().isoformat(), "reason": "测试原因"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "只适用于正式党员和预备党员" in html and "测试原因" in html
    response = client.post(
        reverse("org:person_leave", args=[world.member_a.pk]),
        {"cause": "deceased", "on": timezone.localdate().isoformat(), "reason": "病故"},
    )
    assert response.status_code == 302
    html = client.get(reverse("org:person_detail", args=[world.member_a.pk])).content.decode()
    assert "党籍变动历史" in html and "病故" in html and "死亡" in html


@pytest.mark.django_db
def test_person_detail_queries_with_history(world, as_user):
    for cause in ("suspended",):
        services.person_leave(
            actor=None, person=world.member_a, cause=cause, on=timezone.localdate(), reason="x"
        )
    services.person_restore(actor=None, person=world.member_a, on=timezone.localdate(), reason="y")
    client = as_user(world.secretary_a)
    url = reverse("org:person_detail", args=[world.member_a.pk])
    client.get(url)
    with assert_num_queries(10):
        client.get(url)


@pytest.mark.django_db
def test_person_form_new_fields_and_relation_elsewhere(world, as_user):
    client = as_user(world.secretary_a)
    url = reverse("org:person_edit", args=[world.member_a.pk])
    data = {
        "name": "赵党员",
        "gender": "M",
        "ethnicity": "汉族",
        "birth_date": "1990-01-01",
        "category": "staff",
        "primary_org": world.branch_a.pk,
        "is_active": "on",
        "education": "postgraduate",
        "degree": "doctor",
        "professional_title": "副教授",
        "title_level": "associate",
        "post": "系主任",
        "native_place": "福建省福州市",
        "relation_held_here": "False",
        "relation_held_at": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "请填写组织关系所在单位" in response.content.decode()
    assert "副教授" in response.content.decode()
    data["relation_held_at"] = "某大学党委"
    assert client.post(url, data).status_code == 302
    person = Person.objects.get(pk=world.member_a.pk)
    assert (person.education, person.degree, person.title_level) == (
        "postgraduate",
        "doctor",
        "associate",
    )
    assert person.relation_display == "外单位：某大学党委"


# --- API ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_leave_by_role_and_bad_input(world, api_as_role):
    url = f"/api/v1/people/{world.member_a.pk}/leave/"
    payload = {"cause": "deceased", "on": timezone.localdate().isoformat(), "reason": "病故"}
    assert api_as_role("anonymous").post(url, payload, format="json").status_code in (401, 403)
    assert api_as_role("member").post(url, payload, format="json").status_code in (403, 404)
    assert api_as_role("other_officer").post(url, payload, format="json").status_code == 404
    bad = api_as_role("officer").post(url, {**payload, "cause": "retired"}, format="json")
    assert bad.status_code == 400 and "cause" in bad.json()
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    bad = api_as_role("officer").post(url, {**payload, "on": future}, format="json")
    assert bad.status_code == 400 and "不能晚于今天" in str(bad.json())
    ok = api_as_role("officer").post(url, payload, format="json")
    assert ok.status_code == 200 and ok.json()["standing"] == "deceased"
    again = api_as_role("officer").post(url, payload, format="json")
    assert again.status_code == 400 and "不在册" in str(again.json())
    restore = api_as_role("officer").post(
        f"/api/v1/people/{world.member_a.pk}/restore/",
        {"on": timezone.localdate().isoformat(), "reason": "x"},
        format="json",
    )
    assert restore.status_code == 400 and "只有停止党籍" in str(restore.json())
    relisted = api_as_role("officer").patch(
        f"/api/v1/people/{world.member_a.pk}/", {"is_active": True}, format="json"
    )
    assert relisted.status_code == 400 and "is_active" in relisted.json()


@pytest.mark.django_db
def test_api_person_carries_new_fields(world, api_as_role):
    response = api_as_role("officer").patch(
        f"/api/v1/people/{world.member_a.pk}/",
        {"education": "university", "native_place": "福建省", "relation_held_here": False},
        format="json",
    )
    assert response.status_code == 400 and "relation_held_at" in response.json()
    response = api_as_role("officer").patch(
        f"/api/v1/people/{world.member_a.pk}/",
        {"education": "bogus"},
        format="json",
    )
    assert response.status_code == 400 and "education" in response.json()
    response = api_as_role("officer").patch(
        f"/api/v1/people/{world.member_a.pk}/", {"education": "university"}, format="json"
    )
    assert response.status_code == 200 and response.json()["education"] == "university"


# --- import / export -----------------------------------------------------------------------


def _upload(rows):
    wb = Workbook()
    ws = wb.active
    ws.title = excel.DATA_SHEET
    ws.append([c.header for c in excel.COLUMNS])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "people.xlsx"
    buffer.size = len(buffer.getvalue())
    return buffer


def _row(name, **values):
    row = dict.fromkeys(excel.FIELDS, "")
    row.update(
        name=name,
        gender="男",
        birth_date="1990-01-01",
        category="教职工",
        party_status="正式党员",
        primary_org="BA",
    )
    row.update(values)
    return [row[f] for f in excel.FIELDS]


@pytest.mark.django_db
def test_import_with_a_bad_new_column_imports_nothing(world):
    upload = _upload(
        [
            _row("导入甲", education="研究生", degree="博士", native_place="福建省福州市"),
            _row("导入乙", education="博士后"),
            _row("导入丙", relation_held_here="外单位"),
        ]
    )
    job = excel.import_job_create(user=world.secretary_a, uploaded_file=upload)
    job = excel.import_job_run(job=job)
    assert job.state == ImportJob.State.INVALID
    assert not Person.objects.filter(name__startswith="导入").exists()
    columns = {(e["row"], e["column"]) for e in job.errors}
    assert (3, "学历") in columns and (4, "组织关系所在单位") in columns


@pytest.mark.django_db
def test_import_and_export_carry_new_columns(world, as_user):
    upload = _upload(
        [
            _row(
                "导入甲",
                education="研究生",
                degree="博士",
                professional_title="教授",
                title_level="正高级",
                post="院长",
                native_place="福建省福州市",
                relation_held_here="外单位",
                relation_held_at="某大学党委",
            )
        ]
    )
    job = excel.import_job_run(
        job=excel.import_job_create(user=world.secretary_a, uploaded_file=upload)
    )
    assert job.state == ImportJob.State.DONE, job.errors
    person = Person.objects.get(name="导入甲")
    assert (person.education, person.degree, person.title_level) == (
        "postgraduate",
        "doctor",
        "senior",
    )
    assert not person.relation_held_here and person.relation_held_at == "某大学党委"
    response = as_user(world.secretary_a).get(reverse("org:person_export"))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    ws = load_workbook(io.BytesIO(content)).active
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "导入甲")
    values = dict(zip(header, row, strict=True))
    assert values["学历"] == "研究生" and values["组织关系所在"] == "外单位"
    assert values["籍贯"] == "福建省***"  # a branch secretary reads no full personal detail
