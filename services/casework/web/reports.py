"""Returns' reports as casework pages: the LA's attendance dashboard (figures, compliance, returns and their
downloads) and a school's governor report. Returns computes them and applies its own scope rules to the
signed-in person, whose token the call carries; a refusal or a silent returns is a GOV.UK error page here.

Every figure is labelled with what it counts: these reports count the DfE statistics cohort (aged 5 to 15) over
the dates shown, where the school page's register figures count all pupils on roll (see `dfe_cohort`)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from services.casework.dependencies import CaseworkDep
from services.casework.web.action_forms import date_from_parts
from services.casework.web.forms import date_fields
from services.casework.web.officer import Defaulting, Officer, page_router, render
from services.casework.web.officer import refusal_page as officer_refusal_page
from services.casework.web.sickness_card import officer_token
from shared import clock
from shared.clients.returns_reports import ReturnsReportsClient
from shared.contracts.journey import STAGE_LABELS, Stage
from shared.contracts.reports import ALL_PUPILS_LABEL, DFE_COHORT_LABEL, GovernorReport, GroupFigures, LaPage
from shared.contracts.returns import RETURN_KIND_LABELS
from shared.http import ServiceCallFailed

router = page_router()
log = logging.getLogger(__name__)

ROLE_LABELS = {"social_worker": "Social workers", "youth_justice_worker": "Youth justice workers",
               "virtual_school_head": "Virtual school heads"}
# The school page's DfE cohort column is a comparison, not the page: give up on it sooner than on a report.
SCHOOL_PAGE_WAIT_SECONDS = 15.0


@dataclass
class DfeCohort:
    """The school page's DfE cohort column: the figures, or why there are none (`missing`)."""

    report: GovernorReport | None = None
    figures: GroupFigures | None = None
    missing: str = ""


def reports_client(request: Request) -> ReturnsReportsClient:
    client: ReturnsReportsClient = request.app.state.returns_reports
    return client


def _period(request: Request, start: str, end: str) -> tuple[date | None, date | None, dict[str, str]]:
    """The dates of the period form (GOV.UK date inputs in the query string), and each one's problem. An ISO date
    under the bare name (`?from=2026-11-02`, as returns' old page addresses carry them) is read too."""
    query = {k: v[:10] for k, v in request.query_params.items()}
    errors: dict[str, str] = {}
    dates: list[date | None] = []
    for name, label in ((start, "The start date"), (end, "The end date")):
        raw, problem = date_from_parts(query, name, label)
        if not raw and not problem and query.get(name):
            try:
                raw = date.fromisoformat(query[name]).isoformat()
            except ValueError:
                problem = f"{label} must be a real date"
        if problem:
            errors[name] = problem
        dates.append(date.fromisoformat(raw) if raw else None)
    return dates[0], dates[1], errors


def refusal_page(request: Request, exc: ServiceCallFailed | None, what: str) -> HTMLResponse:
    """Returns' refusal (a 422 other than about the dates is "Check the dates" in its own words) or its silence."""
    detail = exc.detail if exc is not None else ""
    return officer_refusal_page(request, exc, "returns", what, invalid=("Check the dates", detail))


def _date_errors(exc: ServiceCallFailed, names: dict[str, str]) -> dict[str, str]:
    """Returns' 422 about the dates, on the period form's fields (`names`: returns' field -> form field)."""
    found = {names[str(e.get("field"))]: str(e.get("message") or exc.detail)
             for e in exc.problem.get("errors", []) if str(e.get("field")) in names}
    return found


def _summary(errors: dict[str, str]) -> list[dict[str, str]]:
    return [{"text": message, "href": f"#{name}-day"} for name, message in errors.items()]


def stage_rows(page: LaPage) -> list[tuple[str, int]]:
    """Cases by stage in the journey's own order, then any stage this page does not know by name."""
    cases = page.dashboard.cases
    if cases is None:
        return []
    by_stage = dict(cases.by_stage)
    rows = [(STAGE_LABELS[stage], by_stage.pop(stage.value)) for stage in Stage if stage.value in by_stage]
    return rows + sorted(by_stage.items())


def _bars(pairs: list[tuple[str, str | None]]) -> list[dict[str, Any]]:
    """(label, rate) pairs as rows of the `_charts.html` bar chart."""
    return [{"group": label, "value": rate, "suppressed": False} for label, rate in pairs if rate is not None]


def _week(monday: date) -> str:
    return f"Week of {monday.day} {monday.strftime('%b')}"


def _period_refused(request: Request, template: str, form: dict[str, str], errors: dict[str, str],
                    **context: Any) -> Response:
    """The page's period form again, as posted, with what is wrong with its dates (ours or returns')."""
    return render(request, template, status_code=422, values=form, field_errors=Defaulting(errors),
                  errors=_summary(errors), **context)


@router.get("/las/{la_code}/dashboard")
async def la_dashboard_page(request: Request, identity: Officer, la_code: str, cw: CaseworkDep) -> Response:
    la_code = la_code[:10]
    start, end, errors = _period(request, "from", "to")
    form = {k: v[:10] for k, v in request.query_params.items()}
    refused = partial(_period_refused, request, "la_dashboard.html", form, title="Local authority attendance dashboard",
                      active="la_dashboard", la_code=la_code, page=None)
    if errors:
        return refused(errors)
    try:
        page = await reports_client(request).la_page(officer_token(request), la_code, start, end)
    except ServiceCallFailed as exc:
        dates = _date_errors(exc, {"to": "to", "from": "from"}) if exc.status == 422 else {}
        if dates:
            return refused(dates)
        return refusal_page(request, exc, "the local authority's dashboard")
    except ValidationError:
        return refusal_page(request, None, "the local authority's dashboard")
    board = page.dashboard
    names = {s.urn: s.name for s in board.schools}
    values = {**date_fields("from", board.from_date), **date_fields("to", board.to_date)}
    return render(request, "la_dashboard.html", title="Local authority attendance dashboard",
                  active="la_dashboard", la_code=la_code, page=page, d=board, c=page.compliance, values=values,
                  field_errors=Defaulting(), school_names=names, stages=stage_rows(page),
                  kind_labels=RETURN_KIND_LABELS, role_labels=ROLE_LABELS, cohort_label=DFE_COHORT_LABEL,
                  returns_url=cw.settings.platform.returns_url.rstrip("/"),
                  school_bars=[{"group": s.name, "value": s.figures.attendance_rate,
                                "suppressed": s.figures.suppressed}
                               for s in board.schools if s.figures.pupils],
                  weekly_bars=_bars([(_week(week), rate) for week, rate in board.weekly_attendance]),
                  weekday_bars=_bars(list(board.absence_by_weekday)))


def _comparison_bars(report: GovernorReport) -> list[dict[str, Any]]:
    headline = next((c for c in report.comparisons if c.group == "All pupils" and c.measure == "attendance_rate"),
                    None)
    if headline is None:
        return []
    england = f"England {headline.national.year}" if headline.national else "England"
    return _bars([("This school", headline.school), ("Local authority", headline.la),
                  (england, headline.national.value if headline.national else None)])


@router.get("/schools/{urn}/governor-report")
async def governor_report_page(request: Request, identity: Officer, urn: str, cw: CaseworkDep) -> Response:
    urn = urn[:20]
    start, end, errors = _period(request, "term_start", "term_end")
    form = {k: v[:10] for k, v in request.query_params.items()}
    refused = partial(_period_refused, request, "governor_report.html", form, title="Attendance report for governors",
                      active="governor_report", urn=urn, report=None)
    if errors:
        return refused(errors)
    try:
        report = await reports_client(request).governor_report(officer_token(request), urn, start, end)
    except ServiceCallFailed as exc:
        dates = (_date_errors(exc, {"term_start": "term_start", "term_end": "term_end"})
                 if exc.status == 422 else {})
        if dates:
            return refused(dates)
        return refusal_page(request, exc, "the governor report")
    except ValidationError:
        return refusal_page(request, None, "the governor report")
    values = {**date_fields("term_start", report.term_start), **date_fields("term_end", report.term_end)}
    pdf = (f"{cw.settings.platform.returns_url.rstrip('/')}/api/v1/schools/{urn}/governor-report.pdf"
           f"?term_start={report.term_start.isoformat()}&term_end={report.term_end.isoformat()}")
    return render(request, "governor_report.html", title="Attendance report for governors",
                  active="governor_report", urn=urn, report=report, values=values, field_errors=Defaulting(),
                  pdf_url=pdf, cohort_label=DFE_COHORT_LABEL, comparison_bars=_comparison_bars(report),
                  weekly_bars=_bars([(_week(week), rate) for week, rate in report.weekly_attendance]),
                  everyone=report.cohorts[0] if report.cohorts else None)


async def dfe_cohort(request: Request, urn: str, academic_year: int) -> DfeCohort:
    """The school's figures for the DfE statistics cohort over the academic year (so far), as the governor report
    and the LA's dashboard count them, to show beside register's figures for all pupils on roll on the school
    page; without figures (and saying why) when the year has not begun or returns cannot say: the page stands
    without them."""
    start = date(academic_year, 9, 1)
    end = min(clock.today(), date(academic_year + 1, 8, 31))
    if end < start:
        return DfeCohort(missing="The school year has not begun")
    try:
        report = await asyncio.wait_for(
            reports_client(request).governor_report(officer_token(request), urn, start, end),
            SCHOOL_PAGE_WAIT_SECONDS)
    except (ServiceCallFailed, ValidationError, TimeoutError) as exc:
        log.warning("returns did not give the school's DfE cohort figures", extra={"error": type(exc).__name__})
        return DfeCohort(missing="The returns service did not answer; try again later")
    everyone = report.cohorts[0] if report.cohorts else None
    if everyone is None or not everyone.pupils:
        return DfeCohort(report=report, missing="No pupils in the cohort have sessions yet")
    if everyone.suppressed:
        return DfeCohort(report=report, figures=everyone,
                         missing=f"Not shown: fewer than {report.minimum_group} pupils")
    return DfeCohort(report=report, figures=everyone)


__all__ = ["ALL_PUPILS_LABEL", "DFE_COHORT_LABEL", "dfe_cohort", "router"]
