"""Register's internal API for other services, and the schema agreeing with the migrations."""

from __future__ import annotations

import httpx
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from services.register.main import MIGRATIONS_DIR
from services.register.models import Base
from services.register.settings import RegisterSettings
from shared.auth import Role
from shared.clients.register import RegisterClient
from shared.contracts.register import PupilContacts
from shared.db import run_migrations, sync_url
from tests.services.register.conftest import LA_CODE, SCHOOL_URN, RegisterHarness
from tests.services.register.test_outbox import MONDAY, SOCIAL_WORKER
from tests.support.identities import bearer, token_for

pytestmark = pytest.mark.services


def client_for(register: RegisterHarness, caller: str) -> RegisterClient:
    token = register.service(caller)["Authorization"].removeprefix("Bearer ")
    return RegisterClient("http://test", token, transport=httpx.ASGITransport(app=register.app))


async def test_internal_endpoints_answer_services(register: RegisterHarness) -> None:
    looked_after = await register.admit(social_worker=SOCIAL_WORKER, characteristics={"looked_after": True},
                                        youth_justice_worker={"name": "Owen Fletcher",
                                                              "email": "o.fletcher@yjs.example.gov"})
    await register.admit()
    assert (await register.mark(looked_after["id"], "N", MONDAY)).status_code == 200
    client, notifications = client_for(register, "casework"), client_for(register, "notifications")
    try:
        contacts = await notifications.pupil_contacts(looked_after["id"])
        summary = await client.pupil_summary(looked_after["id"])
        figures = await client.pupil_figures(looked_after["id"], MONDAY, MONDAY)
        marks = await client.pupil_marks(looked_after["id"])
        allocated = await client.allocated_pupils("H.Carter@childrens.example.gov")
        schools = await client.schools()
    finally:
        await client.aclose()
        await notifications.aclose()
    assert isinstance(contacts, PupilContacts)
    assert contacts.school_name == f"School {SCHOOL_URN}"
    assert contacts.la_code == LA_CODE
    assert [p.name for p in contacts.parents] == ["Jo Stone"]
    assert contacts.social_worker is not None
    assert contacts.social_worker.email == SOCIAL_WORKER["email"]
    assert contacts.youth_justice_worker is not None
    assert contacts.virtual_school_head is not None
    assert contacts.virtual_school_head.name == "Vera Head"
    assert contacts.attendance_lead is not None
    assert contacts.attendance_lead.name == "Priya Officer"
    assert contacts.flags.looked_after
    assert contacts.flags.has_social_worker
    assert contacts.flags.has_youth_justice_worker
    assert summary.display_name == "Amelia Stone"
    assert summary.flags.has_social_worker
    assert (figures.possible_sessions, figures.unauthorised_absence_sessions) == (1, 1)
    assert [(m.code, m.category) for m in marks] == [("N", "unauthorised_absence")]
    assert [str(p) for p in allocated] == [looked_after["id"]]
    assert {s.urn for s in schools} == {SCHOOL_URN, "100002"}


async def test_internal_endpoints_refuse_people(register: RegisterHarness) -> None:
    pupil = await register.admit()
    ewo = bearer(token_for(register.platform, Role.LA_EWO, la_code=LA_CODE))
    for path in (f"/internal/pupils/{pupil['id']}/contacts", f"/internal/pupils/{pupil['id']}/summary",
                 f"/internal/pupils/{pupil['id']}/figures", f"/internal/pupils/{pupil['id']}/marks",
                 "/internal/pupils/allocated?worker_email=a@b.example", "/internal/schools"):
        assert (await register.client.get(path, headers=ewo)).status_code == 403, path
        assert (await register.client.get(path, headers=register.officer())).status_code == 403, path
        assert (await register.client.get(path)).status_code == 401, path
    missing = await register.client.get("/internal/pupils/00000000-0000-0000-0000-000000000000/summary",
                                        headers=register.service("casework"))
    assert missing.status_code == 404


async def test_healthz_and_openapi(register: RegisterHarness) -> None:
    health = await register.client.get("/healthz")
    assert health.json() == {"service": "register", "status": "ok", "checks": {"database": "ok"}}
    schema = (await register.client.get("/openapi.json")).json()
    assert "/api/v1/schools/{urn}/sessions/{session_date}/{session}/marks" in schema["paths"]
    assert schema["components"]["schemas"]["BulkMarksRequest"]["examples"]


def test_migrations_match_the_models(register_settings: RegisterSettings) -> None:
    url = register_settings.resolved_database_url
    run_migrations(MIGRATIONS_DIR, url)
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}),
                                    Base.metadata)
    finally:
        engine.dispose()
    # The version table is Alembic's own, not a model.
    assert [d for d in diff if not (d[0] == "remove_table" and d[1].name == "alembic_version_register")] == []


async def test_schools_in_scope(register: RegisterHarness) -> None:
    listed = (await register.client.get("/api/v1/schools", headers=register.officer())).json()
    assert [s["urn"] for s in listed] == [SCHOOL_URN]
    assert listed[0]["am_register_closes"] == "09:00:00"
    ewo = bearer(token_for(register.platform, Role.LA_EWO, la_code=LA_CODE))
    assert len((await register.client.get("/api/v1/schools", headers=ewo)).json()) == 2
    assert (await register.client.get("/api/v1/schools/100002", headers=register.officer())).status_code == 403
    assert (await register.client.get("/api/v1/schools/999999", headers=register.officer())).status_code == 404
