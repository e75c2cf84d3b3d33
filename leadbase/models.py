"""The data model: one class per table, SQLAlchemy 2.x typed declarative.

Invariants (DESIGN.md): raw records are never edited; merges are events that can be
undone; every change by a person is audited (`leadbase.audit`); tables people edit
carry a `version` column and refuse stale edits; erasure removes a person everywhere.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    MetaData,
    Numeric,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from leadbase.enums import (
    Category,
    CompanyStatus,
    ConsentStatus,
    CrmSystem,
    ErasureStatus,
    ImportStatus,
    JobStatus,
    MergeKind,
    PairStatus,
    PhoneKind,
    ReminderKind,
    ReviewLabel,
    Role,
    RunKind,
    SourceKind,
    SuppressionKind,
)

# Stable constraint names let Alembic alter SQLite tables in batch mode.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JSONType = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    """The current time, timezone-aware UTC (what every `*_at` column holds)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored as naive UTC, returned timezone-aware.

    SQLite has no time zones; storing UTC everywhere makes both databases agree.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(
        self, value: datetime | None, dialect: Dialect
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use leadbase.models.utcnow()")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(
        self, value: datetime | None, dialect: Dialect
    ) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def text_enum(enum: type[StrEnum], name: str) -> Enum:
    """A portable enum: VARCHAR plus a CHECK constraint, storing the values."""
    return Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum),
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSONType}


def created_at_column() -> Mapped[datetime]:
    return mapped_column(UTCDateTime(), default=utcnow, nullable=False)


def user_fk(nullable: bool = True) -> Mapped[Any]:
    return mapped_column(
        ForeignKey("users.id", ondelete="SET NULL" if nullable else "RESTRICT"),
        nullable=nullable,
    )


# --- people who use the app ---------------------------------------------------------


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(text_enum(Role, "role"))
    is_active: Mapped[bool] = mapped_column(default=True)
    language: Mapped[str] = mapped_column(String(2), default="ru")
    failed_logins: Mapped[int] = mapped_column(default=0)
    last_login_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class AuditLog(Base):
    """Who changed what, when, with the values before and after."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    user_id: Mapped[int | None] = user_fk()
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[int | None]
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]
    note: Mapped[str | None] = mapped_column(Text)


# --- where data came from -----------------------------------------------------------


class Source(Base):
    """A named origin: a crawl, a bought base, a CRM export, a registry, manual entry.

    Provenance is a legal duty (152-FZ): record from whom and on what terms.
    """

    __tablename__ = "sources"
    __table_args__ = (
        CheckConstraint("trust >= 0 AND trust <= 100", name="trust_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[SourceKind] = mapped_column(text_enum(SourceKind, "source_kind"))
    trust: Mapped[int] = mapped_column(default=50)
    region: Mapped[str | None] = mapped_column(String(2))
    url: Mapped[str | None] = mapped_column(Text)
    vendor: Mapped[str | None] = mapped_column(String(200))
    terms: Mapped[str | None] = mapped_column(Text)
    legal_basis: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = user_fk()
    created_at: Mapped[datetime] = created_at_column()


class Import(Base):
    """One file loaded into a source; the sha256 makes re-imports a no-op."""

    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"), index=True
    )
    file_name: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    file_format: Mapped[str] = mapped_column(String(16))
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[ImportStatus] = mapped_column(
        text_enum(ImportStatus, "import_status"), default=ImportStatus.RUNNING
    )
    rows_read: Mapped[int] = mapped_column(default=0)
    rows_imported: Mapped[int] = mapped_column(default=0)
    rows_quarantined: Mapped[int] = mapped_column(default=0)
    rows_duplicate: Mapped[int] = mapped_column(default=0)
    rows_known: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = user_fk()
    started_at: Mapped[datetime] = created_at_column()
    finished_at: Mapped[datetime | None]


class QuarantinedRow(Base):
    """A row of an import that could not be read, kept with the reason."""

    __tablename__ = "quarantined_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(
        ForeignKey("imports.id", ondelete="CASCADE"), index=True
    )
    row_number: Mapped[int]
    column: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    raw_text: Mapped[str | None] = mapped_column(Text)


class CrawlJob(Base):
    __tablename__ = "crawl_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    spider: Mapped[str] = mapped_column(String(64))
    args: Mapped[dict[str, Any]] = mapped_column(default=dict)
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[JobStatus] = mapped_column(
        text_enum(JobStatus, "job_status"), default=JobStatus.RUNNING
    )
    jobdir: Mapped[str | None] = mapped_column(Text)
    pages: Mapped[int] = mapped_column(default=0)
    items: Mapped[int] = mapped_column(default=0)
    errors: Mapped[int] = mapped_column(default=0)
    # Raw records of this job that were new leads (kept with each stored batch, so
    # a hard kill loses none of the count).
    new_leads: Mapped[int] = mapped_column(default=0, server_default="0")
    stats: Mapped[dict[str, Any] | None]
    started_by_id: Mapped[int | None] = user_fk()
    started_at: Mapped[datetime] = created_at_column()
    finished_at: Mapped[datetime | None]
    # Who runs it and when it last said so: a row left "running" by a killed
    # process is told apart from a live one (leadbase.crawl_jobs.is_alive).
    host: Mapped[str | None] = mapped_column(String(255))
    pid: Mapped[int | None]
    heartbeat_at: Mapped[datetime | None]


class RawRecord(Base):
    """One row or crawled item exactly as received. Never edited.

    `source_key` is the key column's value or the page URL ("" when there is none);
    a changed page or row under the same key is a new raw record, an unchanged one is
    not stored again. The table is written in bulk, so it has two indexes: the unique
    (source, key, content hash), which also serves look-ups by source and key, and
    the import's id: it only grows at its end during an import, lets removing an
    import check its rows without reading the table, and is what SQLite counts
    the table by (the rows themselves, payloads and all, are 600 MB at a million
    records: every `leadbase dedupe` counts them).
    """

    __tablename__ = "raw_records"
    __table_args__ = (UniqueConstraint("source_id", "source_key", "content_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="RESTRICT")
    )
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("imports.id", ondelete="RESTRICT"), index=True
    )
    crawl_job_id: Mapped[int | None] = mapped_column(
        ForeignKey("crawl_jobs.id", ondelete="SET NULL")
    )
    source_key: Mapped[str] = mapped_column(String(512))
    row_number: Mapped[int | None]
    url: Mapped[str | None] = mapped_column(Text)
    # Plain JSON, also on PostgreSQL: kept as received (key order too) and written in
    # bulk, never queried inside; JSONB would re-parse every row on insert.
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = created_at_column()
    # A crawled company the base did not know when it arrived: first version of its
    # key, and no company or record with its INN, OGRN or site domain. Its
    # first-seen time is `received_at`.
    is_new_lead: Mapped[bool] = mapped_column(default=False, server_default=false())

    source: Mapped[Source] = relationship()


# --- normalised records and their matching -------------------------------------------


class NormalisedRecord(Base):
    """A raw record after normalisation; shares the raw record's id, so decisions and
    pairs stored against it survive re-normalisation and full dedupe runs."""

    __tablename__ = "records"
    __table_args__ = (
        # Name order with the record id as tie-break, as the sorted-neighbourhood
        # pass pairs them: an incremental run seeks its neighbours along it (on
        # PostgreSQL an index on the name alone left ties to be sorted, and with
        # no statistics yet the planner walked the primary key instead).
        Index("ix_records_name_key", "name_key", "raw_record_id"),
        # Which records an older normaliser wrote: asked by every run.
        Index("ix_records_normaliser_version", "normaliser_version"),
    )

    raw_record_id: Mapped[int] = mapped_column(
        ForeignKey("raw_records.id", ondelete="CASCADE"), primary_key=True
    )
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("companies.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str | None] = mapped_column(Text)
    name_key: Mapped[str | None] = mapped_column(String(255))
    legal_form: Mapped[str | None] = mapped_column(String(32))
    inn: Mapped[str | None] = mapped_column(String(12), index=True)
    ogrn: Mapped[str | None] = mapped_column(String(15), index=True)
    kpp: Mapped[str | None] = mapped_column(String(9))
    website: Mapped[str | None] = mapped_column(Text)
    domain: Mapped[str | None] = mapped_column(String(255), index=True)
    phones: Mapped[list[str]] = mapped_column(JSONType, default=list)
    emails: Mapped[list[str]] = mapped_column(JSONType, default=list)
    postcode: Mapped[str | None] = mapped_column(String(16))
    country: Mapped[str | None] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(String(100))
    city: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(Text)
    address_key: Mapped[str | None] = mapped_column(Text)
    industry: Mapped[str | None] = mapped_column(Text)
    okved: Mapped[str | None] = mapped_column(String(16))
    persons: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    is_personal_data: Mapped[bool] = mapped_column(default=False)
    flags: Mapped[list[str]] = mapped_column(JSONType, default=list)
    normaliser_version: Mapped[int] = mapped_column(default=1)
    normalised_at: Mapped[datetime] = created_at_column()


class BlockingKey(Base):
    """One blocking key of a record: a phone, an email, a name word with its place...

    `kind` is a `dedupe.neighbours.Kind`; `key` a stable 64-bit hash of the value.
    The primary key (kind, key, record_id) is the look-up index: an incremental
    run finds the records sharing a key with its batch, and counts how many
    records hold a value (the global term frequency), without reading the base.
    A hash collision only adds a neighbour to compare, never a merge.
    """

    __tablename__ = "blocking_keys"
    __table_args__ = ({"sqlite_with_rowid": False},)

    kind: Mapped[int] = mapped_column(
        SmallInteger, primary_key=True, autoincrement=False
    )
    key: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    # No foreign key: the rows are derived and rebuilt by every full run, and with
    # one, replacing millions of them took minutes (a parent look-up per insert, no
    # truncation on delete). Whoever deletes records deletes their keys too. No
    # index of its own either: only removing a source or a new normaliser version
    # deletes keys by record, a scan of the table, while every full run would
    # rebuild the index.
    record_id: Mapped[int] = mapped_column(primary_key=True)


class DedupeRun(Base):
    """One `leadbase dedupe` run with the settings JSON that reproduces it."""

    __tablename__ = "dedupe_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[RunKind] = mapped_column(text_enum(RunKind, "run_kind"))
    settings: Mapped[dict[str, Any]]
    status: Mapped[JobStatus] = mapped_column(
        text_enum(JobStatus, "job_status"), default=JobStatus.RUNNING
    )
    stats: Mapped[dict[str, Any] | None]
    started_by_id: Mapped[int | None] = user_fk()
    started_at: Mapped[datetime] = created_at_column()
    finished_at: Mapped[datetime | None]


class CandidatePair(Base):
    """A scored pair of records, lower id on the left, with each field's share."""

    __tablename__ = "pairs"
    __table_args__ = (
        UniqueConstraint("left_id", "right_id"),
        CheckConstraint("left_id < right_id", name="ordered"),
        CheckConstraint("score >= 0 AND score <= 1", name="score_range"),
        Index("ix_pairs_status_score", "status", "score"),
        Index("ix_pairs_status_priority", "status", "priority"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("dedupe_runs.id", ondelete="SET NULL"), index=True
    )
    left_id: Mapped[int] = mapped_column(
        ForeignKey("raw_records.id", ondelete="CASCADE")
    )
    right_id: Mapped[int] = mapped_column(
        ForeignKey("raw_records.id", ondelete="CASCADE"), index=True
    )
    rule: Mapped[str] = mapped_column(String(64))
    score: Mapped[float]
    match_weight: Mapped[float]
    explanation: Mapped[dict[str, Any]]
    # Review order (dedupe.active): how much a person's label here would teach.
    priority: Mapped[float] = mapped_column(default=0.0, server_default="0")
    status: Mapped[PairStatus] = mapped_column(text_enum(PairStatus, "pair_status"))
    decided_by_id: Mapped[int | None] = user_fk()
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = created_at_column()


class ReviewDecision(Base):
    """A person's verdict on two records; append-only, the latest one counts."""

    __tablename__ = "review_decisions"
    __table_args__ = (
        CheckConstraint("left_id < right_id", name="ordered"),
        Index("ix_review_decisions_pair", "left_id", "right_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    left_id: Mapped[int] = mapped_column(
        ForeignKey("raw_records.id", ondelete="CASCADE")
    )
    right_id: Mapped[int] = mapped_column(
        ForeignKey("raw_records.id", ondelete="CASCADE")
    )
    label: Mapped[ReviewLabel] = mapped_column(text_enum(ReviewLabel, "review_label"))
    pair_id: Mapped[int | None] = mapped_column(
        ForeignKey("pairs.id", ondelete="SET NULL")
    )
    user_id: Mapped[int | None] = user_fk()
    note: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime] = created_at_column()


class MergeEvent(Base):
    """A merge or unmerge, with snapshots exact enough to restore the state before."""

    __tablename__ = "merge_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[MergeKind] = mapped_column(text_enum(MergeKind, "merge_kind"))
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("companies.id", ondelete="SET NULL"), index=True
    )
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("dedupe_runs.id", ondelete="SET NULL")
    )
    user_id: Mapped[int | None] = user_fk()
    before: Mapped[dict[str, Any]]
    after: Mapped[dict[str, Any]]
    undoes_id: Mapped[int | None] = mapped_column(
        ForeignKey("merge_events.id", ondelete="SET NULL")
    )
    undone_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = created_at_column()


# --- the clean base -----------------------------------------------------------------


class Company(Base):
    """The golden record of one organisation (or one branch of it).

    `provenance` maps each field to where its value came from:
    {"name": {"records": [12, 40]}, "notes": {"user_id": 3, "at": "..."}}.
    """

    __tablename__ = "companies"
    __table_args__ = (
        Index("ix_companies_inn_kpp", "inn", "kpp"),
        Index("ix_companies_status_category", "status", "category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    legal_form: Mapped[str | None] = mapped_column(String(32))
    inn: Mapped[str | None] = mapped_column(String(12))
    ogrn: Mapped[str | None] = mapped_column(String(15), index=True)
    kpp: Mapped[str | None] = mapped_column(String(9))
    head_company_id: Mapped[int | None] = mapped_column(
        ForeignKey("companies.id", ondelete="SET NULL"), index=True
    )
    website: Mapped[str | None] = mapped_column(Text)
    domain: Mapped[str | None] = mapped_column(String(255), index=True)
    industry: Mapped[str | None] = mapped_column(Text)
    okved: Mapped[str | None] = mapped_column(String(16))
    country: Mapped[str | None] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(String(100))
    city: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(Text)
    postcode: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[CompanyStatus] = mapped_column(
        text_enum(CompanyStatus, "company_status"), default=CompanyStatus.NEW
    )
    category: Mapped[Category | None] = mapped_column(text_enum(Category, "category"))
    suggested_category: Mapped[Category | None] = mapped_column(
        text_enum(Category, "suggested_category")
    )
    category_reason: Mapped[str | None] = mapped_column(Text)
    segment: Mapped[str | None] = mapped_column(String(100))
    owner_id: Mapped[int | None] = user_fk()
    notes: Mapped[str | None] = mapped_column(Text)
    next_contact_on: Mapped[date | None] = mapped_column(Date)
    # Company rapport fields (seeds): what makes a call about *their* business.
    business_specifics: Mapped[str | None] = mapped_column(Text)
    successes: Mapped[str | None] = mapped_column(Text)
    recognition_story: Mapped[str | None] = mapped_column(Text)
    is_personal_data: Mapped[bool] = mapped_column(default=False)
    provenance: Mapped[dict[str, Any]] = mapped_column(default=dict)
    verified_by_id: Mapped[int | None] = user_fk()
    verified_at: Mapped[datetime | None]
    first_seen_at: Mapped[datetime] = created_at_column()
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime | None]
    updated_by_id: Mapped[int | None] = user_fk()
    version: Mapped[int] = mapped_column(default=1)

    contacts: Mapped[list[Contact]] = relationship(back_populates="company")
    phones: Mapped[list[Phone]] = relationship(
        primaryjoin="Company.id == Phone.company_id", viewonly=True
    )
    emails: Mapped[list[Email]] = relationship(
        primaryjoin="Company.id == Email.company_id", viewonly=True
    )

    __mapper_args__ = {"version_id_col": version}


class Contact(Base):
    """A person at a company. Personal data: shown only to roles allowed to see it."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("companies.id", ondelete="SET NULL"), index=True
    )
    full_name: Mapped[str] = mapped_column(Text)
    last_name: Mapped[str | None] = mapped_column(String(100))
    first_name: Mapped[str | None] = mapped_column(String(100))
    patronymic: Mapped[str | None] = mapped_column(String(100))
    position: Mapped[str | None] = mapped_column(Text)
    birthday: Mapped[date | None] = mapped_column(Date)
    # Personal rapport fields (seeds): the questions that make a call personal.
    hobbies: Mapped[str | None] = mapped_column(Text)
    car: Mapped[str | None] = mapped_column(Text)
    home_district: Mapped[str | None] = mapped_column(Text)
    favourite_sport: Mapped[str | None] = mapped_column(Text)
    sport_achievements: Mapped[str | None] = mapped_column(Text)
    holiday_places: Mapped[str | None] = mapped_column(Text)
    holiday_reasons: Mapped[str | None] = mapped_column(Text)
    how_came_to_business: Mapped[str | None] = mapped_column(Text)
    likes_in_work: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    consent: Mapped[ConsentStatus] = mapped_column(
        text_enum(ConsentStatus, "consent_status"), default=ConsentStatus.UNKNOWN
    )
    consent_at: Mapped[datetime | None]
    do_not_contact: Mapped[bool] = mapped_column(default=False)
    provenance: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime | None]
    updated_by_id: Mapped[int | None] = user_fk()
    version: Mapped[int] = mapped_column(default=1)

    company: Mapped[Company | None] = relationship(back_populates="contacts")

    __mapper_args__ = {"version_id_col": version}


OWNED_BY_COMPANY_OR_CONTACT = "company_id IS NOT NULL OR contact_id IS NOT NULL"


class Phone(Base):
    """A phone of a company or a contact; several per owner."""

    __tablename__ = "phones"
    __table_args__ = (CheckConstraint(OWNED_BY_COMPANY_OR_CONTACT, name="owner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    raw: Mapped[str] = mapped_column(Text)
    e164: Mapped[str | None] = mapped_column(String(20), index=True)
    extension: Mapped[str | None] = mapped_column(String(16))
    kind: Mapped[PhoneKind] = mapped_column(
        text_enum(PhoneKind, "phone_kind"), default=PhoneKind.UNKNOWN
    )
    label: Mapped[str | None] = mapped_column(String(32))
    is_valid: Mapped[bool] = mapped_column(default=False)
    provenance: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = created_at_column()


class Email(Base):
    """An email address of a company or a contact, lower-cased."""

    __tablename__ = "emails"
    __table_args__ = (CheckConstraint(OWNED_BY_COMPANY_OR_CONTACT, name="owner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    address: Mapped[str] = mapped_column(String(320), index=True)
    is_valid: Mapped[bool] = mapped_column(default=False)
    is_freemail: Mapped[bool] = mapped_column(default=False)
    is_role: Mapped[bool] = mapped_column(default=False)
    provenance: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = created_at_column()


class Order(Base):
    """An imported order: feeds RFM and the suggested A-E category."""

    __tablename__ = "orders"
    __table_args__ = (UniqueConstraint("source_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="SET NULL")
    )
    external_id: Mapped[str | None] = mapped_column(String(120))
    ordered_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    profit: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    currency: Mapped[str] = mapped_column(String(3), default="RUB")
    created_at: Mapped[datetime] = created_at_column()


class Signal(Base):
    """A figure about a company from a registry: income, expenses, headcount, size."""

    __tablename__ = "signals"
    __table_args__ = (Index("ix_signals_national_id", "national_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("companies.id", ondelete="SET NULL"), index=True
    )
    national_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32))
    value: Mapped[Decimal | None] = mapped_column(Numeric(20, 2))
    text_value: Mapped[str | None] = mapped_column(Text)
    period: Mapped[str | None] = mapped_column(String(16))
    release_id: Mapped[int | None] = mapped_column(
        ForeignKey("registry_releases.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = created_at_column()


class RegistryRelease(Base):
    """One published release of an official register, imported once."""

    __tablename__ = "registry_releases"

    id: Mapped[int] = mapped_column(primary_key=True)
    register: Mapped[str] = mapped_column(String(32))
    released_on: Mapped[date] = mapped_column(Date)
    structure_version: Mapped[str | None] = mapped_column(String(32))
    file_name: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    rows: Mapped[int] = mapped_column(default=0)
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="SET NULL")
    )
    imported_by_id: Mapped[int | None] = user_fk()
    imported_at: Mapped[datetime] = created_at_column()


class RegistryEntity(Base):
    """An entity of a register, with the releases it was first and last seen in."""

    __tablename__ = "registry_entities"
    __table_args__ = (UniqueConstraint("register", "national_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    register: Mapped[str] = mapped_column(String(32))
    national_id: Mapped[str] = mapped_column(String(32))
    first_release_id: Mapped[int] = mapped_column(
        ForeignKey("registry_releases.id", ondelete="CASCADE")
    )
    last_release_id: Mapped[int] = mapped_column(
        ForeignKey("registry_releases.id", ondelete="CASCADE")
    )
    raw_record_id: Mapped[int | None] = mapped_column(
        ForeignKey("raw_records.id", ondelete="SET NULL")
    )
    content_hash: Mapped[str] = mapped_column(String(64))
    is_new: Mapped[bool] = mapped_column(default=False)
    is_personal_data: Mapped[bool] = mapped_column(default=False)


class CrmLink(Base):
    """Which CRM record a company or contact became, so a re-push updates it."""

    __tablename__ = "crm_links"
    __table_args__ = (
        UniqueConstraint("crm", "company_id"),
        UniqueConstraint("crm", "contact_id"),
        CheckConstraint(OWNED_BY_COMPANY_OR_CONTACT, name="owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    crm: Mapped[CrmSystem] = mapped_column(text_enum(CrmSystem, "crm_system"))
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE")
    )
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE")
    )
    external_id: Mapped[str] = mapped_column(String(64))
    payload_hash: Mapped[str | None] = mapped_column(String(64))
    pushed_at: Mapped[datetime] = created_at_column()


class Reminder(Base):
    """A birthday or a next-contact date for an owner to act on."""

    __tablename__ = "reminders"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ReminderKind] = mapped_column(text_enum(ReminderKind, "reminder_kind"))
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    owner_id: Mapped[int | None] = user_fk()
    due_on: Mapped[date] = mapped_column(Date, index=True)
    note: Mapped[str | None] = mapped_column(Text)
    is_done: Mapped[bool] = mapped_column(default=False)
    done_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime | None]
    updated_by_id: Mapped[int | None] = user_fk()
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


# --- compliance ---------------------------------------------------------------------


class Export(Base):
    """An export of the base: who took what, in which format, how many rows."""

    __tablename__ = "exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = user_fk()
    actor: Mapped[str] = mapped_column(String(120))
    file_format: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(Text)
    filters: Mapped[dict[str, Any]] = mapped_column(default=dict)
    rows: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = created_at_column()


class Suppression(Base):
    """A salted hash of an erased phone, email or INN: never import it again."""

    __tablename__ = "suppressions"
    __table_args__ = (UniqueConstraint("kind", "value_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[SuppressionKind] = mapped_column(
        text_enum(SuppressionKind, "suppression_kind")
    )
    value_hash: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(Text)
    erasure_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("erasure_requests.id", ondelete="SET NULL")
    )
    created_by_id: Mapped[int | None] = user_fk()
    created_at: Mapped[datetime] = created_at_column()


class ErasureRequest(Base):
    """A person's request to be erased (152-FZ: answer in 10 working days)."""

    __tablename__ = "erasure_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(Text)
    received_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[ErasureStatus] = mapped_column(
        text_enum(ErasureStatus, "erasure_status"), default=ErasureStatus.RECEIVED
    )
    handled_by_id: Mapped[int | None] = user_fk()
    handled_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()
