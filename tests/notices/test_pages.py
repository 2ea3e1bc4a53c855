"""Pages of notices by role, bad input, the upload policy, the not-read list and query counts."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangjian.notices import services
from dangjian.notices.models import Notice, NoticeAttachment, NoticeRead, NoticeState
from tests.factories import make_person, make_user
from tests.harness import assert_max_queries, assert_role_matrix, capture_queries
from tests.notices.conftest import draft, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def branch_notice(world):
    return published(world, actor=world.secretary_a, org=world.branch_a, receipt_required=True)


def _url(name, *args):
    return reverse(f"notices:{name}", args=args)


def docx() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile("安排.docx", buffer.getvalue())


def test_officer_pages_by_role(as_role, world, branch_notice):
    managers = {"officer": 200, "gb_officer": 200, "org_officer": 200, "anonymous": 302}
    assert_role_matrix(as_role, _url("notice_list"), {**managers, "member": 403})
    assert_role_matrix(
        as_role,
        _url("notice_detail", branch_notice.pk),
        # A recipient who does not manage it is sent to the reading page.
        {**managers, "other_officer": 404, "member": 302},
    )
    for name in ("notice_unread", "notice_unread_export"):
        assert_role_matrix(
            as_role,
            _url(name, branch_notice.pk),
            {**managers, "other_officer": 404, "member": 403},
        )
    assert_role_matrix(as_role, _url("notice_create"), {"officer": 200, "member": 403})
    assert_role_matrix(
        as_role,
        _url("notice_withdraw", branch_notice.pk),
        {"officer": 302, "other_officer": 404, "member": 403, "anonymous": 302},
        method="post",
    )
    pending = draft(world, actor=world.secretary_a, org=world.branch_a)
    assert_role_matrix(
        as_role,
        _url("notice_edit", pending.pk),
        {"officer": 200, "other_officer": 404, "member": 403, "anonymous": 302},
    )
    assert_role_matrix(
        as_role,
        _url("notice_publish", pending.pk),
        {"officer": 302, "other_officer": 404, "member": 403, "anonymous": 302},
        method="post",
    )
    assert_role_matrix(
        as_role,
        _url("attachment_add", pending.pk),
        {"officer": 200, "other_officer": 404, "member": 403, "anonymous": 302},
    )


def test_everyones_pages_by_role(as_role, world, branch_notice):
    everyone = {"officer": 200, "other_officer": 200, "member": 200, "anonymous": 302}
    assert_role_matrix(as_role, _url("mine"), everyone)
    assert_role_matrix(as_role, _url("centre"), {**everyone, "org_officer": 200})
    assert_role_matrix(as_role, _url("bell"), everyone)
    assert_role_matrix(as_role, _url("digest"), everyone)
    assert_role_matrix(
        as_role,
        _url("read", branch_notice.pk),
        {"officer": 200, "member": 200, "other_officer": 404, "anonymous": 302},
    )
    assert_role_matrix(
        as_role,
        _url("confirm", branch_notice.pk),
        {"member": 302, "other_officer": 404, "anonymous": 302},
        method="post",
    )
    assert_role_matrix(as_role, _url("read_all"), {"member": 302, "anonymous": 302}, "post")


def test_each_officer_lists_their_own_subtree(as_role, world, branch_notice):
    other = published(world, actor=world.secretary_b, org=world.branch_b, title="学生支部通知")
    page = as_role("officer").get(_url("notice_list")).content.decode()
    assert branch_notice.title in page and other.title not in page
    page = as_role("other_officer").get(_url("notice_list")).content.decode()
    assert other.title in page and branch_notice.title not in page
    page = as_role("officer").get(_url("notice_list"), {"state": "draft"}).content.decode()
    assert branch_notice.title not in page


def test_the_form_keeps_what_was_typed_and_names_the_rule(as_role, world):
    client = as_role("officer")
    data = {
        "organisation": world.branch_a.pk,
        "audience": "all",
        "title": "关于缴纳党费的通知",
        "body": "请按时缴纳。",
        "deadline": "2020-01-01",
    }
    response = client.post(_url("notice_create"), data)
    page = response.content.decode()
    assert response.status_code == 200 and "关于缴纳党费的通知" in page
    assert "截止日期不能早于今天" in page
    data["organisation"] = world.branch_b.pk  # out of scope
    data["deadline"] = ""
    response = client.post(_url("notice_create"), data)
    assert "请选择您管辖范围内的党委、党总支或党支部" in response.content.decode()
    data["organisation"] = world.branch_a.pk
    response = client.post(_url("notice_create"), data)
    created = Notice.objects.get()
    assert response["Location"] == _url("notice_detail", created.pk)
    assert created.state == NoticeState.DRAFT


def test_body_is_plain_text_with_line_breaks(as_role, world):
    notice = published(
        world, actor=world.secretary_a, org=world.branch_a, body="第一段<script>x</script>\n第二段"
    )
    page = as_role("member").get(_url("read", notice.pk)).content.decode()
    assert "&lt;script&gt;" in page and "<script>x" not in page
    assert "<br>第二段" in page or "<p>第二段</p>" in page


def test_publish_refused_with_the_rule_named(as_role, world, branch_notice):
    response = as_role("officer").post(_url("notice_publish", branch_notice.pk), follow=True)
    assert "只有草稿可以发布" in response.content.decode()


def test_attachments_follow_the_upload_policy(as_role, world, settings):
    settings.NOTICE_MAX_ATTACHMENTS = 1
    pending = draft(world, actor=world.secretary_a, org=world.branch_a)
    client = as_role("officer")
    fake = SimpleUploadedFile("通知.pdf", b"<html><script>alert(1)</script></html>")
    response = client.post(_url("attachment_add", pending.pk), {"file": fake})
    assert response.status_code == 200 and not NoticeAttachment.objects.exists()
    assert "errorlist" in response.content.decode() or "invalid-feedback" in (
        response.content.decode()
    )
    response = client.post(_url("attachment_add", pending.pk), {"file": docx()})
    assert response.status_code == 302 and NoticeAttachment.objects.count() == 1
    response = client.post(_url("attachment_add", pending.pk), {"file": docx()})
    assert "每条通知最多上传1个附件" in response.content.decode()
    attachment = NoticeAttachment.objects.get()
    # The file is served to whoever sees the notice, and only once it is published to them.
    assert as_role("member").get(attachment.file.url).status_code == 404
    services.notice_publish(actor=world.secretary_a, notice=pending)
    assert as_role("member").get(attachment.file.url).status_code == 200
    assert as_role("other_officer").get(attachment.file.url).status_code == 404
    # No more attachments once published.
    client = as_role("officer")
    response = client.post(_url("attachment_add", pending.pk), {"file": docx()}, follow=True)
    assert "不能再增删附件" in response.content.decode()


def test_reading_records_the_read_and_the_receipt(as_role, world, branch_notice):
    client = as_role("member")
    page = client.get(_url("read", branch_notice.pk)).content.decode()
    assert "已阅（回执）" in page
    read = NoticeRead.objects.get(person=world.member_a)
    assert read.confirmed_at is None
    client.post(_url("confirm", branch_notice.pk))
    read.refresh_from_db()
    assert read.confirmed_at is not None
    # The officer reading the statistics is not a reader of someone else's notice.
    as_role("gb_officer").get(_url("notice_detail", branch_notice.pk))
    assert NoticeRead.objects.count() == 1


def test_not_read_list_and_export(as_role, world, branch_notice):
    services.notice_open(user=world.member_user, notice=branch_notice)
    client = as_role("officer")
    page = client.get(_url("notice_unread", branch_notice.pk)).content.decode()
    assert "张书记" in page and "赵党员" not in page
    response = client.get(_url("notice_unread_export", branch_notice.pk))
    assert response.status_code == 200
    detail = client.get(_url("notice_detail", branch_notice.pk)).content.decode()
    assert "已确认回执 0 人" in detail and "未阅人员" in detail


def test_not_read_list_queries_do_not_grow_with_people(as_role, world, branch_notice):
    client = as_role("officer")
    url = _url("notice_unread", branch_notice.pk)
    client.get(url)
    with capture_queries() as few:
        client.get(url)
    for n in range(10):
        make_person(world.branch_a, name=f"新人{n}")
    with assert_max_queries(few.count):
        assert "新人9" in client.get(url).content.decode()


def test_my_notices_does_not_scale_with_notices_read(as_role, world):
    client = as_role("member")
    url = _url("mine")
    first = published(world)
    services.notice_open(user=world.member_user, notice=first)
    client.get(url)
    with capture_queries() as few:
        client.get(url)
    for n in range(8):
        notice = published(world, title=f"通知{n}")
        services.notice_open(user=world.member_user, notice=notice)
    with assert_max_queries(few.count):
        page = client.get(url).content.decode()
    assert "通知7" in page
    page = client.get(url, {"unread": "true"}).content.decode()
    assert "通知7" not in page


def test_detail_and_centre_query_counts(as_role, world, branch_notice):
    client = as_role("officer")
    with assert_max_queries(25):
        assert client.get(_url("notice_detail", branch_notice.pk)).status_code == 200
    member = as_role("member")
    member.get(_url("centre"))
    with capture_queries() as few:
        member.get(_url("centre"))
    for n in range(5):
        published(world, title=f"更多通知{n}")
    with assert_max_queries(few.count):
        member.get(_url("centre"))


def test_a_user_without_a_person_sees_empty_pages(as_user, world):
    client = as_user(world.org_officer)
    assert "未关联人员信息" in client.get(_url("centre")).content.decode()
    assert client.get(_url("mine")).status_code == 200
    assert client.get(_url("bell")).content.decode().strip() == ""
    assert make_user(None)  # nothing else to check: no person, no notices


def test_draft_attachments_are_removed_and_drafts_deleted(as_role, world):
    pending = draft(world, actor=world.secretary_a, org=world.branch_a)
    attachment = services.attachment_add(actor=world.secretary_a, notice=pending, file=docx())
    assert_role_matrix(
        as_role,
        _url("attachment_delete", attachment.pk),
        {"officer": 302, "other_officer": 404, "member": 403, "anonymous": 302},
        method="post",
    )
    as_role("officer").post(_url("attachment_delete", attachment.pk))
    assert not NoticeAttachment.objects.exists()
    response = as_role("officer").post(_url("notice_delete", pending.pk))
    assert response["Location"] == _url("notice_list") and not Notice.objects.exists()


def test_a_published_notice_keeps_its_attachments_and_is_not_deleted(as_role, world):
    pending = draft(world, actor=world.secretary_a, org=world.branch_a)
    attachment = services.attachment_add(actor=world.secretary_a, notice=pending, file=docx())
    services.notice_publish(actor=world.secretary_a, notice=pending)
    client = as_role("officer")
    page = client.post(_url("attachment_delete", attachment.pk), follow=True).content.decode()
    assert "不能再增删附件" in page and NoticeAttachment.objects.exists()
    page = client.post(_url("notice_delete", pending.pk), follow=True).content.decode()
    assert "不能删除" in page and Notice.objects.exists()
