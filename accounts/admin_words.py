"""Values staff read as words and chips, never as JSON or internal codes."""

import re

from django.utils.html import format_html, format_html_join


def chips(labels) -> str:
    """Short labels (transports, addresses, file names) as chips; a dash when there are none."""
    labels = [str(label) for label in labels if label not in (None, "")]
    if not labels:
        return "—"
    return format_html(
        '<span class="bo-chips">{}</span>',
        format_html_join("", '<span class="bo-chip">{}</span>', ((label,) for label in labels)),
    )


def choice_labels(values, choices) -> list[str]:
    """Stored codes (e.g. ["EMAIL", "POST"]) as their labels ("Email", "Post"), unknown codes as they are."""
    labels = dict(choices)
    return [str(labels.get(value, value)) for value in values or []]


def nested_words(value) -> str:
    """A small JSON object as a phrase: {"subscription": {"number": "S60302"}} reads "subscription number S60302"."""
    if isinstance(value, dict):
        return "; ".join(f"{_words(key)} {nested_words(inner)}".strip() for key, inner in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(nested_words(item) for item in value)
    return "" if value is None else str(value)


def _words(key: str) -> str:
    return str(key).replace("_", " ")


def codes_as_words(message: str, record) -> str:
    """A domain message as staff read it: the record's stored codes ("COMPLETED", "PENDING") as their labels.

    The APIs quote the codes their integrators send; the back-office says the words its lists show."""
    labels = {
        str(code): str(label)
        for field in record._meta.get_fields()
        for code, label in (getattr(field, "flatchoices", None) or [])
        if isinstance(code, str) and re.fullmatch(r"[A-Z][A-Z_]+", code)
    }
    if not labels:
        return message
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(labels, key=len, reverse=True))) + r")\b")
    return pattern.sub(lambda match: labels[match.group(1)], message)
