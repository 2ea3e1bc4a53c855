"""Rights on the annual statistics (core.access): the officers of an organisation and of the
levels above run its statistics again."""

from dangjian.core.access import SCOPE, Action, declare

RUN_STATISTICS = "statistics.run"

declare(Action(RUN_STATISTICS, SCOPE, org="", label="重新统计"))
