from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "motcua.audit"
    label = "audit"
