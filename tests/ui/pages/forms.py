"""GOV.UK form patterns as a person fills them in."""

from __future__ import annotations

from datetime import date

from playwright.async_api import Locator, Page


def date_group(page: Page, legend: str) -> Locator:
    """The fieldset of a GOV.UK date input, by its legend."""
    return page.get_by_role("group", name=legend)


async def fill_date(page: Page, legend: str, value: date) -> None:
    """A GOV.UK date input: the day, month and year boxes of the fieldset with this legend."""
    await fill_date_parts(page, legend, value.day, value.month, value.year)


async def fill_date_parts(page: Page, legend: str, day: int | None = None, month: int | None = None,
                          year: int | None = None, *, exact: bool = False) -> None:
    """Whatever a person types in the boxes, a day that does not exist included; a box left as None is untouched."""
    group = page.get_by_role("group", name=legend, exact=exact)
    for box, value in (("Day", day), ("Month", month), ("Year", year)):
        if value is not None:
            await group.get_by_label(box).fill(str(value))
