"""Letters as A4 PDF (WeasyPrint), from the letter HTML stored on the notification record."""

from __future__ import annotations

import asyncio


def _write_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango at import, which only letter requests need.
    from weasyprint import HTML

    pdf = HTML(string=html).write_pdf()
    assert pdf is not None
    return bytes(pdf)


async def render_pdf(html: str) -> bytes:
    """The printable letter; rendering takes tens of milliseconds, so it runs off the event loop."""
    return await asyncio.to_thread(_write_pdf, html)
