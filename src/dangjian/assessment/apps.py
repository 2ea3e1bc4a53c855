from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "dangjian.assessment"
    verbose_name = "支部目标管理考核"

    def ready(self) -> None:
        # Imported when the app registry is ready (models load first), as Django requires.
        from dangjian.assessment import selectors
        from dangjian.branches import services as branches

        branches.set_annual_assessment_reader(selectors.last_result_text)
