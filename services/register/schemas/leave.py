"""Request and response bodies for leave of absence (reg 11) and temporary part-time timetables (C2)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from services.register.domain.leave import LeaveGround, LeaveStatus, Requester, Weekday
from shared.contracts.register import SessionName


class LeaveRequestIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "ground": "exceptional_circumstances", "start_date": "2027-01-11", "end_date": "2027-01-12",
        "reasons": "Funeral of the pupil's grandfather in Belfast", "requested_by": "parent",
        "requester_name": "Jo Stone"}]})

    ground: LeaveGround = Field(description="exceptional_circumstances (C), regulated_performance_or_employment_"
                                            "abroad (C1), interview (J1) or study_leave (S); a part-time timetable "
                                            "(C2) is agreed through /part-time-timetables")
    start_date: date
    start_session: SessionName = SessionName.AM
    end_date: date
    end_session: SessionName = SessionName.PM
    reasons: str = Field(min_length=3, max_length=4000)
    requested_by: Requester = Field(description="parent (a parent the pupil normally lives with) or school")
    requester_name: str = Field(min_length=1, max_length=200)
    requested_on: date | None = Field(default=None, description="When the request was made (default today)")


class LeaveDecisionIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"decision": "refused", "notes": "A term-time holiday is not an exceptional circumstance"}]})

    decision: LeaveStatus = Field(description="granted or refused")
    notes: str | None = Field(default=None, max_length=4000)


class LeaveRequestView(BaseModel):
    id: UUID
    pupil_id: UUID
    ground: LeaveGround
    code: str
    start_date: date
    start_session: SessionName
    end_date: date
    end_session: SessionName
    reasons: str
    requested_by: Requester
    requester_name: str
    requested_on: date
    status: LeaveStatus
    recorded_by_name: str
    recorded_by_position: str
    decided_at: datetime | None
    decided_by_name: str | None
    decided_by_position: str | None
    decision_notes: str | None
    prefilled_sessions: int = Field(0, description="Marks the grant wrote for sessions of the leave not yet marked")


class AbsentSession(BaseModel):
    weekday: Weekday
    session: SessionName


class PartTimeTimetableIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "start_date": "2026-11-23", "end_date": "2027-01-29", "review_date": "2026-12-11",
        "agreed_times": "Mornings only, 8:45 to 12:15, Monday to Friday",
        "absent_sessions": [{"weekday": d, "session": "PM"}
                            for d in ("monday", "tuesday", "wednesday", "thursday", "friday")],
        "reasons": "Phased return after a long illness; plan agreed with the school nurse",
        "parent_name": "Jo Stone", "parent_agreed_on": "2026-11-20"}]})

    start_date: date
    end_date: date
    review_date: date
    agreed_times: str = Field(min_length=3, max_length=2000)
    absent_sessions: list[AbsentSession] = Field(min_length=1, max_length=10, description=(
        "The sessions, by weekday, the pupil is not expected in school (recorded as C2)"))
    reasons: str = Field(min_length=3, max_length=4000)
    parent_name: str = Field(min_length=1, max_length=200,
                             description="The parent the pupil lives with who agreed (as on the admission register)")
    parent_agreed_on: date


class PartTimeReviewIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "reviewed_on": "2026-12-11", "notes": "Afternoons on Monday and Tuesday from January",
        "next_review_date": "2027-01-15"}]})

    reviewed_on: date
    notes: str = Field(min_length=3, max_length=4000)
    next_review_date: date
    end_date: date | None = Field(default=None, description="Bring the end of the agreement forward")


class PartTimeTimetableView(BaseModel):
    id: UUID
    pupil_id: UUID
    school_urn: str
    start_date: date
    end_date: date
    review_date: date
    agreed_times: str
    absent_sessions: list[AbsentSession]
    reasons: str
    parent_name: str
    parent_agreed_on: date
    recorded_by_name: str
    recorded_by_position: str
    last_reviewed_on: date | None
    review_notes: str | None


class PartTimeDueForReview(BaseModel):
    """An agreement still running whose review date has passed or is near (no names: the pupil's id only)."""

    agreement: PartTimeTimetableView
    display_name: str
    year_group: str
    overdue: bool
