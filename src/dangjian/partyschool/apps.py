from django.apps import AppConfig


class PartyschoolConfig(AppConfig):
    name = "dangjian.partyschool"
    verbose_name = "党校培训"

    def ready(self) -> None:
        # orglife credits a training's hours per session attended once sessions are kept
        # here (orglife sits below this app and cannot import it).
        from dangjian.orglife.services import set_session_credit_reader
        from dangjian.partyschool.selectors import session_credits

        set_session_credit_reader(session_credits)
