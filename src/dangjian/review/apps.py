from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "dangjian.review"
    verbose_name = "联述联评联考"

    def ready(self) -> None:
        # The branch grading and the secretaries' grades sit below this app: it registers
        # the readers of its published results with them (ARCHITECTURE.md, layers).
        from dangjian.assessment import selectors as assessment
        from dangjian.branches import services as branches
        from dangjian.review import selectors

        branches.set_secretary_review_reader(selectors.last_result_text)
        assessment.set_secretary_review_reader(selectors.secretary_results)
