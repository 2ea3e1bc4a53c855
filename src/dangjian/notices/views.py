"""Pages of notices and the message centre. The officers' register of notices is declared once
(core.records); publishing, withdrawing, attachments, the read statistics, 我的通知 and the
message centre are written beside it."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from rest_framework import serializers

from dangjian.core import access
from dangjian.core.audit import events_for
from dangjian.core.export import PersonalDataAudit, xlsx_response, xlsx_table
from dangjian.core.pagination import request_page
from dangjian.core.records import Column, RecordType
from dangjian.core.scoping import get_for_user
from dangjian.core.web import (
    ActionView,
    ServiceFormView,
    editable_or_403,
    form_errors,
)
from dangjian.notices import filters, forms, selectors, services
from dangjian.notices.models import Notice, NoticeAttachment, NoticeState
from dangjian.notices.permissions import MANAGE_NOTICE


class NoticeRecordType(RecordType):
    """The officers' register lists the notices they manage (their subtrees' notices, drafts
    included); notices sent to them from above are under 我的通知."""

    def queryset(self, user: Any) -> Any:
        return Notice.objects.editable_by(user).select_related(*self.select_related)

    # development has a Notice (公示) too: the API's schema components need their own names.
    def serializer(self) -> type[serializers.ModelSerializer]:
        return type("OrgNoticeSerializer", (super().serializer(),), {})

    def input_serializer(self) -> type[serializers.ModelSerializer]:
        return type("OrgNoticeInputSerializer", (super().input_serializer(),), {})

    def form_view(self) -> type[ServiceFormView]:
        base = super().form_view()

        class NoticeFormView(base):  # type: ignore[misc, valid-type]
            def get_title(self) -> str:
                return "编辑通知（草稿）" if self.object else "起草通知"

        return NoticeFormView


NOTICES = NoticeRecordType(
    model=Notice,
    namespace="notices",
    name="notice",
    label="通知公告",
    officers_only=True,
    own_detail_page=True,  # the sender's page with the read figures (notice_detail below)
    form=forms.NoticeForm,
    filterset=filters.NoticeFilter,
    columns=[
        Column("标题", "title", link=True, width=40),
        Column("发布范围", "organisation.name", width=24),
        Column("通知对象", "audience", width=16),
        Column("状态", "state", width=8),
        Column("需回执", "receipt_required", width=8),
        Column("截止日期", "deadline", width=12),
        Column("发布时间", "published_at", width=18),
    ],
    create=services.notice_create,
    update=services.notice_update,
    delete=services.notice_delete,
    object_kwarg="notice",
    order=("-created_at", "-id"),
    select_related=("organisation",),
    add_label="起草通知",
    empty_text="还没有通知公告。起草一条通知，选择发布范围和通知对象，发布后本范围内的人员在“我的通知”中收到。",
    help_text="通知发给所选党组织及其全部下级组织中的通知对象；正文为纯文本，按回车分段。"
    "保存后为草稿，可上传附件，确认无误后发布。",
    personal_data=False,
    api_fields=("state", "published_at", "withdrawn_at"),
)


def _managed(user: Any, pk: int) -> Notice:
    return editable_or_403(Notice.objects.select_related("organisation"), user, pk)


@login_required
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The sender's page: the notice, its attachments, publish/withdraw, the read figures."""
    notice = get_for_user(Notice.objects.select_related("organisation"), request.user, pk=pk)
    if not Notice.objects.editable_by(request.user).filter(pk=pk).exists():
        return redirect("notices:read", pk)
    published = notice.state != NoticeState.DRAFT
    return render(
        request,
        "notices/notice_detail.html",
        {
            "notice": notice,
            "attachments": list(notice.attachments.all()),
            "stats": selectors.read_stats(notice) if published else None,
            "events": events_for(notice),
            "attach_form": forms.AttachmentForm() if notice.state == NoticeState.DRAFT else None,
        },
    )


@login_required
def not_read_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Who has not opened the notice: the audience minus the reads, a keyset page by name."""
    notice = _managed(request.user, pk)
    page = request_page(request, selectors.not_read(notice), order=("name", "id"), size=100)
    return render(
        request,
        "notices/not_read.html",
        {"notice": notice, "page": page, "base_query": ""},
    )


@login_required
def not_read_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    notice = _managed(request.user, pk)
    people = selectors.not_read(notice).order_by("name", "id").iterator(chunk_size=2000)
    audit = PersonalDataAudit(request, f"未阅人员：{notice.title}")
    rows = audit.count(
        [p.name, p.get_party_status_display(), p.primary_org.name if p.primary_org else ""]
        for p in people
    )
    content = xlsx_table(
        sheet="未阅人员",
        title=f"《{notice.title}》未阅人员（导出于{timezone.localdate().isoformat()}）",
        headers=["姓名", "政治面貌", "所在党组织"],
        rows=rows,
        widths=[14, 14, 32],
    )
    return xlsx_response(request, content, "未阅人员.xlsx", audit=audit)


class _NoticeStep(ActionView):
    def get_object(self) -> Notice:
        return _managed(self.request.user, self.kwargs["pk"])

    def get_success_url(self, obj: Notice) -> str:
        return reverse("notices:notice_detail", args=[obj.pk])


class PublishView(_NoticeStep):
    success_message = "通知已发布，本范围内的通知对象现在可以在“我的通知”中看到。"

    def perform(self, obj: Notice, data: dict[str, Any]) -> Any:
        return services.notice_publish(actor=self.request.user, notice=obj)


class WithdrawView(_NoticeStep):
    success_message = "通知已撤回，收件人不再看到该通知。"

    def perform(self, obj: Notice, data: dict[str, Any]) -> Any:
        return services.notice_withdraw(actor=self.request.user, notice=obj)


class AttachmentAddView(ServiceFormView):
    form_class = forms.AttachmentForm
    form_user_kwarg = False
    multipart = True
    show_events = False
    title = "上传附件"
    submit_label = "上传"
    success_message = "附件已上传。"

    def get_object(self) -> Notice:
        notice = _managed(self.request.user, self.kwargs["pk"])
        self.notice = notice
        return None

    def get_crumbs(self) -> list[tuple[str, str]]:
        return [
            (reverse("notices:notice_list"), "通知公告"),
            (reverse("notices:notice_detail", args=[self.notice.pk]), str(self.notice)),
        ]

    def perform(self, data: dict[str, Any]) -> Any:
        return services.attachment_add(
            actor=self.request.user, notice=self.notice, file=data["file"]
        )

    def get_success_url(self, result: Any) -> str:
        return reverse("notices:notice_detail", args=[self.notice.pk])


class AttachmentRemoveView(ActionView):
    success_message = "附件已删除。"

    def get_object(self) -> NoticeAttachment:
        return editable_or_403(
            NoticeAttachment.objects.select_related("notice"),
            self.request.user,
            self.kwargs["pk"],
        )

    def perform(self, obj: NoticeAttachment, data: dict[str, Any]) -> Any:
        services.attachment_remove(actor=self.request.user, attachment=obj)

    def get_success_url(self, obj: NoticeAttachment) -> str:
        return reverse("notices:notice_detail", args=[obj.notice_id])


# --- everyone: my notices, the message centre, the bell ---------------------------------------


@login_required
def my_notices(request: HttpRequest) -> HttpResponse:
    found = filters.MyNoticeFilter.for_page(request, selectors.my_notices(request.user))
    page = request_page(request, found.qs, order=("-published_at", "-id"), size=30)
    return render(
        request,
        "notices/my_notices.html",
        {
            "page": page,
            "base_query": found.querystring(),
            "unread_only": request.GET.get("unread") in ("true", "1", "on"),
            "q": request.GET.get("q", ""),
        },
    )


@login_required
def read_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """A notice as its recipient reads it: opening it records the read."""
    notice = get_for_user(Notice.objects.select_related("organisation"), request.user, pk=pk)
    read = services.notice_open(user=request.user, notice=notice)
    if notice.state != NoticeState.PUBLISHED and read is None:
        # An officer looking at a draft or a withdrawn notice of their subtree.
        return redirect("notices:notice_detail", pk)
    return render(
        request,
        "notices/read.html",
        {
            "notice": notice,
            "read": read,
            "attachments": list(notice.attachments.all()),
            "may_manage": access.can(request.user, MANAGE_NOTICE, notice),
        },
    )


@login_required
@require_POST
def confirm_notice(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_for_user(Notice.objects.all(), request.user, pk=pk)
    try:
        services.notice_confirm(user=request.user, notice=notice)
    except ValidationError as exc:
        messages.error(request, form_errors(exc))
    else:
        messages.success(request, "已确认阅读（回执已送达发布单位）。")
    return redirect("notices:read", pk)


@login_required
def centre(request: HttpRequest) -> HttpResponse:
    """消息中心: notices, reminders and replies in one place, unread first marked."""
    user = request.user
    seen = selectors.seen_at(user)
    notices = list(selectors.my_notices(user).order_by("-published_at", "-id")[:10])
    reminders = list(selectors.open_reminders(user).order_by("due_on", "id")[:20])
    replies = list(selectors.replies(user)[:10])
    counts = selectors.unread(user)
    return render(
        request,
        "notices/centre.html",
        {
            "notices": notices,
            "reminders": [(r, seen is None or r.updated_at > seen) for r in reminders],
            "replies": [(a, seen is None or a.answered_on > seen.date()) for a in replies],
            "counts": counts,
            "inbox": selectors.inbox(user),
            "has_person": bool(user.person_id),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    services.inbox_mark_all_read(user=request.user)
    messages.success(request, "已全部标为已读（需回执的通知仍需逐条确认“已阅”）。")
    return redirect("notices:centre")


@login_required
@require_GET
def bell(request: HttpRequest) -> HttpResponse:
    """The top bar's unread count, loaded after the page (htmx): pages pay nothing for it."""
    total = selectors.unread_total(request.user) if request.user.person_id else 0
    return render(request, "notices/_bell.html", {"total": total})


@login_required
def digest_preference(request: HttpRequest) -> HttpResponse:
    """The account page's switch of the daily e-mail digest (loaded there by htmx)."""
    if request.method == "POST":
        wanted = request.POST.get("digest") == "1"
        services.inbox_set_digest(user=request.user, digest=wanted)
        messages.success(request, "已开启每日邮件摘要。" if wanted else "已关闭每日邮件摘要。")
        return redirect("notices:centre" if request.POST.get("next") == "centre" else "account")
    inbox = selectors.inbox(request.user)
    return render(request, "notices/_digest_preference.html", {"inbox": inbox})
