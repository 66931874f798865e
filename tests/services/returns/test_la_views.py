"""The LA's dashboard and compliance view with the facts other services hold: casework's cases by stage,
register's N marks and notifications' alert timings (answered here by stand-ins speaking the contracts), and
what the LA sees when one of them does not answer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from fastapi import FastAPI, Header, Query
from sqlalchemy import delete

from services.returns import dependencies
from services.returns.main import create_app
from services.returns.models import LaReturn
from services.returns.reports.compliance import compliance, returns_on_time, same_day_alerts
from services.returns.settings import ReturnsSettings
from shared.auth import Role
from shared.contracts.casework import CasesByStage
from shared.contracts.notifications import (
    AlertTiming,
    AlertTimingsRequest,
    DeliveryStatus,
    RecipientRole,
    TemplateName,
)
from shared.contracts.register import NMarkRecord, NResolutionOutcome, SessionName
from shared.contracts.reports import LaPage
from shared.contracts.returns import ReturnKind, ReturnStatus, ReturnSummary
from shared.settings import PlatformSettings
from tests.services.returns.world import World, fake_register
from tests.support.identities import bearer, service_headers, token_for

pytestmark = pytest.mark.services

SW = "social_worker"
VSH = "virtual_school_head"
MONDAY = date(2026, 11, 2)


def n_mark(pupil: UUID, day: date = MONDAY, session: SessionName = SessionName.AM, *,
           outcome: NResolutionOutcome = NResolutionOutcome.RESOLVED_IN_TIME,
           recipients: tuple[str, ...] = ()) -> NMarkRecord:
    raised = datetime.combine(day, datetime.min.time(), UTC).replace(hour=9, minute=5) if recipients else None
    return NMarkRecord(pupil_id=pupil, session_date=day, session=session,
                       recorded_at=datetime(2026, 11, 2, 9, tzinfo=UTC),
                       current_code="N" if outcome.value.startswith("open") else "I", resolve_by=date(2026, 11, 9),
                       outcome=outcome, same_day_alert_raised_at=raised, same_day_recipients=list(recipients))


def timing(pupil: UUID, template: TemplateName, sent_at: datetime | None, day: date = MONDAY,
           session: str = "AM") -> AlertTiming:
    role = RecipientRole.SOCIAL_WORKER if "social_worker" in template else RecipientRole.VIRTUAL_SCHOOL_HEAD
    return AlertTiming(notification_id=uuid4(), pupil_id=pupil, template=template, recipient_role=role,
                       session_date=day, session=session, queued_at=datetime(2026, 11, 2, 9, 6, tzinfo=UTC),
                       sent_at=sent_at, status=DeliveryStatus.SENT if sent_at else DeliveryStatus.FAILED)


# --- The measures, as pure functions --------------------------------------------------------------------


def test_same_day_means_the_session_date_in_england() -> None:
    on_time, late_evening, next_day, failed, never, two_roles = (uuid4() for _ in range(6))
    marks = {"900001": [n_mark(p, recipients=(SW,)) for p in (on_time, late_evening, next_day, failed, never)]
             + [n_mark(two_roles, recipients=(SW, VSH))]}
    sw, vsh = TemplateName.UNEXPLAINED_ABSENCE_SOCIAL_WORKER, TemplateName.UNEXPLAINED_ABSENCE_VIRTUAL_SCHOOL_HEAD
    timings = [
        timing(on_time, sw, datetime(2026, 11, 2, 9, 6, tzinfo=UTC)),
        # 23:30 UTC on 2 November is still 2 November in London (GMT); in summer time it would not be.
        timing(late_evening, sw, datetime(2026, 11, 2, 23, 30, tzinfo=UTC)),
        timing(next_day, sw, datetime(2026, 11, 3, 8, 0, tzinfo=UTC)),
        timing(failed, sw, None),
        timing(two_roles, sw, datetime(2026, 11, 2, 9, 7, tzinfo=UTC)),
        # The PM session's alert does not stand in for the AM one.
        timing(two_roles, vsh, datetime(2026, 11, 2, 13, 0, tzinfo=UTC), session="PM"),
    ]
    rows = {(r.school_urn, r.recipient_role): (r.told_same_day, r.told_later, r.not_told)
            for r in same_day_alerts(marks, timings)}
    assert rows == {("900001", SW): (3, 1, 2), ("900001", VSH): (0, 0, 1)}


def test_british_summer_time_moves_a_late_evening_alert_to_the_next_day() -> None:
    pupil = uuid4()
    june = date(2026, 6, 15)
    marks = {"900001": [n_mark(pupil, june, recipients=(SW,))]}
    sent = timing(pupil, TemplateName.UNEXPLAINED_ABSENCE_SOCIAL_WORKER, datetime(2026, 6, 15, 23, 30, tzinfo=UTC),
                  day=june)
    [row] = same_day_alerts(marks, [sent])
    assert (row.told_same_day, row.told_later) == (0, 1)


def test_sessions_nobody_had_to_be_told_of_are_not_counted() -> None:
    marks = {"900001": [n_mark(uuid4())]}
    assert same_day_alerts(marks, []) == []


def summary_of(due: date, *, submitted_at: datetime | None = None, status: ReturnStatus = ReturnStatus.DUE,
               kind: ReturnKind = ReturnKind.ATTENDANCE) -> ReturnSummary:
    return ReturnSummary(id=uuid4(), la_code="999", school_urn="900001", kind=kind, period="p",
                         period_start=date(2026, 10, 1), period_end=date(2026, 10, 31), due_date=due,
                         status=status, row_count=0, generated_at=datetime(2026, 11, 1, tzinfo=UTC),
                         submitted_at=submitted_at)


def test_returns_on_time_late_and_overdue_within_the_period() -> None:
    due = date(2026, 11, 6)
    returns = [
        summary_of(due, submitted_at=datetime(2026, 11, 6, 23, 59, tzinfo=UTC), status=ReturnStatus.SUBMITTED),
        summary_of(due, submitted_at=datetime(2026, 11, 7, 0, 1, tzinfo=UTC), status=ReturnStatus.SUBMITTED),
        summary_of(due, status=ReturnStatus.LATE),
        summary_of(date(2026, 12, 5)),
        summary_of(date(2027, 1, 6)),  # due after the period: not counted
    ]
    [row] = returns_on_time(returns, date(2026, 9, 1), date(2026, 12, 31))
    assert (row.submitted_on_time, row.submitted_late, row.overdue, row.not_yet_due) == (1, 1, 1, 1)


def test_a_return_submitted_early_counts_on_time_before_its_due_date_enters_the_period() -> None:
    early = summary_of(date(2026, 12, 7), submitted_at=datetime(2026, 12, 2, 10, tzinfo=UTC),
                       status=ReturnStatus.SUBMITTED)
    unsubmitted = summary_of(date(2026, 12, 7))
    [row] = returns_on_time([early, unsubmitted], date(2026, 9, 1), date(2026, 12, 4))
    assert (row.submitted_on_time, row.submitted_late, row.overdue, row.not_yet_due) == (1, 0, 0, 0)
    assert returns_on_time([early], date(2026, 9, 1), date(2026, 12, 1)) == []


def test_n_codes_counted_by_outcome_and_unanswered_services_named() -> None:
    marks = {"900001": [n_mark(uuid4(), outcome=o) for o in NResolutionOutcome]
             + [n_mark(uuid4(), outcome=NResolutionOutcome.OPEN_OVERDUE)], "900002": []}
    view = compliance("999", date(2026, 9, 1), date(2026, 11, 30), [], marks, None, ["notifications down"])
    [first, second] = view.n_codes
    assert (first.resolved_in_time, first.resolved_late, first.open_in_time, first.open_overdue) == (1, 1, 1, 2)
    assert first.missed == 3
    assert second.missed == 0
    assert view.same_day_alerts == []
    assert view.unavailable == ["notifications down"]
    assert compliance("999", date(2026, 9, 1), date(2026, 11, 30), [], None, None, ["register down"]).n_codes == []


# --- Through the returns API, with stand-ins for the other services --------------------------------------


class Others:
    """What the stand-ins answer; tests change it before calling."""

    def __init__(self) -> None:
        self.cases = CasesByStage(la_code="999", open_cases=5, overdue_deadlines=1,
                                  by_stage={"persistent_absence": 3, "legal_intervention": 1, "at_risk": 1},
                                  by_school={"900001": {"persistent_absence": 3}})
        self.n_marks: dict[str, list[NMarkRecord]] = {"900001": [], "900002": []}
        self.timings: list[AlertTiming] = []
        self.timing_requests: list[AlertTimingsRequest] = []
        self.down: set[str] = set()


def stand_ins(others: Others, register: FastAPI) -> tuple[FastAPI, FastAPI]:
    casework, notifications = FastAPI(), FastAPI()

    @casework.get("/internal/las/{la_code}/cases-by-stage")
    async def cases(la_code: str, authorization: str = Header()) -> dict[str, Any]:
        assert authorization.startswith("Bearer ")
        if "casework" in others.down:
            raise RuntimeError("casework is down")
        return others.cases.model_copy(update={"la_code": la_code}).model_dump()

    @notifications.post("/internal/notifications/timings")
    async def timings(body: AlertTimingsRequest, authorization: str = Header()) -> list[dict[str, Any]]:
        assert authorization.startswith("Bearer ")
        if "notifications" in others.down:
            raise RuntimeError("notifications is down")
        others.timing_requests.append(body)
        return [t.model_dump(mode="json") for t in others.timings if t.pupil_id in body.pupil_ids]

    @register.get("/internal/schools/{urn}/n-marks")
    async def n_marks(urn: str, from_date: date = Query(alias="from"), to_date: date = Query(alias="to"),
                      authorization: str = Header()) -> list[dict[str, Any]]:
        assert authorization.startswith("Bearer ")
        if "register" in others.down:
            raise RuntimeError("register's N marks are down")
        return [m.model_dump(mode="json") for m in others.n_marks.get(urn, [])
                if from_date <= m.session_date <= to_date]

    return casework, notifications


class Views:
    def __init__(self, client: httpx.AsyncClient, settings: PlatformSettings, others: Others,
                 worlds: dict[str, World]) -> None:
        self.client, self.settings, self.others, self.worlds = client, settings, others, worlds

    def headers(self, role: Role, **scope: Any) -> dict[str, str]:
        return bearer(token_for(self.settings, role, **scope))


@pytest.fixture
async def views(returns_database_url: str, platform_settings: PlatformSettings) -> AsyncIterator[Views]:
    worlds = {"900001": World("900001"), "900002": World("900002", junior="7", senior="11")}
    for world in worlds.values():
        for n in range(6):
            pupil = world.pupil(sex="F" if n < 3 else "M")
            if n == 0:
                world.mark(pupil, world.days(date(2026, 11, 2), date(2026, 11, 3)), "N")
    others = Others()
    register = fake_register(worlds)
    casework, notifications = stand_ins(others, register)
    app = create_app(ReturnsSettings(database_url=returns_database_url, platform=platform_settings),
                     register_transport=httpx.ASGITransport(app=register, raise_app_exceptions=False),
                     casework_transport=httpx.ASGITransport(app=casework, raise_app_exceptions=False),
                     notifications_transport=httpx.ASGITransport(app=notifications, raise_app_exceptions=False))
    app.dependency_overrides[dependencies.now] = lambda: datetime(2026, 12, 10, 9, tzinfo=UTC)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        async with app.state.engine.begin() as connection:
            await connection.execute(delete(LaReturn))
        yield Views(client, platform_settings, others, worlds)


async def test_dashboard_counts_cases_by_stage_and_shows_area_patterns(views: Views) -> None:
    ewo = views.headers(Role.LA_EWO, la_code="999")
    body = (await views.client.get("/api/v1/las/999/dashboard?from=2026-11-02&to=2026-11-13", headers=ewo)).json()
    assert body["cases"]["by_stage"] == {"persistent_absence": 3, "legal_intervention": 1, "at_risk": 1}
    assert body["cases"]["open_cases"] == 5
    assert body["unavailable"] == []
    # Two pupils of twelve were absent (N) on Monday 2 and Tuesday 3 November only: 4 of the 48 sessions of
    # the fortnight's two Mondays, and of its two Tuesdays.
    weekdays = dict(body["absence_by_weekday"])
    assert weekdays == {"Monday": "8.3", "Tuesday": "8.3", "Wednesday": "0.0", "Thursday": "0.0",
                        "Friday": "0.0"}
    assert [week for week, _ in body["weekly_attendance"]] == ["2026-11-02", "2026-11-09"]

    views.others.down.add("casework")
    degraded = await views.client.get("/api/v1/las/999/dashboard?from=2026-11-02&to=2026-11-13", headers=ewo)
    assert degraded.status_code == 200
    assert degraded.json()["cases"] is None
    assert degraded.json()["unavailable"] == ["Cases by stage: casework did not answer."]


async def test_compliance_reads_n_marks_and_alert_timings(views: Views) -> None:
    with_sw, without = uuid4(), uuid4()
    views.others.n_marks["900001"] = [
        n_mark(with_sw, recipients=(SW,)),
        n_mark(with_sw, session=SessionName.PM, recipients=(SW,), outcome=NResolutionOutcome.OPEN_OVERDUE),
        n_mark(without, outcome=NResolutionOutcome.RESOLVED_LATE),
        n_mark(without, date(2026, 8, 31)),  # before the period asked for
    ]
    views.others.timings = [timing(with_sw, TemplateName.UNEXPLAINED_ABSENCE_SOCIAL_WORKER,
                                   datetime(2026, 11, 2, 9, 6, tzinfo=UTC))]
    ewo = views.headers(Role.LA_EWO, la_code="999")
    response = await views.client.get("/api/v1/las/999/compliance?from=2026-09-01&to=2026-12-10", headers=ewo)
    assert response.status_code == 200, response.text
    view = response.json()
    n_codes = {n["school_urn"]: n for n in view["n_codes"]}
    assert (n_codes["900001"]["resolved_in_time"], n_codes["900001"]["resolved_late"],
            n_codes["900001"]["open_overdue"]) == (1, 1, 1)
    assert n_codes["900002"]["resolved_in_time"] == 0
    assert view["same_day_alerts"] == [{"school_urn": "900001", "recipient_role": SW, "told_same_day": 1,
                                        "told_later": 0, "not_told": 1}]
    # Only pupils who needed a same-day alert are asked about, and only for the three same-day messages.
    [asked] = views.others.timing_requests
    assert asked.pupil_ids == [with_sw]
    assert set(asked.templates) == {TemplateName.UNEXPLAINED_ABSENCE_SOCIAL_WORKER,
                                    TemplateName.UNEXPLAINED_ABSENCE_YOUTH_JUSTICE_WORKER,
                                    TemplateName.UNEXPLAINED_ABSENCE_VIRTUAL_SCHOOL_HEAD}

    views.others.down.add("notifications")
    view = (await views.client.get("/api/v1/las/999/compliance?from=2026-09-01&to=2026-12-10", headers=ewo)).json()
    assert view["same_day_alerts"] == []
    assert len(view["n_codes"]) == 2
    assert view["unavailable"] == ["Same-day alerts: notifications did not answer."]

    views.others.down.add("register")
    view = (await views.client.get("/api/v1/las/999/compliance", headers=ewo)).json()
    assert view["n_codes"] == []
    assert view["unavailable"] == [
        "N codes resolved in time, and same-day alerts: register did not answer."]
    assert (view["from_date"], view["to_date"]) == ("2026-09-01", "2026-12-10")


async def test_compliance_refuses_a_backwards_range(views: Views) -> None:
    ewo = views.headers(Role.LA_EWO, la_code="999")
    response = await views.client.get("/api/v1/las/999/compliance?from=2026-12-01&to=2026-11-01", headers=ewo)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "to" in response.text


async def test_la_page_json_for_casework_and_the_old_html_address_redirects(views: Views) -> None:
    """Everything casework's LA page shows in one answer (dashboard, compliance, returns with their downloads);
    the old HTML address sends a browser to casework's page with the same dates."""
    schedule = service_headers(views.settings, "returns-worker", "returns")
    generated = await views.client.post("/internal/returns/generate", headers=schedule,
                                        json={"la_code": "999", "period_start": "2026-11-01",
                                              "period_end": "2026-11-30"})
    assert generated.status_code == 200, generated.text
    views.others.n_marks["900001"] = [n_mark(uuid4(), outcome=NResolutionOutcome.OPEN_OVERDUE)]
    ewo = views.headers(Role.LA_EWO, la_code="999")
    answer = await views.client.get("/api/v1/las/999/page?from=2026-11-02&to=2026-11-30", headers=ewo)
    assert answer.status_code == 200, answer.text
    page = LaPage.model_validate(answer.json())
    assert (page.dashboard.from_date, page.dashboard.to_date) == (date(2026, 11, 2), date(2026, 11, 30))
    assert page.dashboard.cases is not None
    assert page.dashboard.cases.by_stage["persistent_absence"] == 3
    assert any(n.open_overdue == 1 for n in page.compliance.n_codes)
    # Every school's attendance and sickness returns for November, each downloadable as CSV.
    assert len(page.returns) == 4
    download = await views.client.get(f"/api/v1/returns/{page.returns[0].id}.csv", headers=ewo)
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    # Figures only: no pupil's name in the LA's page.
    for world in views.worlds.values():
        assert not any(p.legal_forename in answer.text for p in world.pupils)

    officer = views.headers(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"])
    assert (await views.client.get("/api/v1/las/999/page", headers=officer)).status_code == 403
    assert (await views.client.get("/api/v1/las/999/page",
                                   headers=views.headers(Role.LA_EWO, la_code="998"))).status_code == 403

    old = await views.client.get("/api/v1/las/999/dashboard.html?from=2026-11-02&to=2026-11-30")
    assert old.status_code == 303
    assert old.headers["location"] == (f"{views.settings.casework_url}/las/999/dashboard"
                                       "?from=2026-11-02&to=2026-11-30")
