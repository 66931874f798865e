"""The response body of an LA's paged lists of flagged pupils: the shared contract, its severity typed as
register's own list names (so the OpenAPI document lists them)."""

from __future__ import annotations

from services.register.domain.figures import FlagList
from shared.contracts.register import FlaggedPupilsPage as FlaggedPupilsPageContract


class FlaggedPupilsPage(FlaggedPupilsPageContract):
    severity: FlagList  # type: ignore[assignment]  # narrower than the contract's str: one of the list names
