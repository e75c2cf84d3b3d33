"""Closed vocabularies stored as text, shared by the model, the CLI and the app."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a user may do; enforced on the server side by `leadbase.auth`."""

    ADMIN = "admin"  # users, imports, exports, audit, erasure
    REVIEWER = "reviewer"  # confirm merges, verify, edit cards, see personal data
    VIEWER = "viewer"  # read-only; no personal data of contacts


class SourceKind(StrEnum):
    CRAWL = "crawl"
    BOUGHT = "bought"
    CRM_EXPORT = "crm-export"
    MANUAL = "manual"
    API = "api"
    REGISTRY = "registry"
    SAMPLE = "sample"


class ImportStatus(StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    REMOVED = "removed"


class CompanyStatus(StrEnum):
    NEW = "new"
    VERIFIED = "verified"
    REJECTED = "rejected"
    DEAD = "dead"


class Category(StrEnum):
    """The A-E client scale of the seeds: A most valuable, E least."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"


class PhoneKind(StrEnum):
    """Line type as phonenumbers reports it."""

    FIXED = "fixed"
    MOBILE = "mobile"
    TOLL_FREE = "toll_free"
    VOIP = "voip"
    FAX = "fax"
    UNKNOWN = "unknown"


class PairStatus(StrEnum):
    AUTO_MERGED = "auto_merged"
    PENDING = "pending"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    KEPT_APART = "kept_apart"


class ReviewLabel(StrEnum):
    """dedupeio's vocabulary for a person's verdict on a pair."""

    MATCH = "match"
    DISTINCT = "distinct"
    UNSURE = "unsure"


class MergeKind(StrEnum):
    MERGE = "merge"
    UNMERGE = "unmerge"


class RunKind(StrEnum):
    FULL = "full"
    INCREMENTAL = "incremental"
    TRAIN = "train"


class JobStatus(StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    KILLED = "killed"


class ConsentStatus(StrEnum):
    UNKNOWN = "unknown"
    GIVEN = "given"
    WITHDRAWN = "withdrawn"


class CrmSystem(StrEnum):
    BITRIX24 = "bitrix24"
    AMOCRM = "amocrm"
    HUBSPOT = "hubspot"


class ReminderKind(StrEnum):
    BIRTHDAY = "birthday"
    NEXT_CONTACT = "next_contact"
    CUSTOM = "custom"


class SuppressionKind(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    INN = "inn"


class ErasureStatus(StrEnum):
    RECEIVED = "received"
    DONE = "done"
    REFUSED = "refused"
