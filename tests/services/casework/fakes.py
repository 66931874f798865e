"""Small stand-ins for register and notifications, for tests that need their answers."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

from fastapi import FastAPI, HTTPException, Query

from shared import clock
from shared.contracts.notifications import PreviewRequest, TemplatePreview
from shared.contracts.register import (
    AttendanceChampion,
    PupilFigures,
    PupilFlags,
    PupilSummary,
    SchoolDays,
    SchoolDuties,
    SchoolLaContact,
    SchoolSummary,
)

SCHOOLS = [SchoolSummary(urn="900001", name="Millbrook Primary School", phase="primary", la_code="999"),
           # The LA named its own point of contact for this school (in place of the LA-wide named contact).
           SchoolSummary(urn="900002", name="Harbour View Academy", phase="secondary", la_code="999",
                         la_contact=SchoolLaContact(name="Dev Patel", email="dev.patel@northshire.example.gov")),
           SchoolSummary(urn="800001", name="Elsewhere School", phase="primary", la_code="888")]


def group(name: str, pupils: int, attended: int, possible: int, pa: int, sa: int = 0) -> dict[str, Any]:
    absent = possible - attended
    return {"group": name, "pupils": pupils, "possible_sessions": possible, "attended_sessions": attended,
            "authorised_absence_sessions": absent // 2, "unauthorised_absence_sessions": absent - absent // 2,
            "attendance_rate": f"{attended * 100 / possible:.6f}", "absence_rate": f"{absent * 100 / possible:.6f}",
            "persistent_absence_pupils": pa, "severe_absence_pupils": sa}


def school_figures(urn: str, flagged: list[PupilSummary]) -> dict[str, Any]:
    """Register's SchoolFigures shape, as a service caller gets it (pupil lines included)."""
    return {"urn": urn, "academic_year": 2026, "overall": group("All pupils", 40, 7200, 8000, 6, 1),
            "breakdowns": {"year_group": [group("4", 20, 3700, 4000, 2), group("5", 20, 3500, 4000, 4, 1)],
                           "sen": [group("EHCP", 3, 500, 600, 2, 1), group("No SEN", 37, 6700, 7400, 4)]},
            "persistent_absentees": [{"pupil_id": str(p.pupil_id), "school_urn": urn, "display_name": p.display_name,
                                      "year_group": p.year_group, "possible_sessions": 200,
                                      "attendance_rate": "84.500000", "severe_absence": False} for p in flagged],
            "at_risk": []}


def weekdays(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)
            if (first + timedelta(days=i)).weekday() < 5]


def fake_register(pupils: dict[UUID, PupilSummary], allocations: dict[str, list[UUID]],
                  families: dict[UUID, list[PupilSummary]] | None = None,
                  upns: dict[UUID, str] | None = None,
                  parents: dict[UUID, list[dict[str, Any]]] | None = None) -> FastAPI:
    app = FastAPI()
    families = families or {}
    upns = upns or {}
    parents = parents if parents is not None else {}

    @app.get("/api/v1/pupils/{pupil_id}")
    async def admission_entry(pupil_id: UUID) -> dict[str, Any]:
        # Register's admission entry, as far as casework reads it (the UPN and the parents' needs).
        if pupil_id not in upns and pupil_id not in pupils and pupil_id not in parents:
            raise HTTPException(404, "no such pupil")
        return {"id": str(pupil_id), "upn": upns.get(pupil_id), "legal_surname": "Example",
                "contacts": parents.get(pupil_id, [])}

    @app.get("/internal/schools")
    async def schools() -> list[SchoolSummary]:
        return SCHOOLS

    @app.get("/internal/schools/{urn}/duties")
    async def duties(urn: str) -> SchoolDuties:
        school = next((s for s in SCHOOLS if s.urn == urn), None)
        if school is None:
            raise HTTPException(404, "no such school")
        champion = AttendanceChampion(name="Grace Adeyemi", role="Deputy headteacher",
                                      email="g.adeyemi@millbrook.example.org") if urn == "900001" else None
        return SchoolDuties(urn=urn, name=school.name, la_code=school.la_code, independent=school.independent,
                            attendance_policy=None, attendance_champion=champion, la_contact=school.la_contact)

    @app.get("/internal/schools/{urn}/figures")
    async def figures_of_school(urn: str, academic_year: int | None = None) -> dict[str, Any]:
        return school_figures(urn, [p for p in pupils.values() if p.school_urn == urn])

    @app.get("/internal/pupils/{pupil_id}/family")
    async def family(pupil_id: UUID) -> list[PupilSummary]:
        if pupil_id not in families:
            raise HTTPException(404, "no such pupil")
        return families[pupil_id]

    @app.get("/internal/pupils/allocated")
    async def allocated(worker_email: str) -> list[str]:
        return [str(p) for p in allocations.get(worker_email, [])]

    @app.get("/internal/pupils/{pupil_id}/summary")
    async def summary(pupil_id: UUID) -> PupilSummary:
        if pupil_id not in pupils:
            raise HTTPException(404, "no such pupil")
        return pupils[pupil_id]

    @app.get("/internal/pupils/{pupil_id}/figures")
    async def figures(pupil_id: UUID, from_date: date | None = Query(None, alias="from"),
                      to_date: date | None = Query(None, alias="to")) -> PupilFigures:
        if from_date is None or to_date is None:
            return PupilFigures(pupil_id=pupil_id, from_date=date(2026, 9, 3), to_date=date(2026, 11, 20),
                                possible_sessions=200, attended_sessions=176, authorised_absence_sessions=10,
                                unauthorised_absence_sessions=14, attendance_rate="88.0", absence_rate="12.0",
                                persistent_absence=True, severe_absence=False, band="amber")
        # Over a range (the fast track window): the same 14 unauthorised sessions, two sessions a weekday.
        possible = 2 * len(weekdays(from_date, to_date))
        return PupilFigures(pupil_id=pupil_id, from_date=from_date, to_date=to_date, possible_sessions=possible,
                            attended_sessions=possible - 14, authorised_absence_sessions=0,
                            unauthorised_absence_sessions=14, attendance_rate="80.0", absence_rate="20.0",
                            persistent_absence=True, severe_absence=False, band="red")

    @app.get("/internal/schools/{urn}/school-days")
    async def school_days(urn: str, from_date: date = Query(alias="from"),
                          to_date: date = Query(alias="to")) -> SchoolDays:
        return SchoolDays(school_urn=urn, from_date=from_date, to_date=to_date, known_until=to_date,
                          school_days=weekdays(from_date, to_date))

    @app.get("/internal/pupils/{pupil_id}/marks")
    async def marks(pupil_id: UUID) -> list[dict[str, object]]:
        return [{"session_date": "2026-11-20", "session": "AM", "code": "N", "category": "unauthorised_absence"},
                {"session_date": "2026-11-20", "session": "PM", "code": "\\", "category": "present"}]

    return app


def fake_notifications(previews: list[PreviewRequest] | None = None, status: str = "sent") -> FastAPI:
    """Notifications' read side (one message about each pupil, in `status`); previews it rendered are appended to
    `previews`."""
    app = FastAPI()
    previews = previews if previews is not None else []
    # Pupils whose message status moved, one status event each (its id is its place here, from 1).
    app.state.moved = []

    @app.get("/internal/status-changes")
    async def status_changes(after_time: str, after_event: int = 0) -> dict[str, object]:
        moved: list[UUID] = app.state.moved
        if after_event >= len(moved):
            return {"pupil_ids": [], "through": None, "more": False}
        return {"pupil_ids": [str(p) for p in dict.fromkeys(moved[after_event:])], "more": False,
                "through": {"occurred_at": clock.now().isoformat(), "event_id": len(moved)}}

    @app.get("/internal/pupils/{pupil_id}/notifications")
    async def sent(pupil_id: UUID) -> list[dict[str, object]]:
        return [{"notification_id": str(uuid4()), "idempotency_key": f"journey-{pupil_id}:n:1",
                 "template": "unexplained_absence_social_worker", "template_version": "1",
                 "recipient_role": "social_worker", "recipient_name": "Helen Carter", "channel": "email",
                 "status": status, "subject": "Unexplained absence today", "created_at": clock.now().isoformat()}]

    @app.get("/internal/templates")
    async def templates() -> list[dict[str, object]]:
        return [{"template": "meeting_invitation_parent", "label": "Attendance meeting invitation",
                 "template_version": "1", "recipient_role": "parents", "channels": ["email", "letter"],
                 "required_context": ["meeting_date", "meeting_time", "meeting_place"]},
                {"template": "traffic_light_letter_parent", "label": "Half-term attendance letter",
                 "template_version": "1", "recipient_role": "parents", "channels": ["email", "letter"],
                 "required_context": ["band", "attendance_rate", "possible_sessions", "absence_sessions",
                                      "period_start", "period_end"]}]

    @app.post("/internal/previews")
    async def preview(body: PreviewRequest) -> TemplatePreview:
        required = {"meeting_invitation_parent": ["meeting_date", "meeting_time", "meeting_place"],
                    "traffic_light_letter_parent": ["band", "attendance_rate", "period_start"]}[body.template]
        missing = [n for n in required if n not in body.context]
        if missing:
            raise HTTPException(422, f"Missing context for {body.template}: {', '.join(missing)}")
        previews.append(body)
        lines = "\n".join(f"{k}: {v}" for k, v in sorted(body.context.items()))
        return TemplatePreview(template=body.template, template_version="1", recipient_name="Dana Example",
                               subject=f"Preview of {body.template}", body_text=f"Dear Dana Example,\n{lines}",
                               body_html="<p>Dear Dana Example</p>")

    return app


def summary_for(pupil_id: UUID, school_urn: str = "900001", name: str = "Noah Manual", la_code: str = "999",
                looked_after: bool = False) -> PupilSummary:
    return PupilSummary(pupil_id=pupil_id, school_urn=school_urn, la_code=la_code, display_name=name,
                        year_group="4", flags=PupilFlags(looked_after=looked_after))
