"""Errors the returns service raises."""

from __future__ import annotations

from shared.errors import Conflict, DependencyUnavailable, NotFound


class ReturnNotFound(NotFound):
    pass


class ReturnAlreadySubmitted(Conflict):
    pass


class RegisterUnavailable(DependencyUnavailable):
    pass


class GenerationInProgress(Conflict):
    pass
