"""Import of pupils and marks from a school MIS's CSV export: every row validated, all or nothing, with a
report naming each rejected row (`rows[N].column`, N the line number in the file) and why."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from pydantic import ValidationError

from services.register import repository
from services.register.exceptions import InvalidMarks, MarkAlreadyRecorded
from services.register.models import School
from services.register.schemas import AdmissionRequest, BulkMarksRequest, MarkIn
from services.register.service import access, admissions, marks
from services.register.service.context import Register
from services.register.settings import RegisterSettings
from shared.auth import Identity
from shared.contracts.register import SessionName
from shared.errors import InvalidInput, ServiceError

TRUE = {"y", "yes", "true", "1", "t"}
PUPIL_COLUMNS = {"upn", "legal_forename", "legal_surname", "date_of_birth", "sex", "year_group", "address",
                 "admission_date", "parent1_name", "parent1_relationship"}
MARK_COLUMNS = {"upn", "date", "session", "code"}
CHARACTERISTICS = ("free_school_meals", "pupil_premium", "looked_after", "previously_looked_after", "child_in_need",
                   "child_protection_plan", "young_carer", "eal", "medical_condition",
                   "individual_healthcare_plan")


class ImportRejected(InvalidInput):
    """Some rows are invalid; nothing was imported."""


def _rows(text: str, required: set[str], settings: RegisterSettings) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    # The csv module refuses fields over its own limit (128 KiB) with csv.Error; ours is lower and named.
    longest = settings.import_max_field_chars
    rows = []
    try:
        header = {h.strip().lower() for h in reader.fieldnames or []}
        missing = sorted(required - header)
        if missing:
            raise InvalidInput(f"The file has no column {', '.join(missing)}.", field="file")
        for row in reader:
            clean = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k is not None}
            too_long = next((column for column, value in clean.items() if len(value) > longest), None)
            if too_long is not None:
                raise InvalidInput(f"Row {reader.line_num}: {too_long} is longer than {longest} characters; "
                                   "nothing was imported.", field=f"rows[{reader.line_num}].{too_long}")
            rows.append((reader.line_num, clean))
            if len(rows) > settings.import_max_rows:
                raise InvalidInput(f"Import at most {settings.import_max_rows} rows at a time.", field="file")
    except csv.Error as exc:
        # line_num counts the lines finished before the one that failed.
        line = reader.line_num + 1
        raise InvalidInput(f"Line {line} cannot be read as CSV ({exc}); nothing was imported.",
                           field=f"rows[{line}]") from exc
    if not rows:
        raise InvalidInput("The file has no rows.", field="file")
    return rows


def _flag(value: str) -> bool:
    return value.lower() in TRUE


def _admission(row: dict[str, str]) -> dict[str, Any]:
    sen = row.get("sen", "").upper()
    body: dict[str, Any] = {
        key: row.get(key) or None for key in ("upn", "legal_forename", "legal_middle_names", "legal_surname",
                                              "preferred_forename", "preferred_surname", "date_of_birth", "sex",
                                              "year_group", "address", "postcode", "admission_date",
                                              "previous_school", "gp_details")}
    body["boarder"] = _flag(row.get("boarder", ""))
    body["characteristics"] = {**{c: _flag(row.get(c, "")) for c in CHARACTERISTICS},
                               "sen_support": sen == "K", "ehcp": sen == "E", "ethnicity": row.get("ethnicity") or None}
    body["parents"] = [{"name": row[f"parent{i}_name"], "relationship": row.get(f"parent{i}_relationship") or "Parent",
                        "email": row.get(f"parent{i}_email") or None, "phone": row.get(f"parent{i}_phone") or None,
                        "parental_responsibility": _flag(row.get(f"parent{i}_parental_responsibility", "y")),
                        "lives_with_pupil": _flag(row.get(f"parent{i}_lives_with_pupil", "y"))}
                       for i in (1, 2) if row.get(f"parent{i}_name")]
    if row.get("emergency_name"):
        body["emergency_contacts"] = [{"name": row["emergency_name"], "relationship": row.get(
            "emergency_relationship") or "Emergency contact", "phone": row.get("emergency_phone") or None}]
    if row.get("social_worker_name"):
        body["social_worker"] = {"name": row["social_worker_name"], "email": row.get("social_worker_email") or None,
                                 "phone": row.get("social_worker_phone") or None}
    return body


async def import_pupils(reg: Register, identity: Identity, school: School, text: str,
                        today: date, settings: RegisterSettings) -> int:
    """Admit every row or none; raises ImportRejected naming each bad row."""
    db = reg.db
    access.require_register_keeper(identity, school)
    errors: list[dict[str, str]] = []
    seen_upns: dict[str, int] = {}
    admitted = 0
    for line, row in _rows(text, PUPIL_COLUMNS, settings):
        try:
            request = AdmissionRequest.model_validate(_admission(row))
        except ValidationError as exc:
            for e in exc.errors():
                column = ".".join(str(p) for p in e["loc"]) or "row"
                errors.append({"field": f"rows[{line}].{column}", "message": e["msg"]})
            continue
        if request.upn in seen_upns:
            errors.append({"field": f"rows[{line}].upn", "message": f"same UPN as row {seen_upns[request.upn]}"})
            continue
        seen_upns[request.upn] = line
        try:
            # admit() checks everything before it writes, so a refused row leaves nothing behind.
            await admissions.admit(db, identity, school, request, today)
            admitted += 1
        except ServiceError as exc:
            for problem in exc.errors or [{"field": "row", "message": exc.detail}]:
                errors.append({"field": f"rows[{line}].{problem['field']}",
                               "message": str(problem.get("message", exc.detail))})
    if errors:
        raise ImportRejected(f"{len(errors)} problems in the file; nothing was imported.", errors=errors)
    await reg.commit()
    return admitted


async def import_marks(reg: Register, identity: Identity, school: School, text: str, today: date,
                       settings: RegisterSettings) -> tuple[int, int]:
    """Record every mark or none; (created, unchanged). Raises ImportRejected naming each bad row."""
    db = reg.db
    access.require_register_keeper(identity, school)
    rows = _rows(text, MARK_COLUMNS, settings)
    upns = {row["upn"].replace(" ", "").upper() for _, row in rows}
    pupils = {p.upn: p for p in await repository.pupils.on_roll_with_upns(db, school.urn, upns)}
    errors: list[dict[str, str]] = []
    groups: dict[tuple[date, SessionName], list[tuple[int, MarkIn]]] = {}
    for line, row in rows:
        pupil = pupils.get(row["upn"].replace(" ", "").upper())
        if pupil is None:
            errors.append({"field": f"rows[{line}].upn", "message": "no pupil with this UPN is on this school's roll"})
            continue
        try:
            day = date.fromisoformat(row["date"])
        except ValueError:
            errors.append({"field": f"rows[{line}].date", "message": "use a date in the form YYYY-MM-DD"})
            continue
        if row["session"].upper() not in ("AM", "PM"):
            errors.append({"field": f"rows[{line}].session", "message": "AM or PM"})
            continue
        try:
            late = int(row["minutes_late"]) if row.get("minutes_late") else None
            item = MarkIn(pupil_id=pupil.id, code=row["code"], minutes_late=late)
        except (ValueError, ValidationError):
            errors.append({"field": f"rows[{line}].minutes_late", "message": "a whole number of minutes"})
            continue
        groups.setdefault((day, SessionName(row["session"].upper())), []).append((line, item))
    created = unchanged = 0
    for (day, name), items in sorted(groups.items()):
        try:
            result = await marks.record_session(db, identity, school, day, name,
                                                BulkMarksRequest(marks=[i for _, i in items]), today, settings)
        except (InvalidMarks, MarkAlreadyRecorded, InvalidInput) as exc:
            for e in exc.errors:
                field = e["field"]
                if field.startswith("marks["):
                    index = int(field[6:field.index("]")])
                    column = field[field.index("]") + 2:].replace("pupil_id", "upn")
                    errors.append({"field": f"rows[{items[index][0]}].{column}", "message": e["message"]})
                else:
                    errors.extend({"field": f"rows[{line}].date", "message": e["message"]} for line, _ in items)
            continue
        created += result.created
        unchanged += result.unchanged
    if errors:
        raise ImportRejected(f"{len(errors)} problems in the file; nothing was imported.",
                             errors=sorted(errors, key=lambda e: int(e["field"][5:e["field"].index("]")])))
    await reg.commit()
    return created, unchanged


def pupil_template() -> str:
    """The header row of a pupil import file."""
    columns = ["upn", "legal_forename", "legal_middle_names", "legal_surname", "preferred_forename",
               "preferred_surname", "date_of_birth", "sex", "year_group", "address", "postcode", "admission_date",
               "previous_school", "boarder", "sen", "ethnicity", *CHARACTERISTICS, "parent1_name",
               "parent1_relationship", "parent1_email", "parent1_phone", "parent2_name", "parent2_relationship",
               "parent2_email", "parent2_phone", "emergency_name", "emergency_relationship", "emergency_phone",
               "social_worker_name", "social_worker_email", "social_worker_phone"]
    return ",".join(columns) + "\n"

