"""Deletion return: every deletion with its ground, except the standard transition (rules.md s7.1, s8)."""

from __future__ import annotations

from datetime import date

from shared.contracts.returns import DeletionRow, ExtractPupil, ExtractSchool, ParentRow, RegisterExtract


def is_standard_transition(pupil: ExtractPupil, school: ExtractSchool) -> bool:
    """Deleted from the most senior class at or after the end of the last term of the school year.

    A deletion dated before the school year's first day (the summer holiday) is after the end of the
    previous year's last term, so it is the transition too.
    """
    if pupil.deletion_date is None or pupil.year_group != school.most_senior_year_group:
        return False
    return (pupil.deletion_date >= school.last_day_of_school_year
            or pupil.deletion_date < school.first_day_of_school_year)


def reportable_on(pupil: ExtractPupil) -> date | None:
    """The day the deletion enters a return: when the school recorded it (the ground was met), and never
    later than the deletion itself."""
    if pupil.deletion_date is None:
        return None
    return min(pupil.deletion_recorded_on or pupil.deletion_date, pupil.deletion_date)


def deletion_rows(extract: RegisterExtract, period_start: date, period_end: date) -> list[DeletionRow]:
    """One row per deletion recorded in the period, with the ground and the parents the pupil lives with;
    each is due by its deletion date."""
    rows = []
    for pupil in extract.pupils:
        day = reportable_on(pupil)
        if pupil.deletion_date is None or day is None or not period_start <= day <= period_end:
            continue
        if is_standard_transition(pupil, extract.school):
            continue
        rows.append(DeletionRow(
            pupil_id=pupil.pupil_id, legal_forename=pupil.legal_forename, legal_surname=pupil.legal_surname,
            address=pupil.address, year_group=pupil.year_group, deletion_date=pupil.deletion_date,
            deletion_ground=pupil.deletion_ground or "not recorded",
            parents_living_with_pupil=[
                ParentRow(full_name=p.full_name, address=p.address, emergency_phone=p.emergency_phone)
                for p in pupil.parents if p.lives_with_pupil],
            new_address=pupil.new_address, new_school=pupil.new_school,
            new_school_start_date=pupil.new_school_start_date))
    return sorted(rows, key=lambda r: (r.deletion_date, r.legal_surname, r.legal_forename, str(r.pupil_id)))
