"""The order procedure's models: the case, its records, and the issuing authority."""

from orders.models.authority import (
    DEFAULT_NUMBER_FORMAT,
    DocumentSequence,
    ElectronicNoticeConsent,
    IssuingAuthority,
    format_document_number,
)
from orders.models.case import OrderCase, OrderCaseQuerySet
from orders.models.records import (
    Appeal,
    CaseReminder,
    CommissionOpinion,
    Explanation,
    ExplanationFile,
    FollowUp,
    Notice,
)

__all__ = [
    "DEFAULT_NUMBER_FORMAT",
    "Appeal",
    "CaseReminder",
    "CommissionOpinion",
    "DocumentSequence",
    "ElectronicNoticeConsent",
    "Explanation",
    "ExplanationFile",
    "FollowUp",
    "IssuingAuthority",
    "Notice",
    "OrderCase",
    "OrderCaseQuerySet",
    "format_document_number",
]
