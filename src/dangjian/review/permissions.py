"""Rights of 联述联评联考 (core.access), after 《组织建设年实施方案》§四(三): the organiser
(officers of the round's organisation and above) runs the round and publishes it; the
secretary — or the officers of the reporting organisation and above — submits the report
(联述); the level above organises the rating (联评) and reviews the report; nobody does either
for their own organisation."""

from dangjian.core.access import ABOVE, SCOPE, SELF, Action, declare

CREATE_ROUND = "review.create"
MANAGE_ROUND = "review.manage"
SUBMIT_REPORT = "review.submit"
RATE_REPORT = "review.rate"
REVIEW_REPORT = "review.review"

declare(
    Action(CREATE_ROUND, SCOPE, org="", label="组织联述联评联考"),
    Action(MANAGE_ROUND, SCOPE, org="organisation", label="组织联述联评联考"),
    Action(
        SUBMIT_REPORT, (SELF, SCOPE), org="organisation", person="secretary", label="提交述职报告"
    ),
    Action(
        RATE_REPORT,
        ABOVE,
        org="organisation",
        label="组织党员和群众代表测评",
        message="“联评”由上一级党组织组织，述职的党组织不能为本组织书记组织测评。",
    ),
    Action(
        REVIEW_REPORT,
        ABOVE,
        org="organisation",
        label="评定述职",
        message="述职由上一级党组织评定（“联述”：向上一级党组织专项述职），本组织不能评定。",
    ),
)
