from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# Django 6.1's label for a select's empty choice (BLANK_CHOICE_LABEL, on the new-filing and header
# forms and the admin's action menu) has no Japanese in Django's own catalogue yet; naming it here
# puts it in the portal's, which Django consults first.
gettext_noop("- Select an option -")


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")
