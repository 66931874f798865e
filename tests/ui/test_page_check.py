"""The check every browser test makes of every page can fail: a page with an image without a text alternative
(a critical axe violation) or a missing language (serious) is refused, and nothing is kept as its screenshot."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Page

from tests.ui.pages.base import BasePage

pytestmark = [pytest.mark.ui, pytest.mark.asyncio(loop_scope="session")]

ACCESSIBLE = ("<!doctype html><html lang='en'><head><title>Fine</title></head>"
              "<body><main><h1>Fine</h1><p>Nothing wrong here.</p></main></body></html>")


class ScratchPage(BasePage):
    name = "scratch"


@pytest.mark.parametrize("html", [ACCESSIBLE.replace("<p>Nothing wrong here.</p>", "<img src='x.png'>"),
                                  ACCESSIBLE.replace(" lang='en'", "")], ids=["image-without-alt", "no-lang"])
async def test_check_refuses_a_page_with_an_axe_violation(page: Page, tmp_path: Path, html: str) -> None:
    await page.set_content(html)
    with pytest.raises(AssertionError, match="Violations|violation"):
        await ScratchPage(page, tmp_path).check()
    assert list(tmp_path.iterdir()) == []


async def test_check_passes_and_keeps_a_screenshot_of_an_accessible_page(page: Page, tmp_path: Path) -> None:
    await page.set_content(ACCESSIBLE)
    await ScratchPage(page, tmp_path).check("ok")
    assert (tmp_path / "scratch-ok.png").stat().st_size > 0
