"""Report endpoints over HTTP: governor report (JSON, PDF with SVG charts; the page is casework's), LA dashboard,
compliance, DfE daily extract, and who may see each."""

from __future__ import annotations

import base64
import csv
import io
import re
import subprocess
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import pytest

from services.returns.reports.governor import render_html
from shared.auth import Role
from shared.contracts.reports import GovernorReport
from shared.contracts.returns import PupilCharacteristics

if TYPE_CHECKING:
    from tests.services.returns.conftest import Harness

pytestmark = pytest.mark.services

TERM = "term_start=2026-11-02&term_end=2026-11-13"


def populate(harness: Harness) -> None:
    """Six pupils per school (above the suppression line); some absence in each."""
    for urn, world in harness.worlds.items():
        for n in range(6):
            pupil = world.pupil(characteristics=PupilCharacteristics(free_school_meals=n % 2 == 0),
                                sex="F" if n < 3 else "M", upn=f"A{urn}{n:05d}")
            if n == 0:
                world.mark(pupil, world.days(date(2026, 11, 2), date(2026, 11, 3)), "N")
            if urn == "900002" and n == 1:
                world.mark(pupil, world.days(date(2026, 11, 2), date(2026, 11, 13)), "I")


async def test_governor_report_json_pdf_and_the_page_at_casework(harness: Harness) -> None:
    populate(harness)
    governor = harness.headers(Role.GOVERNOR, school_urns=["900001"])
    path = "/api/v1/schools/900001/governor-report"
    # The page is casework's: the old HTML address sends a browser there, with the same dates.
    page = await harness.client.get(f"{path}?{TERM}")
    assert page.status_code == 303
    assert page.headers["location"] == f"{harness.settings.casework_url}/schools/900001/governor-report?{TERM}"
    # The PDF's own HTML: SVG charts as images, figures only, never a pupil.
    report_model = GovernorReport.model_validate(
        (await harness.client.get(f"{path}.json?{TERM}", headers=governor)).json())
    html = render_html(report_model)
    images = re.findall(r'<img src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]+)"', html)
    assert len(images) == 3
    assert all(base64.b64decode(data).startswith(b"<svg") for data, _ in images)
    assert "School 900001" in html
    assert "Pupil01" not in html

    report = (await harness.client.get(f"{path}.json?{TERM}", headers=governor)).json()
    everyone = report["cohorts"][0]
    assert (everyone["group"], everyone["pupils"], everyone["attendance_rate"]) == ("All pupils", 6, "96.7")
    assert report["la_schools"] == 2

    pdf = await harness.client.get(f"{path}.pdf?{TERM}", headers=governor)
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True).stdout
    assert b"Attendance report for governors" in text
    assert b"Persistent absence" in text


async def test_governor_report_scope_and_dates(harness: Harness) -> None:
    populate(harness)
    path = "/api/v1/schools/900002/governor-report.json"
    other_governor = harness.headers(Role.GOVERNOR, school_urns=["900001"])
    assert (await harness.client.get(f"{path}?{TERM}", headers=other_governor)).status_code == 403
    ewo = harness.headers(Role.LA_EWO, la_code="999")
    assert (await harness.client.get(f"{path}?{TERM}", headers=ewo)).status_code == 200
    assert (await harness.client.get(f"{path}?{TERM}", headers=harness.headers(Role.LA_EWO, la_code="998"))
            ).status_code == 403
    backwards = await harness.client.get(f"{path}?term_start=2026-11-13&term_end=2026-11-02", headers=ewo)
    assert backwards.status_code == 422
    assert backwards.json()["errors"][0]["field"] == "term_end"
    # Without dates: the school year so far, as a governor opening the report expects.
    year_so_far = await harness.client.get(path, headers=ewo)
    assert year_so_far.status_code == 200, year_so_far.text
    assert year_so_far.json()["term_start"].endswith("-09-01")


async def test_la_dashboard_and_compliance(harness: Harness) -> None:
    populate(harness)
    await harness.generate()  # November: attendance and sickness returns (everyone was admitted in September)
    ewo = harness.headers(Role.LA_EWO, la_code="999")
    listed = (await harness.client.get("/api/v1/returns", headers=ewo)).json()
    officer = harness.headers(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"])
    on_time = next(r for r in listed if r["school_urn"] == "900001" and r["kind"] == "attendance")
    await harness.client.post(f"/api/v1/returns/{on_time['id']}/submit", headers=officer)
    harness.at(datetime(2026, 12, 10, 9, tzinfo=UTC))  # the others are now overdue

    dashboard = await harness.client.get("/api/v1/las/999/dashboard?from=2026-11-02&to=2026-11-13", headers=ewo)
    assert dashboard.status_code == 200, dashboard.text
    body = dashboard.json()
    assert [(s["urn"], s["figures"]["pupils"], s["overdue_returns"]) for s in body["schools"]] == [
        ("900001", 6, 1), ("900002", 6, 2)]
    assert body["area"][0]["pupils"] == 12
    assert len(body["overdue_returns"]) == 3

    view = (await harness.client.get("/api/v1/las/999/compliance", headers=ewo)).json()
    assert {(c["school_urn"], c["kind"]): (c["submitted_on_time"], c["overdue"]) for c in view["returns"]} == {
        ("900001", "attendance"): (1, 0), ("900001", "sickness"): (0, 1),
        ("900002", "attendance"): (0, 1), ("900002", "sickness"): (0, 1)}
    for path in ("/api/v1/las/999/compliance", "/api/v1/las/999/dashboard?from=2026-11-02&to=2026-11-13"):
        assert (await harness.client.get(path, headers=officer)).status_code == 403
        assert (await harness.client.get(path, headers=harness.headers(Role.LA_EWO, la_code="998"))
                ).status_code == 403


async def test_dfe_daily_extract(harness: Harness) -> None:
    populate(harness)
    officer = harness.headers(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"])
    response = await harness.client.get("/api/v1/schools/900001/dfe-daily-extract.csv?date=2026-11-02",
                                        headers=officer)
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 6
    absent = next(r for r in rows if r["upn"] == "A90000100000")
    assert (absent["am_code"], absent["pm_code"], absent["free_school_meals"]) == ("N", "N", "yes")
    assert (await harness.client.get("/api/v1/schools/900002/dfe-daily-extract.csv?date=2026-11-02",
                                     headers=officer)).status_code == 403
    saturday = await harness.client.get("/api/v1/schools/900001/dfe-daily-extract.csv?date=2026-11-07",
                                        headers=officer)
    header = saturday.content.decode("utf-8-sig").splitlines()
    assert len(header) == 1
    assert header[0].startswith("school_urn,la_code,upn,")
    governor = harness.headers(Role.GOVERNOR, school_urns=["900001"])
    assert (await harness.client.get("/api/v1/schools/900001/dfe-daily-extract.csv?date=2026-11-02",
                                     headers=governor)).status_code == 403
