"""Rights of target management beyond reading and changing rows (core.access): the records
of the six steps are changed by the officers of the work item's organisation (the scoping
idiom's `editable_by`); a task's progress is also reported by its responsible person."""

from dangjian.core.access import SCOPE, SELF, Action, declare

NOT_REPORTER = "只有责任人或党组织书记、委员可以报告进展。"

declare(
    # on a Task
    Action(
        "targets.report_progress",
        (SELF, SCOPE),
        org="work_item__organisation",
        person="responsible",
        message=NOT_REPORTER,
    ),
)
