from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class FilingsConfig(AppConfig):
    name = "filings"

    def ready(self) -> None:
        from filings.scanning import check_scanner_configured

        checks.register(check_scanner_configured, checks.Tags.security, deploy=True)

    verbose_name = _("Filings")
