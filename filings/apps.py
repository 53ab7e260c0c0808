from django.apps import AppConfig
from django.core import checks


class FilingsConfig(AppConfig):
    name = "filings"

    def ready(self) -> None:
        from filings.scanning import check_scanner_configured

        checks.register(check_scanner_configured, checks.Tags.security, deploy=True)
