"""FastAPI dependencies: the casework context held on app.state."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.casework.service import Casework


def get_casework(request: Request) -> Casework:
    casework: Casework = request.app.state.casework
    return casework


CaseworkDep = Annotated[Casework, Depends(get_casework)]
