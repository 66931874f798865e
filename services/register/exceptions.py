"""Register's errors: the shared problem+json family with the register's own names."""

from __future__ import annotations

from shared.errors import Conflict, InvalidInput, NotFound


class PupilNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("No pupil with this id is on the admission register.")


class SchoolNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("No school with this URN is known to the register.")


class MarkNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("No mark is recorded for this pupil and session.")


class MarkAlreadyRecorded(Conflict):
    """A different code was sent for a session that already has a mark: it must come as an amendment."""


class UpnAlreadyOnRoll(Conflict):
    """The UPN belongs to a pupil already on this school's roll."""


class InvalidMarks(InvalidInput):
    """One or more marks of a bulk request are invalid; nothing was written."""
