"""A stand-in for returns' sickness expectations API (shared contract, problem+json refusals, the caller's own
token checked and its scope applied as returns does), which remembers every call casework made to it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

from fastapi import FastAPI, Request

from shared import clock
from shared.auth import LA_ROLES, SCHOOL_ROLES, Identity, Role, verify_token
from shared.contracts.returns import SicknessExpectationIn, SicknessExpectationView
from shared.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, OutOfScope, install_error_handlers
from shared.settings import PlatformSettings

SCHOOL_LAS = {"900001": "999", "900002": "999", "800001": "888"}


@dataclass
class Call:
    method: str
    path: str
    authorization: str
    subject: str
    body: dict[str, Any] | None = None


@dataclass
class FakeReturns:
    platform: PlatformSettings
    # Pupils on each school's register: recording for anyone else is refused on pupil_id, as returns does.
    registers: dict[str, set[UUID]] = field(default_factory=dict)
    expectations: dict[UUID, SicknessExpectationView] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)

    def add(self, urn: str, pupil_id: UUID, grounds: str, *, start: date = date(2027, 3, 1),
            back: date = date(2027, 4, 6),
            recorded_by: str = "demo-officer-millbrook",
            recorded_by_name: str = "Priya Shah") -> SicknessExpectationView:
        view = SicknessExpectationView(id=uuid4(), school_urn=urn, la_code=SCHOOL_LAS[urn], pupil_id=pupil_id,
                                       sickness_start=start, expected_return=back, grounds=grounds,
                                       recorded_by=recorded_by, recorded_by_name=recorded_by_name,
                                       recorded_at=datetime(2027, 2, 26, 9, 30, tzinfo=UTC))
        self.expectations[view.id] = view
        return view

    def app(self) -> FastAPI:
        app = FastAPI()
        install_error_handlers(app)
        base = "/api/v1/schools/{urn}/sickness-expectations"

        async def caller(request: Request, urn: str, *, writing: bool, body: dict[str, Any] | None = None) -> Identity:
            header = request.headers.get("authorization", "")
            try:
                identity: Identity | None = verify_token(header.removeprefix("Bearer "), self.platform)
            except NotAuthenticated:
                identity = None
            self.calls.append(Call(request.method, request.url.path, header,
                                   identity.subject if identity else "", body))
            if identity is None:
                raise NotAuthenticated("Sign in to use this service.")
            if writing and identity.role is Role.DATA_PROTECTION_LEAD:
                raise OutOfScope("The data protection lead may read sickness expectations but not record them.")
            if identity.role in SCHOOL_ROLES and urn in identity.scope.school_urns:
                return identity
            if identity.role in LA_ROLES and SCHOOL_LAS.get(urn) == identity.scope.la_code:
                return identity
            raise OutOfScope("You do not have access to this school's sickness expectations.")

        @app.get(base)
        async def current(urn: str, request: Request) -> list[SicknessExpectationView]:
            await caller(request, urn, writing=False)
            return sorted((e for e in self.expectations.values() if e.school_urn == urn and e.withdrawn_at is None),
                          key=lambda e: e.sickness_start)

        @app.post(base, status_code=201)
        async def record(urn: str, body: SicknessExpectationIn, request: Request) -> SicknessExpectationView:
            identity = await caller(request, urn, writing=True, body=await request.json())
            if body.expected_return <= body.sickness_start:
                raise InvalidInput("The expected return must be after the first day of sickness.",
                                   field="expected_return")
            if body.pupil_id not in self.registers.get(urn, set()):
                raise InvalidInput("That pupil is not on this school's register on the first day of sickness.",
                                   field="pupil_id")
            if any(e.pupil_id == body.pupil_id and e.sickness_start == body.sickness_start and e.withdrawn_at is None
                   for e in self.expectations.values()):
                raise Conflict("An expectation of this pupil's sickness starting on that day is already recorded: "
                               "withdraw it first to record a corrected one.")
            view = SicknessExpectationView(id=uuid4(), school_urn=urn, la_code=SCHOOL_LAS[urn],
                                           pupil_id=body.pupil_id, sickness_start=body.sickness_start,
                                           expected_return=body.expected_return, grounds=body.grounds,
                                           recorded_by=identity.subject, recorded_by_name=identity.name,
                                           recorded_at=clock.now())
            self.expectations[view.id] = view
            return view

        @app.post(f"{base}/{{expectation_id}}/withdraw")
        async def withdraw(urn: str, expectation_id: UUID, request: Request) -> SicknessExpectationView:
            identity = await caller(request, urn, writing=True)
            view = self.expectations.get(expectation_id)
            if view is None or view.school_urn != urn:
                raise NotFound("There is no such sickness expectation at this school.")
            if view.withdrawn_at is not None:
                raise Conflict("This sickness expectation has already been withdrawn.")
            view.withdrawn_at, view.withdrawn_by = clock.now(), identity.subject
            view.withdrawn_by_name = identity.name
            return view

        return app
