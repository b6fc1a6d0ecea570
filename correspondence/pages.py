"""A letter's PDF as pictures of its pages, for staff to look at before it is saved or sent."""

import io

import pypdfium2

# 96 dpi: an A4 page is 794 x 1123 px, sharp on a screen and light to send.
PREVIEW_SCALE = 96 / 72


def page_images(pdf: bytes, *, scale: float = PREVIEW_SCALE) -> list[bytes]:
    """Each page of the PDF as a PNG, in order."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        images = []
        for page in document:
            bitmap = page.render(scale=scale)
            buffer = io.BytesIO()
            bitmap.to_pil().save(buffer, format="PNG", optimize=True)
            images.append(buffer.getvalue())
            bitmap.close()
            page.close()
        return images
    finally:
        document.close()
