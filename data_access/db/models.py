"""The fixed part of the schema, as typed SQLAlchemy 2 models.

Indicator values are not here: they are columns of `submissions` and `submission_summary` named
after the indicator codes, added from the catalogue by `data_access.db.value_tables` (see the
README's architecture section). Everything else is a normal typed model.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from data_access.domain.filters import LEVELS
from data_access.domain.province_sets import ProvinceSet

# A sum of counts each up to 2³¹ − 1: 64 bits on PostgreSQL; SQLite's INTEGER is 64-bit already.
SUM_OF_COUNTS = BigInteger().with_variant(Integer(), "sqlite")

CODE_SETS = tuple(s.value for s in ProvinceSet)
PERIOD_KINDS = ("H1", "Y")
ROLES = ("viewer", "secretariat", "admin", "reporter")
# A unit's report entered in the form: draft → submitted → returned | accepted (see reporting).
REPORT_STATES = ("draft", "submitted", "returned", "accepted")
CAMPAIGNS = ("ACTION_MONTH_GE", "DV_MONTH", "IWD_0803", "VWD_2010", "OTHER")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Agency(Base):
    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    active_from: Mapped[dt.date | None]
    active_to: Mapped[dt.date | None]
    successor_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))


class Province(Base):
    """A province in one code set. Codes were reused in 2025, so (code_set, code) is the key."""

    __tablename__ = "provinces"
    __table_args__ = (
        UniqueConstraint("code_set", "code"),
        CheckConstraint(_in("code_set", CODE_SETS), name="ck_province_code_set"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code_set: Mapped[str] = mapped_column(String(8))
    code: Mapped[str] = mapped_column(String(4))
    name: Mapped[str] = mapped_column(String(100))
    short_name: Mapped[str] = mapped_column(String(100))
    slug: Mapped[str] = mapped_column(String(100))
    region_code: Mapped[str] = mapped_column(String(8))
    region_name: Mapped[str] = mapped_column(String(100))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    # The 2025 province this one belongs to (itself for a 2025 row).
    current_id: Mapped[int | None] = mapped_column(ForeignKey("provinces.id"))


class Unit(Base):
    __tablename__ = "units"
    __table_args__ = (
        CheckConstraint(_in("level", LEVELS), name="ck_unit_level"),
        Index("ix_units_agency_level", "agency_id", "level"),
        Index("ix_units_current_province", "current_province_id"),
        Index("ix_units_name", "name"),
        # Units active on a due date: most units of a long history are closed (tracking)
        Index("ix_units_active_to", "active_to"),
        # The units not active on a due date (opened after it: a range of this index; closed
        # before it: one of active_to's), and every unit's cell and dates of activity read from
        # the index alone, to count those active on each due date (tracking)
        Index(
            "ix_units_activity",
            "active_from",
            "active_to",
            "agency_id",
            "province_id",
            "current_province_id",
            "level",
        ),
        # Whether another unit closed into this one (the like-for-like comparison's lines)
        Index("ix_units_successor", "successor_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    # The province as the unit's own records name it, in its own code set...
    province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"))
    # ...and the 2025 province it rolls up to, derived from the mapping so queries need no join.
    current_province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"))
    level: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    active_from: Mapped[dt.date]
    active_to: Mapped[dt.date | None]
    successor_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    # Who to chase for a late report (the registry import fills them).
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(200))
    contact_phone: Mapped[str | None] = mapped_column(String(50))
    # A child that does not report separately: its parent's reporter enters its report too.
    # Server-side default, so the registry's bulk inserts (which name their columns) get it.
    reports_via_parent: Mapped[bool] = mapped_column(default=False, server_default=false())


class UnitSuccession(Base):
    """A unit that ended into another on a date. A merge is several predecessors of one
    successor, a split one predecessor of several; views that follow a unit's history walk it."""

    __tablename__ = "unit_successions"
    __table_args__ = (
        UniqueConstraint("predecessor_id", "successor_id", name="uq_unit_successions_pair"),
        Index("ix_unit_successions_successor", "successor_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    predecessor_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    successor_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    effective_date: Mapped[dt.date]
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("upload_batches.id"), index=True)


class UnitName(Base):
    """A name a unit had until a rename (the unit row holds the current one)."""

    __tablename__ = "unit_names"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    valid_to: Mapped[dt.date]
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("upload_batches.id"), index=True)


class Period(Base):
    __tablename__ = "periods"
    __table_args__ = (CheckConstraint(_in("kind", PERIOD_KINDS), name="ck_period_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(2))
    start_date: Mapped[dt.date]
    end_date: Mapped[dt.date]
    due_date: Mapped[dt.date]


class Indicator(Base):
    """One row of the indicator catalogue: the single source for templates, labels and columns."""

    __tablename__ = "indicators"
    __table_args__ = (
        CheckConstraint("value_type IN ('int', 'decimal')", name="ck_indicator_value_type"),
        CheckConstraint("kind IN ('stock', 'flow')", name="ck_indicator_kind"),
        CheckConstraint("role IS NULL OR role IN ('total', 'female')", name="ck_indicator_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(63), unique=True)
    label_vi: Mapped[str] = mapped_column(String(300))
    label_en: Mapped[str | None] = mapped_column(String(300))
    section: Mapped[str] = mapped_column(String(8))
    pair: Mapped[str | None] = mapped_column(String(56))
    role: Mapped[str | None] = mapped_column(String(8))
    value_type: Mapped[str] = mapped_column(String(8))
    agency_code: Mapped[str | None] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(8))
    unit_vi: Mapped[str | None] = mapped_column(String(50))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(default=True)


class UploadBatch(Base):
    __tablename__ = "upload_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    user_name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    inserted: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    rejected: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(16), default="committed")
    rolled_back_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Submission(Base):
    """One unit's report for one period. Indicator columns are added from the catalogue."""

    __tablename__ = "submissions"
    __table_args__ = (
        UniqueConstraint("unit_id", "period_id", name="uq_submission_unit_period"),
        Index("ix_submissions_period_unit", "period_id", "unit_id"),
        # The late reports of a period, read without the wide rows (queries.tracking).
        Index("ix_submissions_period_received", "period_id", "received_at", "unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"))
    report_date: Mapped[dt.date | None]
    received_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("upload_batches.id"), index=True)
    assessment: Mapped[str | None] = mapped_column(Text)
    limitations: Mapped[str | None] = mapped_column(Text)
    plan: Mapped[str | None] = mapped_column(Text)
    recommendations: Mapped[str | None] = mapped_column(Text)


class SubmissionRevision(Base):
    """The state of a submission before a batch changed it (None: it did not exist)."""

    __tablename__ = "submission_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("upload_batches.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"))
    submission_id: Mapped[int | None] = mapped_column(Integer, index=True)
    previous: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ActivityRevision(Base):
    """The state of a campaign activity before a batch changed it."""

    __tablename__ = "activity_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("upload_batches.id"), index=True)
    activity_id: Mapped[int] = mapped_column(Integer, index=True)
    previous: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class RegistryRevision(Base):
    """An agency or unit as it was before a registry batch changed it (None: the batch made it)."""

    __tablename__ = "registry_revisions"
    __table_args__ = (
        CheckConstraint("entity IN ('agency', 'unit')", name="ck_registry_revision_entity"),
        Index("ix_registry_revisions_entity", "entity", "entity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("upload_batches.id"), index=True)
    entity: Mapped[str] = mapped_column(String(8))
    entity_id: Mapped[int] = mapped_column(Integer)
    previous: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class SubmissionSummary(Base):
    """Sums of every indicator by period × agency × province × level, refreshed on write.

    Dashboards read this table (thousands of rows) instead of scanning a million submissions.
    """

    __tablename__ = "submission_summary"

    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"), primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), primary_key=True)
    province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"), primary_key=True)
    level: Mapped[str] = mapped_column(String(16), primary_key=True)
    current_province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"))
    n_submissions: Mapped[int] = mapped_column(Integer)
    # Units whose key leaders include a woman: the Strategy 2021–2030 target counts units.
    n_female_key_leader: Mapped[int] = mapped_column(Integer)
    n_key_leaders_reported: Mapped[int] = mapped_column(Integer)
    # Submissions received on a day after the period's due date: the late reports tracking
    # counts over many periods without reading a submission (queries.tracking).
    n_late: Mapped[int] = mapped_column(Integer, server_default="0")


class CampaignActivity(Base):
    __tablename__ = "campaign_activities"
    __table_args__ = (
        UniqueConstraint("unit_id", "campaign", "start_date", "title", name="uq_activity"),
        CheckConstraint(_in("campaign", CAMPAIGNS), name="ck_activity_campaign"),
        Index("ix_activities_start", "start_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    campaign: Mapped[str] = mapped_column(String(20))
    start_date: Mapped[dt.date]
    end_date: Mapped[dt.date]
    activity_type: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(300))
    participants_female: Mapped[int] = mapped_column(Integer, default=0)
    participants_male: Mapped[int] = mapped_column(Integer, default=0)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("upload_batches.id"), index=True)


class AuditLog(Base):
    """Append-only: rows are inserted, never updated or deleted by the application."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_name: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50))
    target: Mapped[str | None] = mapped_column(String(255))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="ck_user_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    failed_attempts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # A reporter's unit: the only one whose reports it sees and enters.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    # Set with an initial or reset password (someone else knows it): changed at first sign-in.
    must_change_password: Mapped[bool] = mapped_column(default=False)


class SignInClient(Base):
    """Failed sign-ins of one client (a browser's address), for its backoff (data_access.auth)."""

    __tablename__ = "sign_in_clients"

    client: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    # No check may start before this: the client's backoff, or a check already in flight.
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_failure_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)


class UserAgency(Base):
    """A user's agency scope; a user with no rows here sees every agency."""

    __tablename__ = "user_agencies"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), primary_key=True)


class Target(Base):
    """A target in %: national (no agency) or an agency's own for a year (Decision 2282)."""

    __tablename__ = "targets"
    # NULLs are distinct in a unique constraint: data_access.targets keeps one national row.
    __table_args__ = (
        UniqueConstraint("measure", "year", "agency_id", name="uq_targets_measure_year_agency"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    measure: Mapped[str] = mapped_column(String(63))
    year: Mapped[int]
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    value_pct: Mapped[float] = mapped_column(Float)
    label_vi: Mapped[str] = mapped_column(String(300))
    source: Mapped[str | None] = mapped_column(String(300))


class IndexWeight(Base):
    """Weight of each domain in the gender-equality index; administrators may change them."""

    __tablename__ = "index_weights"

    domain: Mapped[str] = mapped_column(String(32), primary_key=True)
    label_vi: Mapped[str] = mapped_column(String(100))
    weight: Mapped[float] = mapped_column(Float)


class ActivitySummary(Base):
    """Activities and participants by day × campaign × agency × province × level, refreshed on
    write: the campaign page reads this instead of a million activity rows."""

    __tablename__ = "activity_summary"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign: Mapped[str] = mapped_column(String(20), primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), primary_key=True)
    province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"), primary_key=True)
    level: Mapped[str] = mapped_column(String(16), primary_key=True)
    current_province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"))
    activities: Mapped[int] = mapped_column(Integer)
    participants_female: Mapped[int] = mapped_column(SUM_OF_COUNTS)
    participants_male: Mapped[int] = mapped_column(SUM_OF_COUNTS)


class ActivityYearSummary(Base):
    """`activity_summary` without the day: ~10,000 rows at a million activities, so the campaign
    page's totals by campaign, year, agency and province scan a fourteenth of the day summary."""

    __tablename__ = "activity_year_summary"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign: Mapped[str] = mapped_column(String(20), primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), primary_key=True)
    province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"), primary_key=True)
    level: Mapped[str] = mapped_column(String(16), primary_key=True)
    current_province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"))
    activities: Mapped[int] = mapped_column(Integer)
    participants_female: Mapped[int] = mapped_column(SUM_OF_COUNTS)
    participants_male: Mapped[int] = mapped_column(SUM_OF_COUNTS)


class UnitActivitySummary(Base):
    """Activities and participants by unit and year, refreshed with `activity_summary`: "most
    active units" sorts ~50,000 rows of one year by an index instead of grouping its activities."""

    __tablename__ = "unit_activity_summary"
    __table_args__ = (Index("ix_unit_activity_year_activities", "year", "activities"),)

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    activities: Mapped[int] = mapped_column(Integer)
    participants_female: Mapped[int] = mapped_column(SUM_OF_COUNTS)
    participants_male: Mapped[int] = mapped_column(SUM_OF_COUNTS)


class Report(Base):
    """A unit's report entered in the form, as typed (texts by field), until and after its
    acceptance; accepted figures are written to `submissions` through the upload write path."""

    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("unit_id", "period_id", name="uq_report_unit_period"),
        CheckConstraint(_in("state", REPORT_STATES), name="ck_report_state"),
        # The secretariat's queue: submitted reports of a period.
        Index("ix_reports_state_period", "state", "period_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"))
    state: Mapped[str] = mapped_column(String(12))
    # Field (indicator code or narrative) → the text typed, so a draft keeps what was typed.
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    # I.1's documents issued: [{"number", "date", "summary"}, ...]
    documents: Mapped[list[Any]] = mapped_column(JSON)
    # The documents as last accepted: a reopened report's stay in the exports, as its accepted
    # figures stay on the dashboards, until the corrected report is accepted.
    accepted_documents: Mapped[list[Any] | None] = mapped_column(JSON(none_as_null=True))
    # Indicator code → the number the checks parsed from `fields`, set when the report is
    # submitted: the switch "gồm báo cáo chưa duyệt" sums these in SQL (a typed "1.520" or
    # "12,5" could not be read there the way the upload's parser reads it).
    figures: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    comment: Mapped[str | None] = mapped_column(Text)  # the secretariat's last return or reopen
    # Bumped by every write: a step taken on a version someone else has changed is refused.
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(100))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class ReportEvent(Base):
    """A report's history: every step (save, submit, return, accept, reopen), who and why."""

    __tablename__ = "report_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    user_name: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str | None] = mapped_column(Text)


REMINDER_STATUSES = ("sending", "sent", "failed")


class Reminder(Base):
    """Every reminder e-mail attempted (data_access.reminders): who, when, unit, address, result.

    A row is claimed as `sending` before the message goes out and becomes `sent` or `failed`; the
    partial unique index lets one unit have at most one sending-or-sent row a day, so neither a
    retry nor two senders at once can e-mail it twice that day (a refused message may be retried).
    """

    __tablename__ = "reminders"
    __table_args__ = (
        CheckConstraint(_in("status", REMINDER_STATUSES), name="ck_reminder_status"),
        Index(
            "uq_reminders_unit_day",
            "unit_id",
            "day",
            unique=True,
            sqlite_where=text("status IN ('sending', 'sent')"),
            postgresql_where=text("status IN ('sending', 'sent')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date]  # the sender's calendar day (Vietnam time), the "once a day" unit
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    user_name: Mapped[str] = mapped_column(String(100))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    period_code: Mapped[str] = mapped_column(String(8))
    address: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(String(500))


class UserSession(Base):
    """A signed-in browser (data_access.sessions): only hashes of its secrets are stored.

    `handoff_hash` is the one-time code the page hands to the cookie route; that route then makes
    the cookie's token and stores its hash in `token_hash`."""

    __tablename__ = "user_sessions"
    # Tabs hold a session by id: an id must never come back for a later session (SQLite would
    # otherwise reuse the highest one after a delete).
    __table_args__ = (
        Index("ix_user_sessions_expires_at", "expires_at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    handoff_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    handoff_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
