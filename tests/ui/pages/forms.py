"""GOV.UK form patterns as a person fills them in."""

from __future__ import annotations

from datetime import date

from playwright.async_api import Page


async def fill_date(page: Page, legend: str, value: date) -> None:
    """A GOV.UK date input: the day, month and year boxes of the fieldset with this legend."""
    group = page.get_by_role("group", name=legend)
    await group.get_by_label("Day").fill(str(value.day))
    await group.get_by_label("Month").fill(str(value.month))
    await group.get_by_label("Year").fill(str(value.year))
