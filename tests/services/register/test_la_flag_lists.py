"""An LA's persistently absent, severely absent and at-risk pupils a page at a time: every pupil of the LA
figures' lists exactly once, lowest attendance first and ties by pupil id, whatever the page size; the same
access as the figures; bad input refused naming the field. The LA figures can leave their lists out."""

from __future__ import annotations

import base64
import uuid
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from services.register.domain.figures import FlagList
from services.register.repository.flag_lists import Position, Thresholds, page_statement
from shared.auth import Role
from tests.services.register.conftest import LA_CODE, OTHER_URN, SCHOOL_URN, TODAY, RegisterHarness
from tests.services.register.test_year_figures import PUPILS, admit_and_mark
from tests.support.identities import bearer, token_for

pytestmark = pytest.mark.services

LIST = f"/api/v1/las/{LA_CODE}/persistent-absentees"


def ewo(register: RegisterHarness, la_code: str = LA_CODE) -> dict[str, str]:
    return bearer(token_for(register.platform, Role.LA_EWO, la_code=la_code))


async def every_page(register: RegisterHarness, headers: dict[str, str], query: str) -> list[dict[str, Any]]:
    """The pages of a list in turn, following each page's next."""
    pages: list[dict[str, Any]] = []
    after = ""
    while True:
        response = await register.client.get(f"{LIST}?{query}{after}", headers=headers)
        assert response.status_code == 200, response.text
        pages.append(response.json())
        if pages[-1]["next"] is None:
            return pages
        assert len(pages) <= len(PUPILS), "the pages never end"
        after = f"&after={pages[-1]['next']}"


def in_list_order(lines: list[dict[str, Any]]) -> list[str]:
    """Lowest attendance first, then by pupil id (a UUID's text sorts as its bytes do in both databases)."""
    return [line["pupil_id"] for line in sorted(lines, key=lambda p: (Decimal(p["attendance_rate"]), p["pupil_id"]))]


async def test_pages_hold_every_listed_pupil_once_in_order(register: RegisterHarness) -> None:
    ids = await admit_and_mark(register)
    figures = (await register.client.get(f"/api/v1/las/{LA_CODE}/figures?academic_year=2026",
                                         headers=ewo(register))).json()
    persistent = in_list_order(figures["persistent_absentees"])
    assert len(persistent) == 5
    # Two pupils at 85%: page sizes 3 and 4 split them across pages, so the tie-break carries over a cursor.
    for limit in range(1, 7):
        pages = await every_page(register, ewo(register), f"academic_year=2026&limit={limit}&with_total=true")
        assert [p["pupil_id"] for page in pages for p in page["pupils"]] == persistent
        assert all(len(page["pupils"]) == limit for page in pages[:-1])
        assert {page["total"] for page in pages} == {5}
        assert {(page["la_code"], page["academic_year"], page["severity"]) for page in pages} == {
            (LA_CODE, 2026, "persistent")}
    # The lines are the figures' lines; the year defaults to the pinned clock's (2026/27).
    only = (await register.client.get(LIST, headers=ewo(register))).json()
    assert sorted(only["pupils"], key=lambda p: p["pupil_id"]) == sorted(
        figures["persistent_absentees"], key=lambda p: p["pupil_id"])
    assert (only["next"], only["total"]) == (None, None)  # counted only when asked: it reads every listed pupil

    severe = await every_page(register, ewo(register), "severity=severe&limit=1")
    assert [p["pupil_id"] for page in severe for p in page["pupils"]] == [ids[OTHER_URN][1], ids[SCHOOL_URN][3]]
    at_risk = await every_page(register, ewo(register), "severity=at_risk&limit=1")
    assert [p["pupil_id"] for page in at_risk for p in page["pupils"]] == in_list_order(figures["at_risk"])
    assert len(at_risk) == 2
    assert (await register.client.get(f"{LIST}?academic_year=2025", headers=ewo(register))).json()["pupils"] == []


async def test_a_cursor_gives_the_same_page_again(register: RegisterHarness) -> None:
    await admit_and_mark(register)
    first = (await register.client.get(f"{LIST}?limit=2", headers=ewo(register))).json()
    second = await register.client.get(f"{LIST}?limit=2&after={first['next']}", headers=ewo(register))
    again = await register.client.get(f"{LIST}?limit=2&after={first['next']}", headers=ewo(register))
    assert second.json() == again.json()
    assert {p["pupil_id"] for p in second.json()["pupils"]}.isdisjoint({p["pupil_id"] for p in first["pupils"]})
    assert [p["attendance_rate"] for p in second.json()["pupils"]] == ["85", "85"]
    # A cursor carries counts and an id, never a name.
    assert "Stone" not in base64.urlsafe_b64decode(first["next"] + "==").decode()


async def test_the_virtual_school_head_sees_looked_after_pupils_only(register: RegisterHarness) -> None:
    ids = await admit_and_mark(register)
    vsh = bearer(token_for(register.platform, Role.VIRTUAL_SCHOOL_HEAD, la_code=LA_CODE))
    pages = await every_page(register, vsh, "limit=1&with_total=true")
    assert [p["pupil_id"] for page in pages for p in page["pupils"]] == [ids[SCHOOL_URN][3], ids[SCHOOL_URN][5]]
    assert {page["total"] for page in pages} == {2}
    assert (await register.client.get(f"{LIST}?severity=at_risk", headers=vsh)).json()["pupils"] == []


async def test_only_the_las_own_people_and_services_may_read_it(register: RegisterHarness) -> None:
    await admit_and_mark(register)
    assert (await register.client.get(LIST, headers=ewo(register, "999"))).status_code == 403
    other_vsh = bearer(token_for(register.platform, Role.VIRTUAL_SCHOOL_HEAD, la_code="999"))
    assert (await register.client.get(LIST, headers=other_vsh)).status_code == 403
    assert (await register.client.get(LIST, headers=register.officer())).status_code == 403
    assert (await register.client.get(LIST)).status_code == 401
    by_service = await register.client.get(f"{LIST}?with_total=true", headers=register.service("casework"))
    assert by_service.status_code == 200, by_service.text
    assert by_service.json()["total"] == 5


@pytest.mark.parametrize(("query", "field"), [
    ("limit=0", "limit"), ("limit=501", "limit"), ("limit=ten", "limit"), ("severity=mild", "severity"),
    ("academic_year=1999", "academic_year"), ("after=", "after"), ("after=not-a-cursor", "after"),
    ("after=" + base64.urlsafe_b64encode(b"1.5.4.00000000000000000000000000000000").decode(), "after"),
    ("after=" + base64.urlsafe_b64encode(b"2.1.4.00000000000000000000000000000000").decode(), "after"),
    ("after=" + base64.urlsafe_b64encode(b"1.1.0.00000000000000000000000000000000").decode(), "after"),
    ("after=" + base64.urlsafe_b64encode(b"1.1.4.nothex").decode(), "after"),
    ("after=" + base64.urlsafe_b64encode(b"1.1.9000000000000000000.00000000000000000000000000000000").decode(),
     "after"),
    ("after=" + base64.urlsafe_b64encode("1.½.4.x".encode()).decode(), "after"),
    ("after=%FF%FE", "after"), ("with_total=perhaps", "with_total"),
])
async def test_bad_input_is_refused_naming_the_field(register: RegisterHarness, query: str, field: str) -> None:
    response = await register.client.get(f"{LIST}?{query}", headers=ewo(register))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in response.json()["errors"]] == [field]


async def test_the_la_figures_can_leave_out_their_lists(register: RegisterHarness) -> None:
    await admit_and_mark(register)
    url = f"/api/v1/las/{LA_CODE}/figures?academic_year=2026"
    full = (await register.client.get(url, headers=ewo(register))).json()
    bare = (await register.client.get(f"{url}&lists=false", headers=ewo(register))).json()
    assert (len(full["persistent_absentees"]), len(full["at_risk"])) == (5, 2)
    assert (bare["persistent_absentees"], bare["at_risk"]) == ([], [])
    assert {k: v for k, v in bare.items() if k not in ("persistent_absentees", "at_risk")} == {
        k: v for k, v in full.items() if k not in ("persistent_absentees", "at_risk")}
    assert (await register.client.get(f"{url}&lists=maybe", headers=ewo(register))).status_code == 422


async def test_the_list_waits_for_enough_sessions_as_the_flags_do(register: RegisterHarness) -> None:
    """The pages list the flagged tallies: a pupil absent from the only two sessions so far is on the figures'
    list (10%+ of possible sessions) but not yet flagged, so not on the pages, until the sessions the settings ask
    for (min_possible_sessions_for_flags, 4 here) have passed."""
    pupil = (await register.admit(legal_forename="Early"))["id"]
    for day, session in ((TODAY, "AM"), (TODAY, "PM")):
        assert (await register.mark(pupil, "O", day, session)).status_code == 200
    figures = (await register.client.get(f"/api/v1/las/{LA_CODE}/figures", headers=ewo(register))).json()
    assert [p["pupil_id"] for p in figures["persistent_absentees"]] == [pupil]
    assert (await register.client.get(LIST, headers=ewo(register))).json()["pupils"] == []
    day_before = TODAY - timedelta(days=1)
    for session in ("AM", "PM"):
        assert (await register.mark(pupil, "O", day_before, session)).status_code == 200
    assert [p["pupil_id"] for p in (await register.client.get(LIST, headers=ewo(register))).json()["pupils"]] == [
        pupil]


@pytest.mark.parametrize("which", [FlagList.PERSISTENT, FlagList.SEVERE, FlagList.AT_RISK])
async def test_a_page_is_read_in_the_order_of_its_index(register: RegisterHarness, which: FlagList) -> None:
    """The page's order is its partial index's key, so the database reads the page's lines from the index and never
    sorts the LA's flagged tallies: with sorting priced out of the planner, the plan still has no sort, for the
    first page and for one after a cursor. (If the ORDER BY and the index's expression drifted apart, a sort would
    come back, and with it a cost that grows with the LA.)"""
    await admit_and_mark(register)
    thresholds = Thresholds(Fraction(10), Fraction(50), (Fraction(90), Fraction(95)))
    after = Position(17, 20, uuid.UUID(int=0))
    index = "ix_pupil_tally_at_risk_by_attendance" if which is FlagList.AT_RISK else (
        "ix_pupil_tally_persistent_by_attendance")
    async with register.factory() as session:
        connection = await session.connection()
        postgres = connection.dialect.name == "postgresql"
        if postgres:
            await connection.exec_driver_sql("SET LOCAL enable_sort = off")
            await connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        for position in (None, after):
            statement = page_statement(2026, LA_CODE, which, thresholds, position, 50, looked_after_only=False)
            sql = str(statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
            explained = await connection.exec_driver_sql(("EXPLAIN " if postgres else "EXPLAIN QUERY PLAN ") + sql)
            plan = "\n".join(str(row[-1]) for row in explained)
            assert index in plan, plan
            assert ("Sort" not in plan) if postgres else ("TEMP B-TREE FOR ORDER BY" not in plan), plan
