"""Rights of honours and model units beyond reading (core.access).

The organisation department runs a round (creates it, sets quotas, posts the notice, decides,
publishes); branches and general branches nominate their members and organisations; the level
above the nominee's organisation reviews the nomination (《基层组织建设实施意见》§四(五)3;
《组织建设年实施方案》§四(五)). A model unit is chosen, checked and reviewed by the level that
cultivates it (《168模式实施意见》§六2; 《延伸提升168机制意见》§三).
"""

from dangjian.core.access import ABOVE, DEPARTMENT, SCOPE, Action, declare

RUN_ROUND = "honours.run_round"
NOMINATE = "honours.nominate"
REVIEW = "honours.review"
OBJECTION = "honours.objection"
MANAGE_UNIT = "honours.manage_unit"

REVIEW_ABOVE = (
    "推荐对象由上一级党组织审核：须由被推荐对象所在党组织的上级党组织（党总支、党委）"
    "或党委组织部办理，本组织不能审核自己的推荐。"
)

declare(
    Action(RUN_ROUND, DEPARTMENT, label="组织评选表彰（设置名额、公示、决定、发布）"),
    Action(NOMINATE, SCOPE, org="organisation", label="推荐该党组织的评选对象"),
    Action(REVIEW, ABOVE, org="organisation", label="审核推荐对象", message=REVIEW_ABOVE),
    Action(OBJECTION, ABOVE, org="nomination__organisation", label="登记、核查公示意见"),
    Action(MANAGE_UNIT, SCOPE, org="chosen_by", label="管理该示范单位的培育"),
)
