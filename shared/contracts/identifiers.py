"""The identifiers every service takes at its edge, each in its published format, and free text that must say
something: one definition, so that a URN refused by one service is refused by all of them the same way."""

from __future__ import annotations

from datetime import date, time
from typing import Annotated

from pydantic import Field, StringConstraints, WithJsonSchema

# ASCII digits only: a pattern's \d would also take other scripts' digits.
URN_PATTERN = r"^[0-9]{6}$"
LA_CODE_PATTERN = r"^[0-9]{3}$"

# A school's unique reference number (Get Information about Schools): six digits.
Urn = Annotated[str, StringConstraints(pattern=URN_PATTERN),
                Field(description="The school's URN: six digits", examples=["100001"])]
# A local authority's three-digit number (the first three digits of its schools' DfE numbers).
LaCode = Annotated[str, StringConstraints(pattern=LA_CODE_PATTERN),
                   Field(description="The local authority's three-digit code", examples=["999"])]


# Free text that must say something (a reason, details): surrounding spaces are dropped before it is measured,
# so a reason of only spaces is refused as too short.
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)]

# Bounds that keep dates within what the register's calendars can hold: a date outside them is a typing mistake
# (a year of 3345), refused at the edge rather than passed on to a service that cannot answer for it.
EARLIEST_DATE, LATEST_DATE = date(2000, 1, 1), date(2100, 12, 31)
SchoolDate = Annotated[date, Field(ge=EARLIEST_DATE, le=LATEST_DATE)]

# A school's wall-clock time (a register opening, an arrival): local, so it carries no offset, and is documented as
# what it is rather than as RFC 3339's full-time, which requires one.
LocalTime = Annotated[time, WithJsonSchema({
    "type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$",
    "description": "Local time, HH:MM or HH:MM:SS", "examples": ["08:40"]})]

