from django.apps import AppConfig


class ChecklistsConfig(AppConfig):
    name = "checklists"
