"""Which files a shared attachment may be: an allowed extension, and bytes that are what the name says."""

from pathlib import PurePosixPath

import puremagic
from django.conf import settings

OOXML = "application/vnd.openxmlformats-officedocument"
# Office documents are ZIP containers; a sniffer that only reads the first bytes may see just the ZIP.
ZIP = "application/zip"
TEXT = "text/plain"

# Extension → the MIME type we report first, then every type its bytes may be detected as.
KNOWN_TYPES: dict[str, tuple[str, ...]] = {
    "pdf": ("application/pdf",),
    "docx": (f"{OOXML}.wordprocessingml.document", ZIP),
    "xlsx": (f"{OOXML}.spreadsheetml.sheet", ZIP),
    "pptx": (f"{OOXML}.presentationml.presentation", ZIP),
    "odt": ("application/vnd.oasis.opendocument.text", ZIP),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", ZIP),
    "png": ("image/png",),
    "jpg": ("image/jpeg",),
    "jpeg": ("image/jpeg",),
    "gif": ("image/gif",),
    "tif": ("image/tiff",),
    "tiff": ("image/tiff",),
    "txt": (TEXT,),
    "csv": ("text/csv", TEXT),
    "json": ("application/json", TEXT),
    "xml": ("application/xml", "text/xml", TEXT),
    "zip": (ZIP,),
}
# The bytes a sniffer reads: enough for every signature above, including the entries that mark an Office ZIP.
SNIFF_BYTES = 8192
INVALID_NAME_CHARACTERS = set('/\\:*?"<>|') | {chr(c) for c in range(32)}


def extension(file_name: str) -> str:
    return PurePosixPath(file_name).suffix.lower().lstrip(".")


def allowed_extensions() -> list[str]:
    return [ext for ext in settings.CORRESPONDENCE_ATTACHMENT_EXTENSIONS if ext in KNOWN_TYPES]


def is_allowed_name(file_name: str) -> bool:
    return extension(file_name) in allowed_extensions()


def is_valid_name(file_name: str) -> bool:
    return bool(file_name.strip()) and not (set(file_name) & INVALID_NAME_CHARACTERS) and file_name not in (".", "..")


def detect(head: bytes) -> str:
    """The MIME type of the bytes, from their signature; text without one is text/plain."""
    try:
        found = puremagic.from_string(head, mime=True)
    except puremagic.PureError:
        found = ""
    if found:
        return found
    if b"\x00" not in head:
        try:
            # A multi-byte character cut off at the end of the sample is still text.
            head.decode("utf-8")
            return TEXT
        except UnicodeDecodeError as error:
            if error.start >= len(head) - 3:
                return TEXT
    return "application/octet-stream"


def data_type_for(file_name: str, head: bytes) -> tuple[str, str | None]:
    """(the MIME type to report, why the bytes are refused or None) for an upload named `file_name`."""
    accepted = KNOWN_TYPES.get(extension(file_name), ())
    found = detect(head)
    if not is_allowed_name(file_name):
        return found, f"Filetype not allowed: .{extension(file_name)} files are not accepted"
    if found not in accepted:
        return found, f"Filetype not allowed: the content is {found}, not a .{extension(file_name)} file"
    return accepted[0], None
