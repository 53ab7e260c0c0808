from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from reports.services import period_notice_issued
        from reviews.clock import period_notice_issued as issued

        issued.connect(period_notice_issued, dispatch_uid="reports.period_notice_issued")
