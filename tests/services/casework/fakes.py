"""Small stand-ins for register and notifications, for tests that need their answers."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID, uuid4

from fastapi import FastAPI

from shared.contracts.register import PupilFigures, PupilFlags, PupilSummary


def fake_register(pupils: dict[UUID, PupilSummary], allocations: dict[str, list[UUID]]) -> FastAPI:
    app = FastAPI()

    @app.get("/internal/pupils/allocated")
    async def allocated(worker_email: str) -> list[str]:
        return [str(p) for p in allocations.get(worker_email, [])]

    @app.get("/internal/pupils/{pupil_id}/summary")
    async def summary(pupil_id: UUID) -> PupilSummary:
        return pupils[pupil_id]

    @app.get("/internal/pupils/{pupil_id}/figures")
    async def figures(pupil_id: UUID) -> PupilFigures:
        return PupilFigures(pupil_id=pupil_id, from_date=date(2026, 9, 3), to_date=date(2026, 11, 20),
                            possible_sessions=200, attended_sessions=176, authorised_absence_sessions=10,
                            unauthorised_absence_sessions=14, attendance_rate="88.0", absence_rate="12.0",
                            persistent_absence=True, severe_absence=False, band="amber")

    @app.get("/internal/pupils/{pupil_id}/marks")
    async def marks(pupil_id: UUID) -> list[dict[str, object]]:
        return [{"session_date": "2026-11-20", "session": "AM", "code": "N", "category": "unauthorised_absence"},
                {"session_date": "2026-11-20", "session": "PM", "code": "/", "category": "present"}]

    return app


def fake_notifications() -> FastAPI:
    app = FastAPI()

    @app.get("/internal/pupils/{pupil_id}/notifications")
    async def sent(pupil_id: UUID) -> list[dict[str, object]]:
        return [{"notification_id": str(uuid4()), "idempotency_key": f"journey-{pupil_id}:n:1",
                 "template": "unexplained_absence_social_worker", "template_version": "1",
                 "recipient_role": "social_worker", "recipient_name": "Helen Carter", "channel": "email",
                 "status": "sent", "subject": "Unexplained absence today", "created_at": datetime.now(UTC).isoformat()}]

    return app


def summary_for(pupil_id: UUID, school_urn: str = "900001", name: str = "Noah Manual") -> PupilSummary:
    return PupilSummary(pupil_id=pupil_id, school_urn=school_urn, la_code="999", display_name=name,
                        year_group="4", flags=PupilFlags())
