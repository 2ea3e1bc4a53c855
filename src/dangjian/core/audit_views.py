"""The audit logs for the administrators who read them (三员分立): the audit administrator reads
both the operation log (AuditEvent) and the security audit (SecurityEvent); the security
administrator reads the security audit only. Filters (time range, user, kind, address, object),
keyset pages and XLSX export; every export is itself recorded as an EXPORT event."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from dangjian.core import admin_roles
from dangjian.core.export import PersonalDataAudit, xlsx_response, xlsx_table
from dangjian.core.models import AdminRole, AuditEvent, SecurityEvent
from dangjian.core.pagination import request_page

PAGE_SIZE = 50


@dataclass(frozen=True)
class Log:
    key: str
    title: str
    model: type
    readers: tuple[str, ...]
    kind_field: str
    kinds: list
    user_field: str
    object_fields: tuple[str, ...]
    has_address: bool
    headers: tuple[str, ...]
    widths: tuple[int, ...]


EVENTS = Log(
    key="events",
    title="操作记录",
    model=AuditEvent,
    readers=(AdminRole.AUDIT,),
    kind_field="action",
    kinds=AuditEvent.Action.choices,
    user_field="actor__username",
    object_fields=("object_repr", "note"),
    has_address=False,
    headers=("时间", "操作人", "操作", "对象类型", "对象", "变更内容", "说明"),
    widths=(18, 14, 10, 14, 30, 60, 30),
)
SECURITY = Log(
    key="security",
    title="安全审计记录",
    model=SecurityEvent,
    readers=(AdminRole.AUDIT, AdminRole.SECURITY),
    kind_field="kind",
    kinds=SecurityEvent.Kind.choices,
    user_field="username",
    object_fields=("detail", "path"),
    has_address=True,
    headers=("时间", "事件", "用户名", "来源地址", "访问路径", "说明", "涉及条数"),
    widths=(18, 14, 14, 16, 30, 60, 10),
)


class FilterForm(forms.Form):
    start = forms.DateField(label="开始日期", required=False)
    end = forms.DateField(label="结束日期", required=False)
    user = forms.CharField(label="用户名", required=False, max_length=150)
    kind = forms.ChoiceField(label="类型", required=False)
    ip = forms.CharField(label="来源地址", required=False, max_length=45)
    object = forms.CharField(label="对象或说明", required=False, max_length=100)

    def __init__(self, *args, log: Log, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "全部"), *log.kinds]
        if not log.has_address:
            del self.fields["ip"]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "结束日期不能早于开始日期。")
        return data


def _reader(log: Log):
    """The view is for the administrators who read `log` (the middleware enforces the same
    rule for every path: core.admin_roles)."""

    def decorate(view):
        @login_required
        def wrapped(request, *args, **kwargs):
            if request.user.admin_role not in log.readers:
                raise PermissionDenied(admin_roles.refusal_message(request.user.admin_role))
            return view(request, log, *args, **kwargs)

        wrapped.__name__ = view.__name__
        return wrapped

    return decorate


def _filtered(log: Log, form: FilterForm):
    qs = log.model.objects.all()
    if not form.is_valid():
        return qs, {}
    data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    if "start" in data:
        qs = qs.filter(at__date__gte=data["start"])
    if "end" in data:
        qs = qs.filter(at__date__lte=data["end"])
    if "user" in data:
        qs = qs.filter(**{f"{log.user_field}__icontains": data["user"]})
    if "kind" in data:
        qs = qs.filter(**{log.kind_field: data["kind"]})
    if "ip" in data:
        qs = qs.filter(ip__startswith=data["ip"])
    if "object" in data:
        q = Q()
        for name in log.object_fields:
            q |= Q(**{f"{name}__icontains": data["object"]})
        qs = qs.filter(q)
    return qs, data


def _query(data: dict) -> str:
    return urlencode({k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in data.items()})


def _list(request, log: Log):
    form = FilterForm(request.GET or None, log=log)
    qs, data = _filtered(log, form)
    if log is EVENTS:
        qs = qs.select_related("actor", "content_type")
    page = request_page(request, qs, order=("-id",), size=PAGE_SIZE)
    tabs = [(x, x.title) for x in (EVENTS, SECURITY) if request.user.admin_role in x.readers]
    return render(
        request,
        "core/audit/log.html",
        {
            "log": log,
            "tabs": tabs,
            "form": form,
            "page": page,
            "base_query": _query(data),
            "filtered": bool(data),
        },
    )


def _changes_text(event: AuditEvent) -> str:
    return "；".join(
        f"{label}：{'' if before is None else before} → {'' if after is None else after}"
        for label, (before, after) in event.change_list
    )


def _rows(log: Log, qs):
    local = timezone.localtime
    if log is EVENTS:
        for e in qs.select_related("actor", "content_type").order_by("-id").iterator(2000):
            yield [
                f"{local(e.at):%Y-%m-%d %H:%M:%S}",
                e.actor.get_username() if e.actor_id else "",
                e.label,
                str(e.content_type.model_class()._meta.verbose_name)
                if e.content_type.model_class()
                else e.content_type.model,
                e.object_repr,
                _changes_text(e),
                e.note,
            ]
    else:
        for e in qs.order_by("-id").iterator(2000):
            yield [
                f"{local(e.at):%Y-%m-%d %H:%M:%S}",
                e.get_kind_display(),
                e.username,
                e.ip or "",
                e.path,
                e.detail,
                e.rows,
            ]


def _export(request, log: Log):
    form = FilterForm(request.GET or None, log=log)
    qs, data = _filtered(log, form)
    conditions = "，".join(f"{form.fields[k].label}={v}" for k, v in data.items())
    title = f"{log.title}（{conditions or '全部'}）"
    audit = PersonalDataAudit(request, f"审计日志导出：{title}"[:500])
    content = xlsx_table(
        sheet=log.title,
        headers=log.headers,
        rows=audit.count(_rows(log, qs)),
        title=title,
        widths=log.widths,
    )
    filename = f"{log.title}_{timezone.localdate():%Y%m%d}.xlsx"
    return xlsx_response(request, content, filename, audit=audit)


@require_GET
@_reader(SECURITY)
def index(request, log):
    """/audit/: the first log the reader may read."""
    return redirect(
        "audit:events" if request.user.admin_role in EVENTS.readers else "audit:security"
    )


@require_GET
@_reader(EVENTS)
def events(request, log):
    return _list(request, log)


@require_GET
@_reader(EVENTS)
def events_export(request, log):
    return _export(request, log)


@require_GET
@_reader(SECURITY)
def security(request, log):
    return _list(request, log)


@require_GET
@_reader(SECURITY)
def security_export(request, log):
    return _export(request, log)
