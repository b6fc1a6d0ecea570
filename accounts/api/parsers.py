"""Request parsers shared by the API families."""

import json

from django.conf import settings
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import BaseParser


class PayloadTooLarge(APIException):
    status_code = 413
    default_detail = "The request body is too large."
    default_code = "payload_too_large"


def strip_trailing_commas(text: str) -> str:
    """Drop commas that directly precede `}` or `]`, outside strings.

    The public documents' examples carry such commas and integrators copy them; a JSON5 parser
    would also accept comments, single quotes and bare keys, which we want to keep refusing.
    """
    out: list[str] = []
    in_string = escaped = False
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if in_string:
            out.append(char)
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
            out.append(char)
        elif char == ",":
            j = i + 1
            while j < n and text[j] in " \t\r\n":
                j += 1
            if j >= n or text[j] not in "}]":
                out.append(char)
        else:
            out.append(char)
        i += 1
    return "".join(out)


def loads_lenient(raw: bytes | str):
    """json.loads, then once more without trailing commas; anything else malformed raises ValueError."""
    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return json.loads(strip_trailing_commas(text))


class LenientJSONParser(BaseParser):
    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) if stream is not None else b""
        if len(raw) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            raise PayloadTooLarge()
        if not raw.strip():
            return {}
        try:
            return loads_lenient(raw)
        except (ValueError, UnicodeDecodeError) as error:
            raise ParseError(f"The request body is not valid JSON: {error}") from None


class LenientTextJSONParser(LenientJSONParser):
    """`text/json`, which the JSON-RPC document's curl example sends."""

    media_type = "text/json"
