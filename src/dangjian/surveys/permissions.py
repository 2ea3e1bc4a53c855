"""Rights of the surveys app beyond read/change (core.access).

Officers of an organisation, or of a level above it, run its surveys: create one, hand out
one-time links, close it. A ballot needs no right at all (whoever holds an unused link).
"""

from dangjian.core.access import SCOPE, Action, declare

RUN_LABEL = "组织该测评"

declare(
    Action("surveys.create", SCOPE, org="", label=RUN_LABEL),
    Action("surveys.run", SCOPE, org="organisation", label=RUN_LABEL),
)
