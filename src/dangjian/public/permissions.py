"""Who may do what on the 六公开 boards and the suggestion box (core.access).

The boards, nameplates, the suggestion form and tracking by code are PUBLIC: anyone, signed in
or not, and no credentials are read. Handling a suggestion is for the officers of its
organisation or of a level above it."""

from dangjian.core.access import PUBLIC, SCOPE, Action, declare

READ_BOARD = "public.read_board"
SUGGEST = "public.suggest"
TRACK = "public.track"
HANDLE = "public.handle_suggestion"

declare(
    Action(READ_BOARD, PUBLIC, label="查看公开栏"),
    Action(SUGGEST, PUBLIC, label="提交意见建议"),
    Action(TRACK, PUBLIC, label="查询办理情况"),
    Action(HANDLE, SCOPE, org="organisation", label="办理意见建议"),
)
