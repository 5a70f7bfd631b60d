from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyncConfig(AppConfig):
    name = "motcua.sync"
    label = "sync"
    verbose_name = _("National portal synchronisation")

    def ready(self) -> None:
        # A recorder, not a subscriber: the outbox row commits with the change or not at all,
        # so no committed change is ever missing from what the portal will receive.
        from motcua.common.events import DOSSIER_CHANGED, record_with

        from .outbox import outbox_record

        record_with(DOSSIER_CHANGED, outbox_record)
