"""Services and selectors of the surveys app: the rules enforced with the rule named, rights,
one ballot per link, anonymity by construction, results only from the minimum on."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections, models

from dangjian.core.audit import events_for
from dangjian.core.models import AuditEvent
from dangjian.surveys import selectors, services
from dangjian.surveys.models import (
    Survey,
    SurveyAnswer,
    SurveyBallot,
    SurveyKind,
    SurveyState,
    SurveyToken,
)
from tests.factories import make_person
from tests.harness import assert_num_queries

pytestmark = pytest.mark.django_db


def _create(world, today, **overrides):
    fields = {
        "actor": world.secretary_a,
        "organisation": world.branch_a,
        "kind": SurveyKind.MEMBER_RATING,
        "title": "党员民意测评",
        "opens_on": today,
        "closes_on": today + timedelta(days=7),
        "subjects": [world.member_a],
    }
    fields.update(overrides)
    return services.survey_create(**fields)


# --- survey_create ----------------------------------------------------------------------------


def test_create_member_rating_audited_with_default_minimum(world, today):
    survey = _create(world, today)
    assert survey.min_responses == 10  # rules.MIN_RESPONSES
    assert list(survey.subjects.all()) == [world.member_a]
    assert survey.state == SurveyState.OPEN
    (event,) = [e for e in events_for(survey) if e.action == "create"]
    assert event.changes["最少有效票数"][1] == 10


def test_create_minimum_from_settings(world, today, settings):
    settings.SURVEY_MIN_RESPONSES = 5
    assert _create(world, today).min_responses == 5


def test_create_refuses_minimum_below_the_floor(world, today):
    with pytest.raises(ValidationError) as exc:
        _create(world, today, min_responses=2)
    assert "不能少于3票" in exc.value.message_dict["min_responses"][0]
    assert _create(world, today, min_responses=3).min_responses == 3
    assert Survey.objects.count() == 1


def test_create_refuses_bad_period_and_subjects(world, today):
    with pytest.raises(ValidationError) as exc:
        _create(world, today, closes_on=today - timedelta(days=1), subjects=[])
    assert set(exc.value.message_dict) == {"closes_on", "subjects"}
    with pytest.raises(ValidationError) as exc:
        _create(world, today, kind=SurveyKind.BRANCH_SATISFACTION)
    assert "不选择党员" in exc.value.message_dict["subjects"][0]
    with pytest.raises(ValidationError) as exc:
        _create(world, today, kind="poll", subjects=[], title="  ")
    assert {"kind", "title"} <= set(exc.value.message_dict)
    assert not Survey.objects.exists()


def test_create_refuses_subjects_outside_the_subtree(world, today):
    with pytest.raises(ValidationError) as exc:
        _create(world, today, subjects=[world.member_a, world.member_b])
    assert "钱党员不是" in exc.value.message_dict["subjects"][0]
    # the general branch above covers branch_a's members
    survey = _create(world, today, actor=world.gb_secretary_a, organisation=world.gb_a)
    assert survey.organisation == world.gb_a


def test_create_refuses_subjects_who_are_not_members_on_the_roll(world, today):
    """党员民意测评 rates Party members (正式、预备党员 on the roll); the API takes any person
    id of the subtree, so the service says no to the masses and to people struck off."""
    masses = make_person(world.branch_a, name="孙群众", status="masses")
    applicant = make_person(world.branch_a, name="周申请人", status="applicant")
    left = make_person(world.branch_a, name="吴离册", is_active=False)
    for person in (masses, applicant, left):
        with pytest.raises(ValidationError) as exc:
            _create(world, today, subjects=[world.member_a, person])
        text = exc.value.message_dict["subjects"][0]
        assert "在册的正式党员或预备党员" in text and person.name in text
    probationary = make_person(world.branch_a, name="郑预备", status="probationary")
    assert _create(world, today, subjects=[probationary]).subjects.get() == probationary


def test_create_refuses_a_group_or_a_dissolved_organisation(world, today):
    with pytest.raises(ValidationError) as exc:
        _create(world, today, organisation=world.group_a, kind="branch_satisfaction", subjects=[])
    assert "党小组不单独组织测评" in exc.value.message_dict["organisation"][0]
    world.branch_a.dissolved_on = today
    world.branch_a.save()
    with pytest.raises(ValidationError) as exc:
        _create(world, today)
    assert "已撤销" in exc.value.message_dict["organisation"][0]
    assert not Survey.objects.exists()


def test_create_refused_out_of_scope(world, today):
    with pytest.raises(PermissionDenied) as exc:
        _create(world, today, actor=world.secretary_b)
    assert "不能组织该测评" in str(exc.value)
    with pytest.raises(PermissionDenied):
        _create(world, today, actor=world.member_user)
    _create(world, today, actor=world.org_officer)


# --- tokens_issue -----------------------------------------------------------------------------


def test_issue_batches_of_unique_links(world, rating):
    first = services.tokens_issue(actor=world.secretary_a, survey=rating, count=3)
    second = services.tokens_issue(actor=world.gb_secretary_a, survey=rating, count=2)
    assert {t.batch for t in first} == {1} and {t.batch for t in second} == {2}
    secrets = [t.token for t in first + second]
    assert len(set(secrets)) == 5 and all(len(s) == 16 for s in secrets)
    assert any(e.note == "发放测评链接第2批，共2个" for e in events_for(rating))
    # a batch of two links: no batch is counted on its own (see the test below)
    assert [(b.number, b.issued, b.used) for b in selectors.batches(rating)] == [
        (1, 3, None),
        (2, 2, None),
    ]


def test_batches_counted_separately_only_when_none_is_small(world, rating, issue, cast):
    """A batch of one link handed to one person would say whether that person answered
    (and, next to a result that moves, how); the total less the other batches would too.
    So per-batch counts are given only while every batch holds at least the floor (3)."""
    first = issue(rating, 3)
    cast(first[0], rating)
    assert [(b.issued, b.used) for b in selectors.batches(rating)] == [(3, 1)]
    (single,) = issue(rating, 1)
    cast(single, rating)
    assert [(b.issued, b.used) for b in selectors.batches(rating)] == [(3, None), (1, None)]
    assert selectors.result(rating).responses == 2  # the total is still told
    issue(rating, 2)  # a third batch does not bring the counts back
    assert all(b.used is None for b in selectors.batches(rating))


def test_batches_floor_from_settings(world, rating, issue, settings):
    issue(rating, 3)
    settings.SURVEY_MIN_RESPONSES_FLOOR = 4
    assert selectors.batches(rating)[0].used is None
    settings.SURVEY_MIN_RESPONSES_FLOOR = 3
    assert selectors.batches(rating)[0].used == 0


@pytest.mark.parametrize("count", [0, services.MAX_TOKENS_PER_BATCH + 1])
def test_issue_count_bounds(world, rating, count):
    with pytest.raises(ValidationError) as exc:
        services.tokens_issue(actor=world.secretary_a, survey=rating, count=count)
    assert "每批发放1～500个链接" in exc.value.message_dict["count"][0]
    assert not SurveyToken.objects.exists()


def test_issue_500_ok(world, rating):
    assert len(services.tokens_issue(actor=world.secretary_a, survey=rating, count=500)) == 500


def test_issue_refused_out_of_scope_and_when_closed(world, rating):
    with pytest.raises(PermissionDenied):
        services.tokens_issue(actor=world.secretary_b, survey=rating, count=1)
    services.survey_close(actor=world.secretary_a, survey=rating)
    with pytest.raises(ValidationError) as exc:
        services.tokens_issue(actor=world.secretary_a, survey=rating, count=1)
    assert "测评已结束" in exc.value.message_dict["count"][0]


# --- ballot_cast ------------------------------------------------------------------------------


def test_cast_marks_the_link_used_and_writes_no_audit(world, rating, issue):
    (token,) = issue(rating, 1)
    events = AuditEvent.objects.count()
    services.ballot_cast(
        token=token,
        ratings={world.member_a.pk: "excellent", world.secretary_a.person_id: "basic"},
        comment="  工作认真负责  ",
    )
    assert SurveyToken.objects.get(token=token).used
    ballot = SurveyBallot.objects.get()
    assert ballot.comment == "工作认真负责" and ballot.survey == rating
    assert sorted(ballot.answers.values_list("rating", flat=True)) == ["basic", "excellent"]
    assert AuditEvent.objects.count() == events  # an event would carry a time


def test_a_link_cannot_be_used_twice(world, rating, issue, cast):
    (token,) = issue(rating, 1)
    cast(token, rating)
    with pytest.raises(ValidationError) as exc:
        cast(token, rating, value="incompetent")
    assert exc.value.message_dict["token"] == [services.TOKEN_USED]
    assert SurveyBallot.objects.count() == 1
    assert SurveyAnswer.objects.filter(rating="incompetent").count() == 0


def test_unknown_token_refused(world, rating):
    # malformed secrets are refused before any query (PostgreSQL rejects a NUL byte)
    for token in ("nope", "", None, "a\x00b", "x" * 65, "a/b", 42):
        with pytest.raises(ValidationError) as exc:
            services.ballot_cast(token=token, ratings={world.member_a.pk: "excellent"})
        assert exc.value.message_dict["token"] == [services.TOKEN_INVALID]


def _refused(token, field, text, **kwargs):
    with pytest.raises(ValidationError) as exc:
        services.ballot_cast(token=token, **kwargs)
    assert any(text in m for m in exc.value.message_dict[field]), exc.value.message_dict
    # nothing written, and the link is still good
    assert not SurveyBallot.objects.exists()
    assert not SurveyToken.objects.get(token=token).used


def test_cast_outside_the_period(world, rating, issue, today):
    (token,) = issue(rating, 1)
    full = {world.member_a.pk: "excellent", world.secretary_a.person_id: "excellent"}
    _refused(token, "token", "尚未开始", ratings=full, today=rating.opens_on - timedelta(days=1))
    _refused(token, "token", "已经结束", ratings=full, today=rating.closes_on + timedelta(days=1))
    services.ballot_cast(token=token, ratings=full, today=rating.closes_on)  # last day: fine


def test_cast_on_a_closed_survey(world, rating, issue):
    (token,) = issue(rating, 1)
    services.survey_close(actor=world.secretary_a, survey=rating)
    _refused(token, "token", "已经结束", ratings={world.member_a.pk: "excellent"})


def test_cast_missing_or_invalid_ratings_and_long_comment(world, rating, issue):
    (token,) = issue(rating, 1)
    a, s = world.member_a.pk, world.secretary_a.person_id
    _refused(token, "ratings", "还有1位测评对象未评价", ratings={a: "excellent"})
    _refused(token, "ratings", "评价选项无效", ratings={a: "excellent", s: "satisfied"})
    _refused(token, "ratings", "评价选项无效", ratings={a: "excellent", s: "great"})
    _refused(
        token,
        "ratings",
        "作出评价",
        ratings={a: "excellent", s: "basic", world.member_b.pk: "basic"},
    )
    _refused(
        token, "comment", "不能超过500字", ratings={a: "basic", s: "basic"}, comment="字" * 501
    )
    services.ballot_cast(token=token, ratings={a: "basic", s: "basic"}, comment="字" * 500)


def test_cast_satisfaction(world, satisfaction, issue):
    (token,) = issue(satisfaction, 1)
    _refused(token, "ratings", "满意程度", ratings={})
    _refused(token, "ratings", "评价选项无效", ratings={None: "excellent"})
    services.ballot_cast(token=token, ratings={None: "fairly_satisfied"})
    assert SurveyAnswer.objects.get().subject is None


# --- survey_close -----------------------------------------------------------------------------


def test_close_once_in_scope(world, rating):
    with pytest.raises(PermissionDenied):
        services.survey_close(actor=world.secretary_b, survey=rating)
    closed = services.survey_close(actor=world.secretary_a, survey=rating)
    assert closed.state == SurveyState.CLOSED
    assert any(e.action == "status" for e in events_for(rating))
    with pytest.raises(ValidationError) as exc:
        services.survey_close(actor=world.secretary_a, survey=rating)
    assert "已经结束" in exc.value.message_dict["state"][0]


# --- anonymity by construction ----------------------------------------------------------------


def test_no_column_links_a_ballot_to_its_link_or_author():
    """A ballot holds its survey and the comment — nothing that could identify the link
    (token), the account, the address, the day or the time it came from."""
    columns = {f.name: f for f in SurveyBallot._meta.concrete_fields}
    assert set(columns) == {"id", "survey", "comment"}
    for f in SurveyBallot._meta.concrete_fields + SurveyAnswer._meta.concrete_fields:
        assert not isinstance(
            f, models.DateTimeField | models.TimeField | models.GenericIPAddressField
        )
        if f.is_relation:
            assert f.related_model._meta.label in {
                "surveys.Survey",
                "surveys.SurveyBallot",
                "org.Person",
            }
        for word in ("token", "user", "ip", "address", "time", "agent", "session"):
            assert word not in f.name.lower()
    answer_columns = {f.name for f in SurveyAnswer._meta.concrete_fields}
    assert answer_columns == {"id", "ballot", "subject", "rating"}
    # and the link records only whether it was used: not when, not which ballot
    token_columns = {f.name for f in SurveyToken._meta.concrete_fields}
    assert token_columns == {"id", "survey", "token", "batch", "used"}


# --- results ------------------------------------------------------------------------------------


def test_results_hidden_at_nine_of_ten_shown_at_ten(world, today, cast):
    survey = _create(world, today, min_responses=10, subjects=[world.member_a])
    tokens = [
        t.token for t in services.tokens_issue(actor=world.secretary_a, survey=survey, count=12)
    ]
    for token in tokens[:9]:
        cast(token, survey, value="competent", comment="好")
    hidden = selectors.result(survey)
    assert (hidden.responses, hidden.minimum, hidden.issued, hidden.visible) == (9, 10, 12, False)
    assert hidden.subjects == {} and hidden.satisfaction_rate is None
    assert selectors.result_rows(survey, hidden) == []
    cast(tokens[9], survey, value="excellent")
    shown = selectors.result(survey)
    assert shown.visible and shown.responses == 10
    sub = shown.subjects[world.member_a.pk]
    assert sub.distribution == {"competent": 9, "excellent": 1} and sub.count == 10
    assert str(sub.score) == "86.00"
    (row,) = selectors.result_rows(survey, shown)
    assert row.counts == [
        ("excellent", "优秀", 1),
        ("competent", "称职", 9),
        ("basic", "基本称职", 0),
        ("incompetent", "不称职", 0),
    ]
    assert row.grade == "称职"
    assert sorted(selectors.comments(survey)) == ["好"] * 9


def test_satisfaction_result(world, satisfaction, issue, cast):
    tokens = issue(satisfaction, 4)
    for token, value in zip(
        tokens, ["satisfied", "satisfied", "fairly_satisfied", "dissatisfied"], strict=True
    ):
        cast(token, satisfaction, value=value)
    res = selectors.result(satisfaction)
    assert res.visible and str(res.satisfaction_rate) == "75.00"
    (row,) = selectors.result_rows(satisfaction, res)
    assert row.subject_id is None and row.name == "信息工程学院学生支部"
    assert str(row.rate) == "75.00" and str(row.score) == "67.50"
    assert selectors.batches(satisfaction)[0].used == 4


def test_results_in_a_fixed_number_of_queries(world, today, cast):
    def make(n):
        surveys = []
        for i in range(n):
            s = _create(world, today, min_responses=3, title=f"测评{i}")
            for token in [
                t.token for t in services.tokens_issue(actor=world.secretary_a, survey=s, count=3)
            ]:
                cast(token, s)
            surveys.append(s)
        return surveys

    few, many = make(2), make(6)
    with assert_num_queries(3):
        selectors.results(few)
    with assert_num_queries(3):
        out = selectors.results(many)
    assert all(r.visible for r in out.values())
    assert selectors.results([]) == {}
    # progress pages need the counts only: no distributions, one query fewer
    with assert_num_queries(2):
        out = selectors.results(many, counts_only=True)
    assert all(r.visible and r.responses == 3 and not r.subjects for r in out.values())


# --- concurrency: a double submit is serialised by the row lock -------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every write transaction (IMMEDIATE); the row lock is PostgreSQL's",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_double_submit_serialised(world, today):
    survey = _create(world, today, subjects=[world.member_a], min_responses=3)
    (token,) = [
        t.token for t in services.tokens_issue(actor=world.secretary_a, survey=survey, count=1)
    ]
    ratings = {world.member_a.pk: "excellent"}
    first_cast, release, outcome = threading.Event(), threading.Event(), {}

    def first():
        from django.db import transaction

        try:
            with transaction.atomic():
                services.ballot_cast(token=token, ratings=ratings)
                first_cast.set()
                release.wait(10)  # hold the lock until the second submission waits on it
        finally:
            connections.close_all()

    def second():
        try:
            services.ballot_cast(token=token, ratings=ratings)
            outcome["second"] = "cast"
        except ValidationError as exc:
            outcome["second"] = exc.message_dict["token"][0]
        finally:
            connections.close_all()

    a = threading.Thread(target=first)
    a.start()
    assert first_cast.wait(10)
    b = threading.Thread(target=second)
    b.start()
    # Wait (bounded) until the second submission is blocked on the first one's lock.
    with connections["default"].cursor() as cursor:
        for _ in range(500):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                break
            threading.Event().wait(0.01)
        else:
            pytest.fail("the second submission never waited for the first one's lock")
    release.set()
    a.join(10)
    b.join(10)
    assert outcome["second"] == services.TOKEN_USED
    assert SurveyBallot.objects.count() == 1


def test_people_outside_are_not_subjects(world, rating):
    outsider = make_person(world.branch_b, name="外支部党员")
    assert outsider.pk not in set(rating.subjects.values_list("pk", flat=True))


def test_comments_do_not_come_in_the_order_they_were_cast(world, today, cast):
    """Ballots are stored in the order they arrive; the comments must not tell it."""
    survey = _create(world, today, min_responses=3)
    tokens = [
        t.token for t in services.tokens_issue(actor=world.secretary_a, survey=survey, count=12)
    ]
    for n, token in enumerate(tokens):
        cast(token, survey, comment=f"意见{n:02d}")
    in_order = [f"意见{n:02d}" for n in range(12)]
    orders = [selectors.comments(survey) for _ in range(5)]
    assert all(sorted(o) == in_order for o in orders)
    assert any(o != in_order for o in orders)
    assert any(o != list(reversed(in_order)) for o in orders)


# --- anonymity in the stored rows ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_stored_links_do_not_tell_the_order_they_were_used(world, today):
    """A plain SELECT, a COPY or a pg_dump of the links lists them in their physical order;
    the ballots come out in the order they were cast. Had the used links moved to the end
    of the table one by one (an UPDATE of the used row), the two lists would pair every
    ballot with its link. They keep the order of issue and, on PostgreSQL, all carry the
    same transaction id (xmin), so neither pairs a link with a ballot."""
    survey = _create(world, today, min_responses=3)
    links = services.tokens_issue(actor=world.secretary_a, survey=survey, count=20)
    used_in_order = [links[i] for i in (13, 2, 17, 8, 0, 11)]
    for link in used_in_order:
        services.ballot_cast(token=link.token, ratings={world.member_a.pk: "competent"})
    table = SurveyToken._meta.db_table
    assert set(
        SurveyToken.objects.filter(survey=survey, used=True).values_list("pk", flat=True)
    ) == {link.pk for link in used_in_order}
    if connection.vendor != "postgresql":
        return  # SQLite keeps a table's rows in rowid (= id) order, whatever is updated
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, xmin::text FROM {table} WHERE survey_id = %s ORDER BY ctid", [survey.pk]
        )
        stored = cursor.fetchall()
    assert [pk for pk, _xmin in stored] == sorted(link.pk for link in links)
    assert len({xmin for _pk, xmin in stored}) == 1
