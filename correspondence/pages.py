"""A letter's PDF as pictures of its pages, for staff to look at before it is saved or sent."""

import io

import pypdfium2

# 96 dpi: an A4 page is 794 x 1123 px, sharp on a screen and light to send.
PREVIEW_SCALE = 96 / 72


def page_images(pdf: bytes, *, scale: float = PREVIEW_SCALE) -> list[bytes]:
    """Each page of the PDF as a PNG, in order."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [_png(document[index], scale) for index in range(len(document))]
    finally:
        document.close()


def page_image(pdf: bytes, number: int, *, scale: float = PREVIEW_SCALE) -> bytes | None:
    """Page `number` (from 1) of the PDF as a PNG; None when the PDF has no such page."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return _png(document[number - 1], scale) if 1 <= number <= len(document) else None
    finally:
        document.close()


def _png(page, scale: float) -> bytes:
    bitmap = page.render(scale=scale)
    try:
        buffer = io.BytesIO()
        bitmap.to_pil().save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()
    finally:
        bitmap.close()
        page.close()
