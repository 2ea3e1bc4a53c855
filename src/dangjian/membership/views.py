"""Pages of membership administration: each record type is declared once (core.records)."""

from dangjian.core.records import Column, RecordType
from dangjian.membership import filters, forms, services
from dangjian.membership.models import MemberAway

AWAY = RecordType(
    model=MemberAway,
    namespace="membership",
    name="away",
    label="流动党员",
    form=forms.MemberAwayForm,
    filterset=filters.MemberAwayFilter,
    columns=[
        Column("党员", "person.name", link=True, width=12),
        Column("所在党组织", "person.primary_org.name", width=24),
        Column("外出类别", "kind", width=14),
        Column("去向", "place", width=28),
        Column("外出日期", "left_on", width=12),
        Column("预计返回", "until", width=12),
        Column("实际返回", "returned_on", width=12),
        Column("联系人", "keeps_contact.name", width=12),
        Column("最近联系", "last_contact_on", width=12),
    ],
    details=[
        Column("党员", "person.name"),
        Column("所在党组织", "person.primary_org.name"),
        Column("外出类别", "kind"),
        Column("去向", "place"),
        Column("外出日期", "left_on"),
        Column("预计返回日期", "until"),
        Column("实际返回日期", "returned_on"),
        Column("联系人", "keeps_contact.name"),
        Column("参加组织生活的党小组", "group.name"),
        Column("最近联系日期", "last_contact_on"),
        Column("备注", "note"),
    ],
    create=services.away_create,
    update=services.away_update,
    delete=services.away_delete,
    object_kwarg="away",
    order=("-left_on", "-id"),
    select_related=("person__primary_org", "keeps_contact", "group"),
    empty_text="没有登记外出的党员。党员外出实习、挂职、出国（境）等，请登记去向并保持联系。",
    help_text="《支部考核办法》第8项：加强对流动党员管理，建立档案，保持联系。",
)
