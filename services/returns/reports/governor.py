"""The governor report for one school and term: rates, PA and SA by cohort, trend, LA and national comparison
(figures only, never a pupil): the model casework renders as a page, and this service's PDF of it (HTML with SVG
charts, printed by WeasyPrint)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from services.returns.reports.charts import bar_chart, data_uri, line_chart
from services.returns.reports.figures import (
    cohort_pupils,
    figures_by_cohort,
    group_figures,
    weekly_attendance,
)
from shared.contracts.reports import Comparison, GovernorReport, NationalFigure
from shared.contracts.returns import RegisterExtract

NATIONAL_FIGURES = Path(__file__).resolve().parent.parent / "data" / "national_figures.json"
_templates = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                         autoescape=select_autoescape(["html"]))

MEASURES = {
    "attendance_rate": "Attendance rate",
    "overall_absence_rate": "Overall absence rate",
    "persistent_absence_rate": "Persistent absence (PA) rate",
    "severe_absence_rate": "Severe absence (SA) rate",
}


def load_national_figures(path: Path = NATIONAL_FIGURES) -> list[NationalFigure]:
    return [NationalFigure.model_validate(f) for f in json.loads(path.read_text())["figures"]]


def build_governor_report(school: RegisterExtract, la_extracts: list[RegisterExtract], term_start: date,
                          term_end: date, national: list[NationalFigure], *, minimum_group: int,
                          today: date) -> GovernorReport:
    """The report's figures from the school's register, the LA's registers and the national data."""
    cohorts = figures_by_cohort(cohort_pupils([school], term_start), minimum_group)
    la_pupils = cohort_pupils(la_extracts, term_start)
    la_by_group = {f.group: f for f in figures_by_cohort(la_pupils, minimum_group)}
    national_by_key = {(n.group, n.measure): n for n in national}
    comparisons = []
    for figures in cohorts:
        for measure, label in MEASURES.items():
            nat = national_by_key.get((figures.group, measure))
            if figures.group != "All pupils" and nat is None:
                continue
            la_figures = la_by_group.get(figures.group, group_figures(figures.group, [], minimum_group))
            comparisons.append(Comparison(group=figures.group, measure=measure, label=label,
                                          school=getattr(figures, measure), la=getattr(la_figures, measure),
                                          national=nat))
    return GovernorReport(
        school_urn=school.school.urn, school_name=school.school.name, la_code=school.school.la_code,
        term_start=term_start, term_end=term_end, generated_on=today, minimum_group=minimum_group,
        cohorts=cohorts, la_schools=len(la_extracts), comparisons=comparisons,
        weekly_attendance=weekly_attendance(school, term_start, term_end))


def charts(report: GovernorReport) -> dict[str, str]:
    """The report's charts as SVG data URIs."""
    headline = [c for c in report.comparisons if c.group == "All pupils" and c.measure == "attendance_rate"]
    bars = []
    if headline:
        c = headline[0]
        bars = [(label, float(value)) for label, value in
                [("This school", c.school), ("Local authority", c.la),
                 (f"England ({c.national.year})" if c.national else "England", c.national.value if c.national
                  else None)] if value is not None]
    pa = [(f.group, float(f.persistent_absence_rate)) for f in report.cohorts
          if f.persistent_absence_rate is not None]
    trend = [(week.strftime("%d %b"), float(rate)) for week, rate in report.weekly_attendance]
    low = min([v for _, v in trend] + [90.0])
    return {
        "comparison": data_uri(bar_chart("Attendance rate: school, local authority, England", bars)),
        "persistent_absence": data_uri(bar_chart("Persistent absence rate by group", pa)),
        "trend": data_uri(line_chart("Attendance week by week", trend, minimum=max(0.0, low // 5 * 5 - 5))),
    }


def render_html(report: GovernorReport) -> str:
    return _templates.get_template("governor_report.html").render(report=report, charts=charts(report))


def render_pdf(html: str) -> bytes:
    """CPU-bound: call it in a worker thread."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
