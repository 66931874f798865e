"""An LA's persistently absent, severely absent and at-risk pupils for an academic year, a page at a time: the
LA figures' lists without their size (an LA of 150,000 pupils has tens of thousands of lines)."""

from __future__ import annotations

import base64
import binascii
import uuid

from services.register.domain.figures import PERSISTENT_ABSENCE_RATE, SEVERE_ABSENCE_RATE, Figures, FlagList
from services.register.models import display_name
from services.register.repository.flag_lists import Position, Thresholds, count_listed, flagged_page
from services.register.schemas.flag_lists import FlaggedPupilsPage
from services.register.service.context import Register
from services.register.service.figures import band_thresholds
from services.register.service.school_figures import NameScope, flag_line, la_names
from shared.auth import Identity
from shared.errors import InvalidInput

# The cursor's format, so a later change of order can refuse cursors made for the old one instead of misreading.
CURSOR_VERSION = "1"
# More possible sessions than any year has (two a day): a cursor beyond it was not made here, and its counts would
# overflow the database's integers when the rates are compared by multiplying.
MOST_SESSIONS = 1000


def cursor_after(position: Position) -> str:
    """An opaque cursor for the line a page ends with: its counts and pupil id, never a name (cursors travel in
    addresses and logs)."""
    text = f"{CURSOR_VERSION}.{position.attended}.{position.possible}.{position.pupil_id.hex}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def position_of(cursor: str) -> Position:
    """The position a cursor names; anything not made by cursor_after is refused, naming the field."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        version, attended, possible, pupil_id = text.split(".")
        position = Position(int(attended), int(possible), uuid.UUID(hex=pupil_id))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidInput("after is not a cursor this list gave.", field="after") from None
    if version != CURSOR_VERSION or not 0 <= position.attended <= position.possible or not (
            1 <= position.possible <= MOST_SESSIONS):
        raise InvalidInput("after is not a cursor this list gave.", field="after")
    return position


async def flagged_pupils(reg: Register, identity: Identity, la_code: str, academic_year: int, severity: FlagList,
                         limit: int, after: str | None, with_total: bool = False) -> FlaggedPupilsPage:
    """A page of the LA's list, on the same terms as its figures: the LA's officers and services see every
    pupil, its virtual school head only looked-after pupils."""
    names = la_names(identity, la_code)
    position = position_of(after) if after is not None else None
    bands = band_thresholds(reg.settings)
    thresholds = Thresholds(PERSISTENT_ABSENCE_RATE, SEVERE_ABSENCE_RATE, (bands.red_at_most, bands.green_at_least))
    looked_after_only = names is NameScope.LOOKED_AFTER
    rows = await flagged_page(reg.db, academic_year, la_code, severity, thresholds, position, limit,
                              looked_after_only)
    lines = []
    for (pupil_id, school_urn, preferred_forename, legal_forename, preferred_surname, legal_surname, year_group,
         possible, attended, authorised, unauthorised, not_counted) in rows[:limit]:
        name = display_name(preferred_forename, legal_forename, preferred_surname, legal_surname)
        lines.append(flag_line(pupil_id, school_urn, name, year_group,
                               Figures(possible, attended, authorised, unauthorised, not_counted)))
    last = rows[limit - 1] if len(rows) > limit else None
    total = (await count_listed(reg.db, academic_year, la_code, severity, thresholds, looked_after_only)
             if with_total else None)
    return FlaggedPupilsPage.model_validate({
        "la_code": la_code, "academic_year": academic_year, "severity": severity, "total": total,
        "pupils": lines,
        "next": cursor_after(Position(last.attended, last.possible, last.pupil_id)) if last is not None else None})
