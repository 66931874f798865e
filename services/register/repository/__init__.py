"""Every query register makes, one module per subject. Repositories add and flush; they never commit."""

from __future__ import annotations

from typing import Any

from services.register.repository import (
    history,
    leave,
    marks,
    outbox,
    pupils,
    retention,
    returns_figures,
    schools,
    tallies,
)
from shared.unit_of_work import Db

__all__ = ["add", "history", "leave", "marks", "outbox", "pupils", "retention", "returns_figures", "schools", "tallies"]


def add(db: Db, *rows: Any) -> None:
    db.add_all(rows)
