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

    def ready(self):
        # Third-party apps name themselves in English only (the admin's headings): the portal,
        # which installs them, gives their names in its own catalogue. Their models' names are
        # translatable already and have their Japanese there too.
        from django.apps import apps

        names = {"axes": _("Login lockout"), "django_tasks_db": _("Background tasks")}
        for config in apps.get_app_configs():
            if config.name in names:  # by module: django_tasks_db's label differs
                config.verbose_name = names[config.name]
