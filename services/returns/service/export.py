"""A return's rows as CSV and XLSX files (nested parents flattened into numbered columns)."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from pydantic import BaseModel

from shared.contracts.returns import (
    RETURN_KIND_LABELS,
    AttendanceRow,
    DeletionRow,
    NewPupilRow,
    ReturnKind,
    SicknessRow,
)

ROW_MODELS: dict[ReturnKind, type[BaseModel]] = {
    ReturnKind.NEW_PUPIL: NewPupilRow, ReturnKind.DELETION: DeletionRow, ReturnKind.ATTENDANCE: AttendanceRow,
    ReturnKind.SICKNESS: SicknessRow,
}

# Spreadsheet programs run cells that start like a formula; phone numbers (+44...) stay as they are.
_FORMULA_START = re.compile(r"^(?:[=@\t\r]|[+-](?![\d ]))")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return f"'{text}" if _FORMULA_START.match(text) else text


def flatten(row: dict[str, Any]) -> dict[str, str]:
    """One level: lists of objects become name_1_field, name_2_field...; lists of values are joined."""
    flat: dict[str, str] = {}
    for key, value in row.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for index, item in enumerate(value, start=1):
                for sub_key, sub_value in item.items():
                    flat[f"{key}_{index}_{sub_key}"] = _cell(sub_value)
        elif isinstance(value, list):
            flat[key] = "; ".join(_cell(v) for v in value)
        else:
            flat[key] = _cell(value)
    return flat


def table(content: list[dict[str, Any]], columns: list[str] | None = None) -> tuple[list[str], list[list[str]]]:
    """Header and cells; `columns` fixes the header even when there are no rows."""
    rows = [flatten(r) for r in content]
    columns = list(columns or [])
    for row in rows:
        columns += [c for c in row if c not in columns]
    return columns, [[row.get(c, "") for c in columns] for row in rows]


def kind_columns(kind: ReturnKind) -> list[str]:
    """The row's own fields, so that a nil return's file still says what it would hold (lists of parents are
    numbered columns, added only when a row has them)."""
    def nested(annotation: Any) -> bool:
        args = getattr(annotation, "__args__", ())
        return getattr(annotation, "__origin__", None) is list and any(
            isinstance(a, type) and issubclass(a, BaseModel) for a in args)

    return [name for name, field in ROW_MODELS[kind].model_fields.items() if not nested(field.annotation)]


def to_csv(content: list[dict[str, Any]], columns: list[str] | None = None) -> bytes:
    columns, rows = table(content, columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def to_xlsx(content: list[dict[str, Any]], *, kind: ReturnKind, about: dict[str, str]) -> bytes:
    columns, rows = table(content, kind_columns(kind))
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = kind.value
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    info = workbook.create_sheet("about")
    info.append(["Return", RETURN_KIND_LABELS[kind]])
    for key, value in about.items():
        info.append([key, value])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
