"""django-tasks-db's app under a translatable name: the package names its admin section with a
plain English string. Kept out of apps.py, where a second AppConfig would hide the app's own."""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class TaskQueueConfig(TasksAppConfig):
    # The package types verbose_name as str; Django takes a lazy translation here.
    verbose_name = _("Background tasks")  # type: ignore[assignment]
