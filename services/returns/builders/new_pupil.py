"""New pupil return: every entry in the admission register (2024 Regs reg 13; rules.md s8)."""

from __future__ import annotations

from datetime import date, timedelta

from services.returns.builders.rules import ReturnRules
from shared.contracts.returns import ExtractPupil, ExtractSchool, NewPupilRow, ParentRow, RegisterExtract


def is_exempt(pupil: ExtractPupil, school: ExtractSchool, rules: ReturnRules) -> bool:
    """The most junior class starting on the first day of the school year, unless the LA asked for them."""
    return (not rules.la_asks_for_junior_class_starters
            and pupil.year_group == school.most_junior_year_group
            and pupil.admission_date == school.first_day_of_school_year)


def new_pupil_rows(extract: RegisterExtract, period_start: date, period_end: date,
                   rules: ReturnRules) -> list[NewPupilRow]:
    """One row per admission in the period; due by the end of the 5th (calendar) day after entry."""
    rows = []
    for pupil in extract.pupils:
        if not period_start <= pupil.admission_date <= period_end or is_exempt(pupil, extract.school, rules):
            continue
        rows.append(NewPupilRow(
            pupil_id=pupil.pupil_id, upn=pupil.upn, legal_forename=pupil.legal_forename,
            legal_surname=pupil.legal_surname, sex=pupil.sex, date_of_birth=pupil.date_of_birth,
            address=pupil.address, year_group=pupil.year_group, admission_date=pupil.admission_date,
            due_date=pupil.admission_date + timedelta(days=rules.new_pupil_return_days),
            parents=[ParentRow(full_name=p.full_name, address=p.address, emergency_phone=p.emergency_phone)
                     for p in pupil.parents]))
    return sorted(rows, key=lambda r: (r.admission_date, r.legal_surname, r.legal_forename, str(r.pupil_id)))
