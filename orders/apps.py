from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Order procedures")

    def ready(self):
        from orders.services import open_case_on_determination
        from reviews.signals import determination_recorded

        determination_recorded.connect(
            open_case_on_determination, dispatch_uid="orders.open_case", weak=False
        )
