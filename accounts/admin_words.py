"""Values staff read as words and chips, never as JSON or internal codes."""

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
