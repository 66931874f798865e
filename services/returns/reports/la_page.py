"""The LA's dashboard as one page for its officers: every school's figures, area-wide patterns, cases by stage,
the compliance view and the period's returns with their downloads. Figures only, never a pupil."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel

from services.returns.reports.charts import bar_chart, data_uri, line_chart
from services.returns.reports.compliance import Compliance
from services.returns.reports.la import LaDashboard
from shared.contracts.journey import STAGE_LABELS, Stage
from shared.contracts.returns import RETURN_KIND_LABELS, ReturnSummary

_templates = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                         autoescape=select_autoescape(["html"]))

ROLE_LABELS = {"social_worker": "Social workers", "youth_justice_worker": "Youth justice workers",
               "virtual_school_head": "Virtual school heads"}


class LaPage(BaseModel):
    dashboard: LaDashboard
    compliance: Compliance
    # Returns whose period overlaps the page's range, newest first.
    returns: list[ReturnSummary]


def stage_rows(dashboard: LaDashboard) -> list[tuple[str, int]]:
    """Cases by stage in the journey's own order, then any stage this page does not know by name."""
    if dashboard.cases is None:
        return []
    by_stage = dict(dashboard.cases.by_stage)
    rows = [(STAGE_LABELS[stage], by_stage.pop(stage.value)) for stage in Stage if stage.value in by_stage]
    return rows + sorted(by_stage.items())


def charts(page: LaPage) -> dict[str, str]:
    dashboard = page.dashboard
    schools = [(s.name, float(s.figures.attendance_rate)) for s in dashboard.schools
               if s.figures.attendance_rate is not None]
    trend = [(week.strftime("%d %b"), float(rate)) for week, rate in dashboard.weekly_attendance]
    low = min([v for _, v in trend] + [90.0])
    weekdays = [(day, float(rate)) for day, rate in dashboard.absence_by_weekday]
    top = max([v for _, v in weekdays] + [10.0])
    return {
        "schools": data_uri(bar_chart("Attendance rate by school", schools)),
        "trend": data_uri(line_chart("Attendance across the area, week by week", trend,
                                     minimum=max(0.0, low // 5 * 5 - 5))),
        "weekdays": data_uri(bar_chart("Overall absence rate by day of the week", weekdays,
                                       maximum=(top // 5 + 1) * 5)),
    }


def render_la_page(page: LaPage, school_names: dict[str, str]) -> str:
    return _templates.get_template("la_dashboard.html").render(
        page=page, d=page.dashboard, c=page.compliance, charts=charts(page), stages=stage_rows(page.dashboard),
        kind_labels=RETURN_KIND_LABELS, role_labels=ROLE_LABELS, school_names=school_names)
