"""Casework's own errors; the class names become problem types."""

from __future__ import annotations

from shared.errors import Conflict, DependencyUnavailable, NotFound, OutOfScope


class CaseNotFound(NotFound):
    """No case file for this pupil (or none the caller may see: the same answer, so scope cannot be probed)."""


class JourneyNotFound(NotFound):
    """The pupil has no journey in Temporal."""


class IllegalStep(Conflict):
    """The journey's validator rejected the officer's step; the detail is the validator's reason."""


class JourneyUnavailable(DependencyUnavailable):
    """Temporal cannot be reached, so the journey cannot be signalled, queried or updated."""


class AggregateFiguresOnly(OutOfScope):
    """Governors see aggregate figures only, never a pupil's record."""


class StepNotPermitted(OutOfScope):
    """The caller's role may not take this step (CaseworkSettings.step_roles); the detail names the roles that may."""


class EarlierSchoolReadOnly(OutOfScope):
    """The pupil's case followed them to another school; an earlier school may read, not act."""
