"""Score-sheet templates and their items (the organisation department)."""

from decimal import Decimal
from typing import Any, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction

from dangjian.assessment import rules
from dangjian.assessment.models import Indicator, Item, ScoreSheetTemplate
from dangjian.assessment.permissions import require_department
from dangjian.assessment.selectors import base_full_marks, template_in_use
from dangjian.assessment.services._base import (
    ITEM_FIELDS,
    TEMPLATE_FIELDS,
    TEMPLATE_IN_USE,
    _full_clean,
)
from dangjian.core import audit
from dangjian.core.models import User


def _check_template(template: ScoreSheetTemplate) -> None:
    ceiling = base_full_marks(template.pk) if template.pk else None
    error = rules.bands_error(template.bands or [], ceiling)
    if error:
        raise ValidationError({"bands": error})
    if template.bonus_cap is not None and template.bonus_cap < 0:
        raise ValidationError({"bonus_cap": "附加分上限不能为负数。"})
    if not isinstance(template.veto_rules, list) or not all(
        isinstance(v, str) and v.strip() for v in template.veto_rules
    ):
        raise ValidationError({"veto_rules": "一票否决情形须为文字，每行一条。"})
    _full_clean(template)


class TemplateFields(TypedDict, total=False):
    name: str
    note: str
    bands: list[Any]
    bonus_cap: Decimal | None
    veto_rules: list[str]
    is_active: bool


class ItemFields(TypedDict, total=False):
    content: str
    points: Decimal | None
    elements: list[Any]
    methods: str
    bonus_rule: list[Any]


@transaction.atomic
def template_update(
    *, actor: User, template: ScoreSheetTemplate, **fields: Unpack[TemplateFields]
) -> ScoreSheetTemplate:
    """Name, note and is_active always; bands, bonus cap and veto rules while no round uses it.
    A field not given keeps its value."""
    require_department(actor)
    template = ScoreSheetTemplate.objects.select_for_update().get(pk=template.pk)
    allowed: dict[str, Any] = dict(fields)
    scoring = {k for k in ("bands", "bonus_cap", "veto_rules") if k in allowed}
    changed = {k for k in scoring if allowed[k] != getattr(template, k)}
    if changed and template_in_use(template):
        raise ValidationError({sorted(changed)[0]: TEMPLATE_IN_USE})
    audit.audited_update(
        actor=actor,
        obj=template,
        fields=allowed,
        audit_fields=TEMPLATE_FIELDS,
        clean=_check_template,
    )
    return template


def _check_item(item: Item) -> None:
    if not item.content.strip():
        raise ValidationError({"content": "请填写二级指标内容。"})
    if item.indicator.is_bonus:
        item.points = None
        item.elements = []
        error = rules.bonus_rule_error(item.bonus_rule)
        if error:
            raise ValidationError({"bonus_rule": error})
    else:
        item.bonus_rule = []
        if item.points is None or item.points <= 0 or item.points > rules.BASE_POINTS:
            raise ValidationError({"points": "请填写该项分值（大于0、不超过100分）。"})
        if item.points % rules.SCORE_STEP:
            raise ValidationError({"points": "分值以0.5分为单位。"})
        error = rules.elements_error(item.elements or [], item.points)
        if error:
            raise ValidationError({"elements": error})
    _full_clean(item)


@transaction.atomic
def item_update(*, actor: User, item: Item, **fields: Unpack[ItemFields]) -> Item:
    """Change an item's text, points, elements, method or bonus rule while the template is
    unused (a field not given keeps its value); the indicator's points follow the sum of its
    items. The item's number is fixed."""
    require_department(actor)
    item = Item.objects.select_for_update(of=("self",)).select_related("indicator").get(pk=item.pk)
    if template_in_use(item.indicator.template):
        raise ValidationError({"points": TEMPLATE_IN_USE})
    audit.audited_update(
        actor=actor, obj=item, fields=dict(fields), audit_fields=ITEM_FIELDS, clean=_check_item
    )
    indicator = item.indicator
    if not indicator.is_bonus:
        points = sum((i.points for i in indicator.items.all() if i.points is not None), Decimal(0))
        if points != indicator.points:
            audit.audited_update(
                actor=actor,
                obj=indicator,
                fields={"points": points},
                audit_fields=["name", "points"],
                clean=_full_clean,
            )
    return item


@transaction.atomic
def template_copy(
    *, actor: User, template: ScoreSheetTemplate, name: str = ""
) -> ScoreSheetTemplate:
    """A new version of a template (all indicators and items), to change it for future rounds."""
    require_department(actor)
    name = name.strip() or f"{template.name}（新版本）"
    copy = ScoreSheetTemplate(
        name=name,
        note=template.note,
        bands=template.bands,
        bonus_cap=template.bonus_cap,
        veto_rules=list(template.veto_rules),
        is_active=True,
        copied_from=template,
    )
    _check_template(copy)
    copy.save()
    indicators = list(template.indicators.prefetch_related("items"))
    for indicator in indicators:
        new = Indicator.objects.create(
            template=copy,
            order=indicator.order,
            name=indicator.name,
            points=indicator.points,
            is_bonus=indicator.is_bonus,
        )
        Item.objects.bulk_create(
            Item(
                indicator=new,
                number=i.number,
                content=i.content,
                points=i.points,
                elements=i.elements,
                methods=i.methods,
                bonus_rule=i.bonus_rule,
                reference=i.reference,
            )
            for i in indicator.items.all()
        )
    audit.created(actor=actor, obj=copy, fields=TEMPLATE_FIELDS, note=f"复制自“{template.name}”")
    return copy
