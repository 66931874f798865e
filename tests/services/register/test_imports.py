"""CSV import of pupils and marks from a MIS export: validated row by row, all or nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from services.register.models import AttendanceMark, Pupil
from tests.services.register.conftest import SCHOOL_URN, RegisterHarness

pytestmark = pytest.mark.services

HEADER = ("upn,legal_forename,legal_surname,date_of_birth,sex,year_group,address,admission_date,sen,free_school_meals,"
          "parent1_name,parent1_relationship,parent1_email,parent1_phone\n")


def pupil_line(upn: str, **overrides: str) -> str:
    values = {"upn": upn, "legal_forename": "Noah", "legal_surname": "Price", "date_of_birth": "2015-02-03",
              "sex": "M", "year_group": "6", "address": "4 Quarry Hill", "admission_date": "2026-09-03",
              "sen": "K", "free_school_meals": "Y", "parent1_name": "Kim Price", "parent1_relationship": "Mother",
              "parent1_email": "kim.price@example.org", "parent1_phone": "07700 900777"}
    values.update(overrides)
    return ",".join(values.values()) + "\n"


async def count(register: RegisterHarness, model: type) -> int:
    async with register.factory() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def post_csv(register: RegisterHarness, kind: str, text: str):  # type: ignore[no-untyped-def]
    return await register.client.post(f"/api/v1/schools/{SCHOOL_URN}/imports/{kind}", content=text.encode(),
                                      headers={**register.officer(), "Content-Type": "text/csv"})


async def test_pupil_import_rejects_bad_rows_and_writes_nothing(register: RegisterHarness) -> None:
    good = [register.next_upn() for _ in range(3)]
    bad_upn = ("B" if good[0][0] != "B" else "C") + good[0][1:]
    text = (HEADER + pupil_line(good[0]) + pupil_line(bad_upn) + pupil_line(good[1], sex="X")
            + pupil_line(good[0]) + pupil_line(good[2], date_of_birth="03/02/2015"))
    response = await post_csv(register, "pupils", text)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [
        "rows[3].upn", "rows[4].sex", "rows[5].upn", "rows[6].date_of_birth"]
    assert await count(register, Pupil) == 0
    fixed = HEADER + "".join(pupil_line(u) for u in good)
    accepted = await post_csv(register, "pupils", fixed)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["imported"] == 3
    async with register.factory() as session:
        pupils = (await session.scalars(select(Pupil))).all()
    assert {p.upn for p in pupils} == set(good)
    assert all(p.sen_support and p.free_school_meals and not p.ehcp for p in pupils)


async def test_marks_import_is_all_or_nothing(register: RegisterHarness) -> None:
    a, b = await register.admit(), await register.admit()
    header = "upn,date,session,code,minutes_late\n"
    good = (f"{a['upn']},2026-11-16,AM,/,\n{a['upn']},2026-11-16,PM,\\,\n{b['upn']},2026-11-16,AM,L,12\n"
            f"{b['upn']},2026-11-16,PM,I,\n")
    bad = good + f"{b['upn']},2026-11-17,AM,H,\nA000000000000,2026-11-17,AM,/,\n{a['upn']},2026-11-14,AM,/,\n"
    response = await post_csv(register, "marks", header + bad)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["rows[6].code", "rows[7].upn", "rows[8].date"]
    assert await count(register, AttendanceMark) == 0
    accepted = await post_csv(register, "marks", header + good)
    assert accepted.json() == {"imported": 4, "unchanged": 0}
    again = await post_csv(register, "marks", header + good)
    assert again.json() == {"imported": 0, "unchanged": 4}
    missing_column = await post_csv(register, "marks", "upn,date,code\n")
    assert missing_column.status_code == 422
    assert missing_column.json()["errors"][0]["field"] == "file"
