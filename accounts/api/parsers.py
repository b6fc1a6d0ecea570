"""Request parsers shared by the API families: lenient JSON bodies, and what every family's query parsing is
built from (whole numbers, the form and FilterSet behind each family's filters)."""

import functools
import json
import re

import django_filters
from django import forms
from django.conf import settings
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import BaseParser

from accounts.errors import DomainError, InvalidValue


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


LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate_at(value) -> str | None:
    """Where a JSON value holds a lone surrogate (`"\\ud800"`), as `a.b[2]`; None when it holds none.

    json.loads joins a valid pair into one character, so any surrogate left is one no text can be encoded with.
    """
    stack = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            if LONE_SURROGATE.search(item):
                return path or "(the body)"
        elif isinstance(item, dict):
            for key, child in item.items():
                if LONE_SURROGATE.search(key):
                    return f"{path}.{ascii(key[:40])}" if path else ascii(key[:40])
                name = key[:40]
                stack.append((f"{path}.{name}" if path else name, child))
        elif isinstance(item, list):
            stack.extend((f"{path}[{index}]", child) for index, child in enumerate(item))
    return None


def loads_lenient(raw: bytes | str):
    """json.loads, then once more without trailing commas; anything else malformed raises ValueError.

    A value nested too deeply to parse is malformed too.
    """
    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    try:
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            value = json.loads(strip_trailing_commas(text))
    except RecursionError:
        raise ValueError("it is nested too deeply") from None
    return value


def loads_text(raw: bytes | str):
    """loads_lenient, refusing a lone surrogate too: no stored text, query or outbound message can carry one."""
    value = loads_lenient(raw)
    where = lone_surrogate_at(value)
    if where is not None:
        raise ValueError(f"{where} holds a lone surrogate (an unpaired \\ud800-\\udfff escape)")
    return value


class LenientJSONParser(BaseParser):
    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) if stream is not None else b""
        if len(raw) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            raise PayloadTooLarge()
        if not raw.strip():
            return {}
        try:
            return loads_text(raw)
        except (ValueError, UnicodeDecodeError) as error:
            raise ParseError(f"The request body is not valid JSON: {error}") from None


class LenientTextJSONParser(LenientJSONParser):
    """`text/json`, which the JSON-RPC document's curl example sends."""

    media_type = "text/json"


# Query parameters ----------------------------------------------------------------------------------------------------

# How far any list may be skipped into: far beyond any table's size, and small enough that a page's end still fits a
# database integer (a larger value is refused naming its parameter, never retried as a conflict).
MAX_OFFSET = 1_000_000_000


def whole_number(
    raw: str | None,
    name: str,
    *,
    default: int | None,
    minimum: int = 0,
    maximum: int | None = None,
    too_small: str | None = None,
) -> int | None:
    """A whole-number query parameter, `default` when absent or blank; a refusal names the parameter."""
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidValue(f"{name} must be a whole number.", field=name) from None
    maximum = MAX_OFFSET if maximum is None else maximum
    if value < minimum:
        raise InvalidValue(too_small or f"{name} must be {minimum} or more.", field=name)
    if maximum is not None and value > maximum:
        raise InvalidValue(f"{name} may be at most {maximum}.", field=name)
    return value


def one_of(values) -> str:
    """`A or B`, `A, B, C`: the values a parameter accepts, as its refusal lists them."""
    values = list(values)
    return " or ".join(values) if len(values) == 2 else ", ".join(values)


class QueryForm(forms.Form):
    """The form behind every family's FilterSet.

    Each field learns the query parameter it reads (`field.parameter`), so a field that parses with its family's
    parser can raise the family's own error naming it. The parameters are checked in the order they are declared,
    and the first one refused is the one answered, whether a Django field or a family's parser refused it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.parameter = name

    def full_clean(self):
        try:
            super().full_clean()
        except DomainError:
            # A parameter declared earlier was refused already: that refusal is answered.
            if not self._errors:
                raise


class QueryFilterSet(django_filters.FilterSet):
    """A FilterSet validated by a QueryForm (or the subclass of one its Meta names).

    No filter's field here depends on the request, so the form class is built once per FilterSet rather than for
    every request as django-filter does (a third of a list's filtering time).
    """

    @classmethod
    @functools.cache
    def form_class(cls) -> type[QueryForm]:
        base = cls._meta.form if issubclass(cls._meta.form, QueryForm) else QueryForm
        fields = {name: filter_.field for name, filter_ in cls.base_filters.items()}
        return type(f"{cls.__name__}Form", (base,), fields)

    def get_form_class(self):
        return self.form_class()
