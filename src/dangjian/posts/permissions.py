"""Who may do what in 设岗定责 / 亮岗履职 (core.access). Reading and changing rows is the scoping
idiom; these are the steps and writes that need a relation of their own."""

from dangjian.core.access import ABOVE, DEPARTMENT, SCOPE, SELF, Action, declare
from dangjian.posts import rules

# The six steps (《设岗定责通知》§2) and the writes on a post: officers of the post's organisation
# or of a level above it, except 定岗 (the level above) and what the holder does himself.
SET_POST = "posts.set_post"
ASSIGN = "posts.assign"
RELEASE = "posts.release"
CONFIRM = "posts.confirm"
PUBLISH = "posts.publish"
PERFORM = "posts.perform"
EVALUATE = "posts.evaluate"
# The catalogue of a general branch (the department's own posts: see services.catalogue).
EDIT_CATALOGUE = "posts.edit_catalogue"
# Commitments, duty records and summaries: the member's own; officers publish and check.
EDIT_COMMITMENT = "posts.edit_commitment"
PUBLISH_COMMITMENT = "posts.publish_commitment"
EDIT_DUTY_RECORD = "posts.edit_duty_record"
CHECK = "posts.check"
CHECK_QUARTERLY = "posts.check_quarterly"
CIRCULATE_CHECK = "posts.circulate_check"
EDIT_OWN_SUMMARY = "posts.edit_own_summary"
EDIT_ORG_SUMMARY = "posts.edit_org_summary"

declare(
    Action(SET_POST, SCOPE, org="organisation", label="设岗"),
    Action(ASSIGN, SCOPE, org="organisation", label="安排上岗"),
    Action(
        RELEASE,
        (SELF, SCOPE),
        org="organisation",
        person="holder",
        label="退岗",
        message="只有认岗本人或该党组织的书记、委员可以退岗。",
    ),
    # 定岗由党总支确定 (《168模式实施意见》§五(二)2): the level above the post's organisation.
    Action(CONFIRM, ABOVE, org="organisation", label="定岗", message=rules.CONFIRM_REFUSED),
    Action(PUBLISH, SCOPE, org="organisation", label="明岗公示"),
    Action(
        PERFORM,
        (SELF, SCOPE),
        org="organisation",
        person="holder",
        label="开始履岗",
        message="只有履岗党员本人或该党组织的书记、委员可以开始履岗。",
    ),
    Action(EVALUATE, SCOPE, org="organisation", label="评岗"),
    Action(EDIT_CATALOGUE, SCOPE, org="organisation", label="设置本单位岗位"),
    Action(
        EDIT_COMMITMENT,
        SELF,
        person="person",
        label="修改承诺书",
        message="只能修改本人的承诺书。",
    ),
    Action(PUBLISH_COMMITMENT, SCOPE, org="organisation", label="公开承诺书"),
    Action(
        EDIT_DUTY_RECORD,
        SELF,
        person="person",
        label="修改履职记实",
        message="只能修改本人的履职记实。",
    ),
    Action(CHECK, SCOPE, org="organisation", label="登记履职检查"),
    # 党委组织部按季度检查 (《168模式实施意见》§五(二)4): the department or the committee's
    # officers.
    Action(CHECK_QUARTERLY, DEPARTMENT, label="登记季度检查", message=rules.QUARTERLY_REFUSED),
    Action(CIRCULATE_CHECK, SCOPE, org="organisation", label="通报检查情况"),
    Action(
        EDIT_OWN_SUMMARY,
        SELF,
        person="person",
        label="修改履职小结",
        message="只能修改本人的履职小结。",
    ),
    Action(EDIT_ORG_SUMMARY, SCOPE, org="organisation", label="修改年度总结"),
)
