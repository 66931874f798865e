"""Register tables: the LA, schools, the admission register (pupils, contacts), marks with their amendment
history, leave of absence and part-time timetables, and the transactional outbox."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ColumnElement,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    Uuid,
    cast,
    func,
    literal_column,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import TimestampMixin, UtcDateTime, make_metadata, new_id, utcnow
from shared.retention import RetentionRunColumns


class Base(DeclarativeBase):
    metadata = make_metadata()


class LocalAuthority(TimestampMixin, Base):
    __tablename__ = "local_authority"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # The virtual school head must hear about looked-after pupils (rules.md section 12).
    virtual_school_head_name: Mapped[str | None] = mapped_column(String(200))
    virtual_school_head_email: Mapped[str | None] = mapped_column(String(320))
    virtual_school_head_phone: Mapped[str | None] = mapped_column(String(40))


class School(TimestampMixin, Base):
    __tablename__ = "school"
    __table_args__ = (
        CheckConstraint("am_register_closes > am_register_opens", name="am_register_window"),
        CheckConstraint("pm_register_closes > pm_register_opens", name="pm_register_window"),
    )

    urn: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    phase: Mapped[str] = mapped_column(String(20))
    la_code: Mapped[str] = mapped_column(ForeignKey("local_authority.code"), index=True)
    estab: Mapped[str] = mapped_column(String(4))
    # Independent schools are in the DfE daily share only when returns is told so (rules.md s9 [L]).
    independent: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # Open no more than 30 minutes (rules.md section 3); checked by the service on every change.
    am_register_opens: Mapped[time] = mapped_column(Time)
    am_register_closes: Mapped[time] = mapped_column(Time)
    pm_register_opens: Mapped[time] = mapped_column(Time)
    pm_register_closes: Mapped[time] = mapped_column(Time)
    attendance_lead_name: Mapped[str | None] = mapped_column(String(200))
    attendance_lead_email: Mapped[str | None] = mapped_column(String(320))
    attendance_lead_phone: Mapped[str | None] = mapped_column(String(40))
    # What the guidance asks of every school and its LA (rules.md s10, "All pupils"): the attendance policy
    # published on the website (its address, next review date and which required items it covers), the senior
    # attendance champion, and the LA's named point of contact for this school.
    attendance_policy_url: Mapped[str | None] = mapped_column(String(2000))
    attendance_policy_review_date: Mapped[date | None] = mapped_column(Date)
    attendance_policy_covers: Mapped[list[str] | None] = mapped_column(JSON)
    attendance_policy_updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    champion_name: Mapped[str | None] = mapped_column(String(200))
    champion_role: Mapped[str | None] = mapped_column(String(200))
    champion_email: Mapped[str | None] = mapped_column(String(320))
    la_contact_name: Mapped[str | None] = mapped_column(String(200))
    la_contact_email: Mapped[str | None] = mapped_column(String(320))
    la_contact_phone: Mapped[str | None] = mapped_column(String(40))


def display_name(preferred_forename: str | None, legal_forename: str, preferred_surname: str | None,
                 legal_surname: str) -> str:
    """The name a pupil goes by (also for lists read as rows, without the Pupil)."""
    return f"{preferred_forename or legal_forename} {preferred_surname or legal_surname}"


class Pupil(TimestampMixin, Base):
    """One entry of a school's admission register."""

    __tablename__ = "pupil"
    __table_args__ = (Index("ix_pupil_school_urn_on_roll", "school_urn", "on_roll"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    school_urn: Mapped[str] = mapped_column(ForeignKey("school.urn"))
    upn: Mapped[str] = mapped_column(String(13), index=True)
    legal_forename: Mapped[str] = mapped_column(String(100))
    legal_middle_names: Mapped[str | None] = mapped_column(String(200))
    legal_surname: Mapped[str] = mapped_column(String(100))
    preferred_forename: Mapped[str | None] = mapped_column(String(100))
    preferred_surname: Mapped[str | None] = mapped_column(String(100))
    date_of_birth: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(1))
    year_group: Mapped[str] = mapped_column(String(3))
    address: Mapped[str] = mapped_column(Text)
    postcode: Mapped[str | None] = mapped_column(String(10))
    admission_date: Mapped[date] = mapped_column(Date)
    previous_school: Mapped[str | None] = mapped_column(String(200))
    boarder: Mapped[bool] = mapped_column(Boolean, default=False)
    gp_details: Mapped[str | None] = mapped_column(Text)
    on_roll: Mapped[bool] = mapped_column(Boolean, default=True)
    leaving_date: Mapped[date | None] = mapped_column(Date)

    free_school_meals: Mapped[bool] = mapped_column(Boolean, default=False)
    pupil_premium: Mapped[bool] = mapped_column(Boolean, default=False)
    sen_support: Mapped[bool] = mapped_column(Boolean, default=False)
    ehcp: Mapped[bool] = mapped_column(Boolean, default=False)
    looked_after: Mapped[bool] = mapped_column(Boolean, default=False)
    previously_looked_after: Mapped[bool] = mapped_column(Boolean, default=False)
    child_in_need: Mapped[bool] = mapped_column(Boolean, default=False)
    child_protection_plan: Mapped[bool] = mapped_column(Boolean, default=False)
    young_carer: Mapped[bool] = mapped_column(Boolean, default=False)
    ethnicity: Mapped[str | None] = mapped_column(String(4))
    eal: Mapped[bool] = mapped_column(Boolean, default=False)
    medical_condition: Mapped[bool] = mapped_column(Boolean, default=False)
    individual_healthcare_plan: Mapped[bool] = mapped_column(Boolean, default=False)

    @property
    def display_name(self) -> str:
        return display_name(self.preferred_forename, self.legal_forename, self.preferred_surname,
                            self.legal_surname)

    @property
    def legal_name(self) -> str:
        middle = f" {self.legal_middle_names}" if self.legal_middle_names else ""
        return f"{self.legal_forename}{middle} {self.legal_surname}"


class ContactKind:
    PARENT = "parent"
    EMERGENCY = "emergency"
    SOCIAL_WORKER = "social_worker"
    YOUTH_JUSTICE_WORKER = "youth_justice_worker"


class PupilContact(TimestampMixin, Base):
    """A parent or carer, emergency contact or professional who works with the pupil."""

    __tablename__ = "pupil_contact"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    pupil_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pupil.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(200))
    relationship: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(Text)
    parental_responsibility: Mapped[bool] = mapped_column(Boolean, default=False)
    lives_with_pupil: Mapped[bool] = mapped_column(Boolean, default=False)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    # How a parent wants letters: their language (ISO 639-1) and any accessible format they need.
    preferred_language: Mapped[str] = mapped_column(String(2), default="en", server_default="en")
    accessible_format: Mapped[str] = mapped_column(String(20), default="standard", server_default="standard")


class AttendanceMark(Base):
    """The current entry for one pupil and session; earlier entries live on in mark_amendment."""

    __tablename__ = "attendance_mark"
    __table_args__ = (
        UniqueConstraint("pupil_id", "session_date", "session"),
        CheckConstraint("session IN ('AM', 'PM')", name="session_name"),
        Index("ix_attendance_mark_school_session", "school_urn", "session_date", "session"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    pupil_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pupil.id"))
    school_urn: Mapped[str] = mapped_column(ForeignKey("school.urn"))
    session_date: Mapped[date] = mapped_column(Date)
    session: Mapped[str] = mapped_column(String(2))
    code: Mapped[str] = mapped_column(String(2))
    minutes_late: Mapped[int | None] = mapped_column(Integer)
    recorded_by_name: Mapped[str] = mapped_column(String(200))
    recorded_by_role: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    amendment_count: Mapped[int] = mapped_column(Integer, default=0)


class MarkAmendment(Base):
    """One correction of a mark: what it was, what it became, why, when and by whom (never deleted)."""

    __tablename__ = "mark_amendment"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    mark_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attendance_mark.id"), index=True)
    original_code: Mapped[str] = mapped_column(String(2))
    original_minutes_late: Mapped[int | None] = mapped_column(Integer)
    new_code: Mapped[str] = mapped_column(String(2))
    new_minutes_late: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    amended_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    amended_by_name: Mapped[str] = mapped_column(String(200))
    amended_by_position: Mapped[str] = mapped_column(String(100))


class OutboxEvent(Base):
    """An event written in the same transaction as the fact it reports; the relay delivers it to casework."""

    __tablename__ = "outbox_event"
    __table_args__ = (Index("ix_outbox_event_undelivered", "delivered_at", "sequence"),)

    # Delivery order; an integer key so SQLite and PostgreSQL both number rows as they are written.
    sequence: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=new_id)
    event_type: Mapped[str] = mapped_column(String(50))
    pupil_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    # A relay claims rows for a short lease so that a second relay leaves them alone.
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None] = mapped_column(UtcDateTime())


class SchoolTerm(Base):
    """A term of a school's calendar, with its half-term break (weekends and breaks never meet)."""

    __tablename__ = "school_term"
    __table_args__ = (UniqueConstraint("school_urn", "start_date"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    school_urn: Mapped[str] = mapped_column(ForeignKey("school.urn"), index=True)
    academic_year: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(50))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    half_term_start: Mapped[date | None] = mapped_column(Date)
    half_term_end: Mapped[date | None] = mapped_column(Date)


class SchoolClosure(Base):
    """A planned closure (recorded as #) of a whole day or one session."""

    __tablename__ = "school_closure"
    __table_args__ = (UniqueConstraint("school_urn", "closure_date", "session"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    school_urn: Mapped[str] = mapped_column(ForeignKey("school.urn"), index=True)
    closure_date: Mapped[date] = mapped_column(Date)
    session: Mapped[str | None] = mapped_column(String(2))
    reason: Mapped[str] = mapped_column(String(200), default="")


class PupilTally(Base):
    """Running session counts per pupil and academic year, kept in step with the marks in the same
    transaction so that figures and threshold crossings never rescan the register."""

    __tablename__ = "pupil_tally"
    # Room on each page for the new versions every session's counter updates make (migration b7e4d2a9c315 sets it
    # on existing databases).
    __table_args__ = ({"postgresql_with": {"fillfactor": 75}},)

    pupil_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pupil.id"), primary_key=True)
    academic_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    school_urn: Mapped[str] = mapped_column(ForeignKey("school.urn"), index=True)
    possible: Mapped[int] = mapped_column(Integer, default=0)
    attended: Mapped[int] = mapped_column(Integer, default=0)
    authorised: Mapped[int] = mapped_column(Integer, default=0)
    unauthorised: Mapped[int] = mapped_column(Integer, default=0)
    not_counted: Mapped[int] = mapped_column(Integer, default=0)
    illness: Mapped[int] = mapped_column(Integer, default=0)
    not_established: Mapped[int] = mapped_column(Integer, default=0)
    # The last status reported through the outbox, so only crossings become events.
    persistent_absence: Mapped[bool] = mapped_column(Boolean, default=False)
    severe_absence: Mapped[bool] = mapped_column(Boolean, default=False)
    at_risk: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    penalty_threshold_met: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    continuous_unauthorised: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    illness_days_reached: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


def attendance_rate() -> ColumnElement[float]:
    """A tally's attendance as a double (none without possible sessions): the key the LA's paged lists sort on,
    written exactly as their indexes are, so that the database reads a page in index order."""
    # The operator spelled out: SQLAlchemy's own division would cast the divisor to NUMERIC, an expression the
    # migration's index does not have.
    divide = cast(PupilTally.attended, Float).op("/", return_type=Float)
    return divide(func.nullif(PupilTally.possible, literal_column("0")))


# The LA's paged lists (persistently absent, severe among them, and at risk) read a page in the order of these
# partial indexes: lowest attendance first, then pupil id (migration 5d2b9e7f4a10). A page at 150,000 pupils
# takes about 2 ms, where sorting the LA's 31,000 flagged tallies took about 30. The price: their key holds the
# counters, so a session's counter update is no longer heap-only. Measured in PostgreSQL alone, 30,000 tally
# updates went from about 0.36 s to 0.67 s: about 4% of the same session written through the API (reckoned; the
# API's own runs differed by less than their noise).
Index("ix_pupil_tally_persistent_by_attendance", PupilTally.academic_year, attendance_rate(), PupilTally.pupil_id,
      postgresql_where=PupilTally.persistent_absence, sqlite_where=text("persistent_absence = 1"))
Index("ix_pupil_tally_at_risk_by_attendance", PupilTally.academic_year, attendance_rate(), PupilTally.pupil_id,
      postgresql_where=PupilTally.at_risk, sqlite_where=text("at_risk = 1"))


class PupilDeletion(Base):
    """A deletion from the admission register on a regulation 9 ground: pending until its date, never undone."""

    __tablename__ = "pupil_deletion"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    pupil_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pupil.id"), index=True)
    ground: Mapped[str] = mapped_column(String(10))
    deletion_date: Mapped[date] = mapped_column(Date)
    details: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    recorded_by_name: Mapped[str] = mapped_column(String(200))
    recorded_by_position: Mapped[str] = mapped_column(String(100))
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Where the pupil went, when the school knows: the Common Transfer File is addressed to it (else to the
    # destination-unknown addressing). A URN the register knows gives the LA and establishment numbers.
    new_school_urn: Mapped[str | None] = mapped_column(String(6))
    new_school_laestab: Mapped[str | None] = mapped_column(String(7))
    new_school_name: Mapped[str | None] = mapped_column(String(200))
    # Where the pupil goes (the new school's URN or name), "unknown", or None when not recorded.
    destination: Mapped[str | None] = mapped_column(String(200))


class LeaveRequest(Base):
    """A request for leave of absence (reg 11): made by a parent or recorded by the school, then granted or refused
    by a person the proprietor authorises."""

    __tablename__ = "leave_request"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    pupil_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pupil.id"), index=True)
    school_urn: Mapped[str] = mapped_column(ForeignKey("school.urn"), index=True)
    ground: Mapped[str] = mapped_column(String(60))
    code: Mapped[str] = mapped_column(String(2))
    start_date: Mapped[date] = mapped_column(Date)
    start_session: Mapped[str] = mapped_column(String(2))
    end_date: Mapped[date] = mapped_column(Date)
    end_session: Mapped[str] = mapped_column(String(2))
    reasons: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(20))
    requester_name: Mapped[str] = mapped_column(String(200))
    requested_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="requested")
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    recorded_by_name: Mapped[str] = mapped_column(String(200))
    recorded_by_position: Mapped[str] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    decided_by_name: Mapped[str | None] = mapped_column(String(200))
    decided_by_position: Mapped[str | None] = mapped_column(String(100))
    decision_notes: Mapped[str | None] = mapped_column(Text)
    # Refused leave taken anyway is reported to casework once per request, not once per G session.
    taken_reported_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class PartTimeTimetable(Base):
    """A temporary part-time timetable agreed with a parent the pupil lives with: C2 only inside it."""

    __tablename__ = "part_time_timetable"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    pupil_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pupil.id"), index=True)
    school_urn: Mapped[str] = mapped_column(ForeignKey("school.urn"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    review_date: Mapped[date] = mapped_column(Date)
    agreed_times: Mapped[str] = mapped_column(Text)
    # [{"weekday": "monday", "session": "PM"}, ...]: the sessions the pupil is not expected in school.
    absent_sessions: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    reasons: Mapped[str] = mapped_column(Text)
    parent_name: Mapped[str] = mapped_column(String(200))
    parent_agreed_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    recorded_by_name: Mapped[str] = mapped_column(String(200))
    recorded_by_position: Mapped[str] = mapped_column(String(100))
    last_reviewed_on: Mapped[date | None] = mapped_column(Date)
    review_notes: Mapped[str | None] = mapped_column(Text)


class PriorAttendance(Base):
    """A pupil's attendance at earlier schools as a Common Transfer File gave it: one row per academic year and
    school (the CTF's YearData), kept as received with the register entry it came in with."""

    __tablename__ = "prior_attendance"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    pupil_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pupil.id"), index=True)
    academic_year: Mapped[int] = mapped_column(Integer)
    la_code: Mapped[str] = mapped_column(String(3))
    estab: Mapped[str] = mapped_column(String(4))
    school_name: Mapped[str | None] = mapped_column(String(200))
    sessions_possible: Mapped[int] = mapped_column(Integer)
    sessions_attended: Mapped[int] = mapped_column(Integer)
    sessions_authorised: Mapped[int] = mapped_column(Integer)
    sessions_unauthorised: Mapped[int] = mapped_column(Integer)
    attendance_start_date: Mapped[date | None] = mapped_column(Date)
    attendance_marks: Mapped[str | None] = mapped_column(Text)
    source_laestab: Mapped[str] = mapped_column(String(7))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class RetentionRun(RetentionRunColumns, Base):
    """One run of the register's retention job: the cut-off and what it removed (no pupil named)."""

    __tablename__ = "retention_run"
