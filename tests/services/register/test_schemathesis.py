"""Schemathesis on register's OpenAPI document as an authorised caller: no 5xx, responses as documented."""

from __future__ import annotations

from datetime import date, time

import httpx
import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from services.register.dependencies import today
from services.register.domain.upn import make_upn
from services.register.main import create_app
from services.register.models import LocalAuthority, School
from services.register.settings import RegisterSettings
from shared.auth import Role
from shared.db import sync_url
from tests.services.register.conftest import LA_CODE, SCHOOL_URN, TODAY
from tests.services.register.test_school_rules import CALENDAR
from tests.support.api_fuzz import LiveApp, fuzz
from tests.support.identities import bearer, service_headers, token_for

pytestmark = pytest.mark.services

MARKED = date(2026, 11, 19)
# Which service each internal endpoint answers (services/register/api/internal.py).
INTERNAL_CALLERS = {"extract": "returns", "n-marks": "returns", "school-days": "journey-worker",
                    "contacts": "notifications"}


def seed_school(url: str) -> None:
    engine = create_engine(sync_url(url))
    try:
        with Session(engine) as session, session.begin():
            session.add(LocalAuthority(code=LA_CODE, name="Testshire"))
            session.flush()
            session.add(School(urn=SCHOOL_URN, name="Fuzz Primary", phase="primary", la_code=LA_CODE, estab="2001",
                               am_register_opens=time(8, 40), am_register_closes=time(9, 0),
                               pm_register_opens=time(13, 10), pm_register_closes=time(13, 25)))
    finally:
        engine.dispose()


def seed_pupil(url: str, officer: dict[str, str]) -> str:
    """A calendar, a pupil with a mark and an amendment: the pupil routes then answer with real records."""
    with httpx.Client(base_url=url, headers=officer, timeout=30) as client:
        assert client.put(f"/api/v1/schools/{SCHOOL_URN}/calendar/2026", json=CALENDAR).status_code == 200
        admission = {"upn": make_upn(LA_CODE, "2001", 26, 1), "legal_forename": "Ada", "legal_surname": "Fuzz",
                     "date_of_birth": "2016-05-04", "sex": "F", "year_group": "5", "address": "1 Lane",
                     "admission_date": "2026-09-03", "parents": [{"name": "Jo Fuzz", "relationship": "Mother"}]}
        pupil = client.post(f"/api/v1/schools/{SCHOOL_URN}/pupils", json=admission)
        assert pupil.status_code == 201, pupil.text
        pupil_id = str(pupil.json()["id"])
        marked = client.post(f"/api/v1/schools/{SCHOOL_URN}/sessions/{MARKED.isoformat()}/AM/marks",
                             json={"marks": [{"pupil_id": pupil_id, "code": "N"}]})
        assert marked.status_code == 200, marked.text
        amended = client.post(f"/api/v1/pupils/{pupil_id}/marks/{MARKED.isoformat()}/AM/amendments",
                              json={"new_code": "I", "reason": "Parent telephoned"})
        assert amended.status_code == 201, amended.text
    return pupil_id


def test_register_answers_every_operation_as_documented(register_settings: RegisterSettings) -> None:
    seed_school(register_settings.resolved_database_url)
    platform = register_settings.platform
    officer = bearer(token_for(platform, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=[SCHOOL_URN]))

    def headers_for(method: str, path: str) -> dict[str, str]:
        if not path.startswith("/internal/"):
            return officer
        caller = next((c for part, c in INTERNAL_CALLERS.items() if part in path), "casework")
        return service_headers(platform, caller, "register")

    app = create_app(register_settings)
    app.dependency_overrides[today] = lambda: TODAY
    with LiveApp(app) as live:
        pupil_id = seed_pupil(live.url, officer)
        failures = fuzz(app, live.url, headers_for, examples=8,
                        path_parameters={"urn": SCHOOL_URN, "la_code": LA_CODE, "academic_year": 2026,
                                         "pupil_id": pupil_id, "session_date": MARKED.isoformat(),
                                         "session": "AM"})
    assert not failures, "\n".join(failures)
