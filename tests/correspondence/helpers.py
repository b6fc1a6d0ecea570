import io

from pypdf import PdfReader

API = "/backend/api/v1"


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def error_body(code: int, error: str) -> dict:
    """The start of an error body, to compare with everything but the free-text hint."""
    return {"error": error, "error_code": code}


def without_hint(body: dict) -> dict:
    return {key: value for key, value in body.items() if key != "hint"}
