"""A stand-in for register's paged LA lists (GET /api/v1/las/{la_code}/persistent-absentees): 120 persistently
absent pupils at LA 999, 50 a page in register's order, for the LA's officers (and looked-after ones only for its
virtual school head); records who called with which token."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from fastapi import FastAPI, Request

from shared.auth import LA_ROLES, Identity, Role, verify_token
from shared.contracts.register import FlaggedPupilsPage, PupilFlagLine
from shared.errors import DependencyUnavailable, InvalidInput, OutOfScope, install_error_handlers
from shared.settings import PlatformSettings

LA_CODE = "999"
PUPILS = [PupilFlagLine(pupil_id=UUID(int=n + 1), school_urn="900001" if n % 2 else "900002",
                        display_name=f"Pupil {n + 1:03d}", year_group="5", possible_sessions=100,
                        attendance_rate=f"{50 + n * 0.3:.1f}", severe_absence=n < 3) for n in range(120)]
LOOKED_AFTER = {PUPILS[0].pupil_id, PUPILS[7].pupil_id}


@dataclass
class FakeRegisterLists:
    platform: PlatformSettings
    callers: list[str] = field(default_factory=list)
    down: bool = False

    def _caller(self, request: Request) -> Identity:
        identity = verify_token(request.headers.get("authorization", "").removeprefix("Bearer "), self.platform)
        self.callers.append(identity.subject)
        if self.down:
            raise DependencyUnavailable("The register's database did not answer.")
        return identity

    def app(self) -> FastAPI:
        app = FastAPI()
        install_error_handlers(app)

        @app.get("/api/v1/las/{la_code}/persistent-absentees")
        def page(request: Request, la_code: str, severity: str = "persistent", limit: int = 50,
                 after: str | None = None, with_total: bool = False) -> FlaggedPupilsPage:
            identity = self._caller(request)
            if identity.scope.la_code != la_code or identity.role not in LA_ROLES | {Role.VIRTUAL_SCHOOL_HEAD}:
                raise OutOfScope("You do not have access to this local authority's figures.")
            listed = [p for p in PUPILS if severity != "severe" or p.severe_absence]
            if identity.role is Role.VIRTUAL_SCHOOL_HEAD:
                listed = [p for p in listed if p.pupil_id in LOOKED_AFTER]
            start = 0
            if after is not None:
                if not after.startswith("at-"):
                    raise InvalidInput("after is not a cursor this list gave.", field="after")
                start = int(after.removeprefix("at-"))
            shown = listed[start:start + limit]
            more = start + limit < len(listed)
            return FlaggedPupilsPage(la_code=la_code, academic_year=2026, severity=severity,
                                     total=len(listed) if with_total else None, pupils=shown,
                                     next=f"at-{start + limit}" if more else None)

        return app
