"""A stand-in for returns' report API as casework's pages read it (the LA's page and the governor report as JSON,
shared contract, returns' scope rules applied to the caller's own token, problem+json refusals), remembering the
callers. One school's figures are the same on both reports, as returns computes them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

from fastapi import APIRouter, FastAPI, Query, Request

from shared import clock
from shared.auth import LA_ROLES, SCHOOL_ROLES, Identity, Role, verify_token
from shared.contracts.casework import CasesByStage
from shared.contracts.reports import (
    Comparison,
    Compliance,
    GovernorReport,
    GroupFigures,
    LaDashboard,
    LaPage,
    NationalFigure,
    NCodesResolved,
    ReturnsOnTime,
    SameDayAlerts,
    SchoolFigures,
)
from shared.contracts.returns import ReturnKind, ReturnStatus, ReturnSummary
from shared.errors import (
    DependencyUnavailable,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    OutOfScope,
    install_error_handlers,
)
from shared.settings import PlatformSettings

SCHOOLS = {"900001": ("Millbrook Primary School", "999"), "900002": ("Harbour View Academy", "999"),
           "900003": ("Oakfield Special School", "999"), "800001": ("Elsewhere School", "888")}
MINIMUM_GROUP = 5


def figures(urn: str) -> GroupFigures:
    """The school's DfE cohort figures: the same on the LA page and in the governor report."""
    seed = int(urn[-1])
    return GroupFigures(group="All pupils", pupils=30 + seed, possible_sessions=3000 + seed * 100,
                        attendance_rate=f"9{seed}.4", overall_absence_rate=f"{9 - seed}.6",
                        authorised_absence_rate="3.1", unauthorised_absence_rate=f"{6 - seed}.5",
                        persistent_absence_rate=f"1{seed}.3", severe_absence_rate="1.2")


def school_year_start(today: date) -> date:
    return date(today.year if today.month >= 9 else today.year - 1, 9, 1)


@dataclass
class FakeReports:
    platform: PlatformSettings
    # Callers (token subjects) in order; "down" makes every answer a 503, as a returns that cannot read register.
    callers: list[str] = field(default_factory=list)
    down: bool = False

    def _caller(self, request: Request) -> Identity:
        header = request.headers.get("authorization", "")
        try:
            identity = verify_token(header.removeprefix("Bearer "), self.platform)
        except NotAuthenticated:
            self.callers.append("")
            raise
        self.callers.append(identity.subject)
        if self.down:
            raise DependencyUnavailable("Register did not answer, so the report cannot be made.")
        return identity

    @staticmethod
    def _dates(start: date | None, end: date | None, end_field: str) -> tuple[date, date]:
        today = clock.today()
        start, end = start or school_year_start(today), end or today
        if start > end:
            raise InvalidInput("The end date must not be before the start date.", field=end_field)
        return start, end

    def la_page(self, la_code: str, start: date, end: date) -> LaPage:
        urns = [urn for urn, (_, la) in SCHOOLS.items() if la == la_code]
        summary = ReturnSummary(id=uuid4(), la_code=la_code, school_urn=urns[0], kind=ReturnKind.ATTENDANCE,
                                period=f"{start:%Y-%m}", period_start=start, period_end=end,
                                due_date=end + timedelta(days=5), status=ReturnStatus.LATE, row_count=12,
                                generated_at=datetime(2026, 11, 1, 9, tzinfo=UTC))
        board = LaDashboard(
            la_code=la_code, from_date=start, to_date=end, minimum_group=MINIMUM_GROUP,
            area=[GroupFigures(group="All pupils", pupils=99, possible_sessions=9900, attendance_rate="92.0",
                               overall_absence_rate="8.0", authorised_absence_rate="3.0",
                               unauthorised_absence_rate="5.0", persistent_absence_rate="15.2",
                               severe_absence_rate="1.0"),
                  GroupFigures(group="Looked after", pupils=2, suppressed=True)],
            weekly_attendance=[(start, "93.5"), (start + timedelta(days=7), "91.0")],
            absence_by_weekday=[("Monday", "9.5"), ("Friday", "11.0")],
            schools=[SchoolFigures(urn=urn, name=SCHOOLS[urn][0], figures=figures(urn),
                                   overdue_returns=1 if urn == urns[0] else 0) for urn in urns],
            overdue_returns=[summary],
            cases=CasesByStage(la_code=la_code, open_cases=4, by_stage={"persistent_absence": 3,
                                                                          "legal_intervention": 1}))
        compliance = Compliance(
            la_code=la_code, from_date=start, to_date=end,
            returns=[ReturnsOnTime(school_urn=urns[0], kind=ReturnKind.ATTENDANCE, overdue=1)],
            n_codes=[NCodesResolved(school_urn=urns[0], resolved_in_time=3, open_overdue=1)],
            same_day_alerts=[SameDayAlerts(school_urn=urns[0], recipient_role="social_worker", told_same_day=2)])
        return LaPage(dashboard=board, compliance=compliance, returns=[summary])

    def governor_report(self, urn: str, start: date, end: date) -> GovernorReport:
        name, la_code = SCHOOLS[urn]
        national = NationalFigure(group="All pupils", measure="attendance_rate", value="93.1", year="2023/24",
                                  source="DfE pupil absence in schools in England", status="published")
        everyone = figures(urn)
        return GovernorReport(
            school_urn=urn, school_name=name, la_code=la_code, term_start=start, term_end=end,
            generated_on=clock.today(), minimum_group=MINIMUM_GROUP,
            cohorts=[everyone, GroupFigures(group="Free school meals", pupils=3, suppressed=True)],
            la_schools=3,
            comparisons=[Comparison(group="All pupils", measure="attendance_rate", label="Attendance rate",
                                    school=everyone.attendance_rate, la="92.0", national=national)],
            weekly_attendance=[(start, "94.0"), (start + timedelta(days=7), "92.5")])

    def router(self) -> APIRouter:
        router = APIRouter()

        @router.get("/api/v1/las/{la_code}/page")
        async def la_page(la_code: str, request: Request, from_date: date | None = Query(None, alias="from"),
                          to_date: date | None = Query(None, alias="to")) -> LaPage:
            identity = self._caller(request)
            if not (identity.role in LA_ROLES and identity.scope.la_code == la_code):
                raise OutOfScope("Only the local authority's own officers see its dashboard.")
            return self.la_page(la_code, *self._dates(from_date, to_date, "to"))

        @router.get("/api/v1/schools/{urn}/governor-report.json")
        async def governor_report(urn: str, request: Request, term_start: date | None = None,
                                  term_end: date | None = None) -> GovernorReport:
            identity = self._caller(request)
            if urn not in SCHOOLS:
                raise NotFound("The register holds no such school.")
            if identity.role in SCHOOL_ROLES and urn not in identity.scope.school_urns or \
                    identity.role is Role.SOCIAL_WORKER or \
                    not identity.can_see_school_figures(school_urn=urn, la_code=SCHOOLS[urn][1]):
                raise OutOfScope("You do not have access to this school's figures.")
            return self.governor_report(urn, *self._dates(term_start, term_end, "term_end"))

        return router

    def app(self) -> FastAPI:
        app = FastAPI()
        install_error_handlers(app)
        app.include_router(self.router())
        return app
