"""Rights of dues and the activity fund (core.access): the officers of a branch and of the
levels above keep its members' dues and its fund ledger; the member reads their own dues."""

from dangjian.core.access import SCOPE, Action, declare

MANAGE_DUES = "finance.manage_dues"
MANAGE_FUND = "finance.manage_fund"

declare(
    Action(MANAGE_DUES, SCOPE, org="organisation", label="核定和登记党费"),
    Action(MANAGE_FUND, SCOPE, org="organisation", label="登记支部活动经费"),
)
