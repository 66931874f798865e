"""Register at its edge: every bad input is a 4xx problem naming the field and writes nothing; who may write is
decided before the body is read; bodies and CSV files have limits."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
from sqlalchemy import func, select

from services.register.models import AttendanceMark, MarkAmendment
from tests.services.register.conftest import OTHER_URN, SCHOOL_URN, RegisterHarness
from tests.services.register.test_school_rules import set_calendar
from tests.support.identities import service_headers

PROBLEM = "application/problem+json"


def fields(response: httpx.Response) -> list[str]:
    assert response.headers["content-type"].startswith(PROBLEM), response.text
    return [e["field"] for e in response.json().get("errors", [])]


async def count(register: RegisterHarness, model: Any) -> int:
    async with register.factory() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_marks_for_a_school_year_without_a_calendar_are_refused(register: RegisterHarness) -> None:
    register.settings.marks_need_school_calendar = True
    await set_calendar(register)  # 2026/27 only
    pupil = await register.admit(admission_date="2026-06-01")
    # Monday 20 July 2026 is in 2025/26, which the school never set up: a weekday, but not known to be a school day.
    refused = await register.mark(pupil["id"], "O", date(2026, 7, 20))
    assert refused.status_code == 422
    assert fields(refused) == ["session_date"]
    assert "no calendar" in refused.json()["detail"]
    assert await count(register, AttendanceMark) == 0
    # A day of the year that is set up is taken.
    assert (await register.mark(pupil["id"], "O", date(2026, 11, 19))).status_code == 200


async def test_an_amendment_reason_of_only_spaces_is_refused(register: RegisterHarness) -> None:
    pupil = await register.admit()
    assert (await register.mark(pupil["id"], "N", date(2026, 11, 19))).status_code == 200
    response = await register.client.post(f"/api/v1/pupils/{pupil['id']}/marks/2026-11-19/AM/amendments",
                                          json={"new_code": "I", "reason": "     "}, headers=register.officer())
    assert response.status_code == 422
    assert fields(response) == ["reason"]
    assert await count(register, MarkAmendment) == 0


async def test_a_caller_outside_the_school_hears_403_before_anything_about_the_body(
        register: RegisterHarness) -> None:
    outsider = register.officer(OTHER_URN)
    url = f"/api/v1/schools/{SCHOOL_URN}/sessions/2026-11-19/AM/marks"
    for body in ({"marks": [{"pupil_id": "not-a-uuid", "unknown": 1}]}, {}):
        response = await register.client.post(url, json=body, headers=outsider)
        assert response.status_code == 403, response.text
        assert "errors" not in response.json()
    wrong = await register.client.post(f"/api/v1/schools/{SCHOOL_URN}/pupils", json={"upn": 1}, headers=outsider)
    assert wrong.status_code == 403
    # A body that is not JSON, without a token: 401, not a JSON decode error.
    garbled = await register.client.post(url, content=b"{not json", headers={"content-type": "application/json"})
    assert garbled.status_code == 401
    # The school's own officer does learn what is wrong with the body.
    own = await register.client.post(url, json={}, headers=register.officer())
    assert own.status_code == 422
    assert fields(own) == ["marks"]


async def test_a_urn_not_in_its_format_is_named(register: RegisterHarness) -> None:
    for urn in ("10000", "1000011", "abcdef", "10000%3F"):
        response = await register.client.get(f"/api/v1/schools/{urn}/figures", headers=register.officer())
        assert response.status_code == 422, urn
        assert fields(response) == ["urn"]


async def test_a_body_over_the_limit_is_refused_before_it_is_read(register: RegisterHarness) -> None:
    limit = register.platform.max_body_bytes
    url = f"/api/v1/schools/{SCHOOL_URN}/sessions/2026-11-19/AM/marks"
    declared = await register.client.post(url, content=b"x" * (limit + 1), headers={
        **register.officer(), "content-type": "application/json"})
    assert declared.status_code == 413
    assert declared.headers["content-type"].startswith(PROBLEM)

    async def chunks() -> Any:  # no Content-Length: counted as it arrives
        for _ in range(limit // 65536 + 2):
            yield b" " * 65536

    streamed = await register.client.post(url, content=chunks(), headers={
        **register.officer(), "content-type": "application/json"})
    assert streamed.status_code == 413


async def test_a_csv_import_over_the_upload_limit_is_refused(register: RegisterHarness) -> None:
    header = "upn,date,session,code\n"
    huge = header + "A," + "x" * (register.platform.max_upload_bytes + 1) + ",AM,/\n"
    response = await register.client.post(f"/api/v1/schools/{SCHOOL_URN}/imports/marks", content=huge.encode(),
                                          headers={**register.officer(), "content-type": "text/csv"})
    assert response.status_code == 413
    assert await count(register, AttendanceMark) == 0


async def test_a_csv_field_over_its_limit_names_the_row(register: RegisterHarness) -> None:
    pupil = await register.admit()
    too_long = "x" * (register.settings.import_max_field_chars + 1)
    text = f"upn,date,session,code\n{pupil['upn']},2026-11-19,AM,/\n{pupil['upn']},2026-11-18,AM,{too_long}\n"
    response = await register.client.post(f"/api/v1/schools/{SCHOOL_URN}/imports/marks", content=text.encode(),
                                          headers={**register.officer(), "content-type": "text/csv"})
    assert response.status_code == 422
    assert fields(response) == ["rows[3].code"]
    assert await count(register, AttendanceMark) == 0


async def test_a_field_beyond_what_csv_reads_is_a_4xx(register: RegisterHarness) -> None:
    register.settings.import_max_field_chars = 1_000_000
    text = 'upn,date,session,code\nA,2026-11-19,AM,"' + "x" * 200_000 + '"\n'
    response = await register.client.post(f"/api/v1/schools/{SCHOOL_URN}/imports/marks", content=text.encode(),
                                          headers={**register.officer(), "content-type": "text/csv"})
    assert response.status_code == 422
    assert fields(response) == ["rows[2]"]


async def test_too_many_rows_are_refused_whole(register: RegisterHarness) -> None:
    register.settings.import_max_rows = 2
    pupil = await register.admit()
    rows = "".join(f"{pupil['upn']},2026-11-{day},AM,/\n" for day in (16, 17, 18))
    response = await register.client.post(f"/api/v1/schools/{SCHOOL_URN}/imports/marks",
                                          content=("upn,date,session,code\n" + rows).encode(),
                                          headers={**register.officer(), "content-type": "text/csv"})
    assert response.status_code == 422
    assert fields(response) == ["file"]
    assert await count(register, AttendanceMark) == 0


async def test_service_tokens_are_bound_to_register_and_to_their_endpoints(register: RegisterHarness) -> None:
    pupil = await register.admit()
    contacts = f"/internal/pupils/{pupil['id']}/contacts"
    assert (await register.client.get(contacts, headers=register.service("notifications"))).status_code == 200
    # Casework's token for register is good, but contacts are for notifications alone.
    assert (await register.client.get(contacts, headers=register.service("casework"))).status_code == 403
    # Notifications' token for casework is not a token for register.
    elsewhere = service_headers(register.platform, "notifications", "casework")
    assert (await register.client.get(contacts, headers=elsewhere)).status_code == 401
