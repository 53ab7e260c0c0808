from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Reviews")

    def ready(self):
        from filings.signals import filing_submitted
        from reviews.services import open_review

        filing_submitted.connect(
            lambda sender, submission, **kwargs: open_review(submission=submission),
            dispatch_uid="reviews.open_review",
            weak=False,
        )
