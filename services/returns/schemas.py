"""Request and response models of the public API not already in shared.contracts.returns."""

from __future__ import annotations

from typing import Any

from shared.contracts.returns import ReturnSummary


class ReturnDetail(ReturnSummary):
    content: list[dict[str, Any]]
