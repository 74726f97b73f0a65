"""The tables. Alembic migrations under ``migrations/`` create them; a test keeps both in step.

Privacy by design: audit events and screening runs refer to people and companies only
by the pseudonymous ``subjects.id``; the personal data itself lives in ``persons``
(and the screened inputs in ``screened_inputs``), rows that retention or erasure can
delete without touching the hash chain.
"""

from __future__ import annotations

from kyc.store.models.audit import AuditCheckpoint, AuditEvent, AuditHead
from kyc.store.models.base import NAMING, Base, UtcDateTime
from kyc.store.models.customers import (
    Company,
    CompanyCheck,
    MandateCheck,
    Person,
    Representation,
    Subject,
)
from kyc.store.models.lists import (
    ListActivation,
    ListChange,
    ListChangeSet,
    ListEntryRow,
    ListFetch,
    ListVersion,
)
from kyc.store.models.names import NameKey, NameShape, NamesToIndex, SubjectNameKey
from kyc.store.models.register import (
    KboActivity,
    KboAddress,
    KboBranch,
    KboCode,
    KboContact,
    KboDenomination,
    KboEnterprise,
    KboEstablishment,
    KboFunction,
    RegisterExtract,
    RegisterRecheck,
)
from kyc.store.models.rescreen import RescreenPartition, RescreenRun
from kyc.store.models.review import ApiRequest, ApiToken, CheckDecision, User, WebSession
from kyc.store.models.screening import Decision, Hit, ScreenedInput, ScreeningRun

__all__ = [
    "ApiRequest",
    "ApiToken",
    "AuditCheckpoint",
    "AuditEvent",
    "AuditHead",
    "Base",
    "CheckDecision",
    "Company",
    "CompanyCheck",
    "Decision",
    "Hit",
    "KboActivity",
    "KboAddress",
    "KboBranch",
    "KboCode",
    "KboContact",
    "KboDenomination",
    "KboEnterprise",
    "KboEstablishment",
    "KboFunction",
    "ListActivation",
    "ListChange",
    "ListChangeSet",
    "ListEntryRow",
    "ListFetch",
    "ListVersion",
    "MandateCheck",
    "NAMING",
    "NameKey",
    "NameShape",
    "NamesToIndex",
    "Person",
    "RegisterExtract",
    "RegisterRecheck",
    "Representation",
    "RescreenPartition",
    "RescreenRun",
    "ScreenedInput",
    "ScreeningRun",
    "Subject",
    "SubjectNameKey",
    "User",
    "UtcDateTime",
    "WebSession",
]
