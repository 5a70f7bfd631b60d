"""Every change to a dossier: one function per action. Each checks permission and the
transition, writes the rows and the audit event in one transaction, and schedules the
applicant's notification for after the commit.

`receipt` receives at a desk; `actions` applies everything after; `base` holds what both share.
"""

from .actions import (
    ACTIONS,
    ALLOWED_FROM,
    ERR_VERSION_REQUIRED,
    HANDLERS,
    ActionData,
    dossier_act,
)
from .base import (
    ACTION_LABELS_VI,
    LOOKUP_ALPHABET,
    LOOKUP_LENGTH,
    STATUS_LABELS_VI,
    ApplicantData,
    ReceiptData,
    SubmittedDocument,
    day_seconds,
    judge,
)
from .receipt import (
    ERR_DESK_ONLINE,
    dossier_receive,
    required_documents_check,
    required_documents_missing,
)

__all__ = [
    "ACTIONS",
    "ACTION_LABELS_VI",
    "ALLOWED_FROM",
    "ERR_DESK_ONLINE",
    "ERR_VERSION_REQUIRED",
    "HANDLERS",
    "LOOKUP_ALPHABET",
    "LOOKUP_LENGTH",
    "STATUS_LABELS_VI",
    "ActionData",
    "ApplicantData",
    "ReceiptData",
    "SubmittedDocument",
    "day_seconds",
    "dossier_act",
    "dossier_receive",
    "judge",
    "required_documents_check",
    "required_documents_missing",
]
