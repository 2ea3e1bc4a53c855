"""Rights of account opening (账号开通) beyond reading batches (core.access)."""

from dangjian.core.access import SCOPE, Action, declare

declare(
    # The officers of an organisation (or of a level above) open its people's accounts.
    Action("accounts.open", SCOPE, org="", message="您不能为该党组织开通账号。"),
    # ... and reissue the links or passwords of a batch not yet taken up.
    Action("accounts.reissue", SCOPE, org="organisation", message="您不能处理该批次。"),
)
