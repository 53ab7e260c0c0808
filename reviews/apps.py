from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Reviews")

    def ready(self):
        from filings.signals import draft_checked, filing_submitted
        from reviews.rules import run_filing_rules
        from reviews.services import open_review

        filing_submitted.connect(
            lambda sender, submission, **kwargs: open_review(submission=submission),
            dispatch_uid="reviews.open_review",
            weak=False,
        )
        draft_checked.connect(
            lambda sender, snapshot, **kwargs: run_filing_rules(snapshot),
            dispatch_uid="reviews.run_filing_rules",
            weak=False,
        )
