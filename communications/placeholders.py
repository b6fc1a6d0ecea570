"""`#entity.attribute` placeholders in a communication's subject and content.

A placeholder is `#` followed by dotted names in any script (`#contact_information.first_name`,
`#unrestricted_string.name`, `#accounts_receivable.account_owner.last_name`). It is replaced when
the path leads to a known value; a placeholder that names nothing known stays as written.
"""

import re
from collections.abc import Mapping

from .formatting import java_date_time, plain_number

# Names in any script (`#unrestricted_string.ονομα`): letters, digits and underscores, the entity not led by a digit.
PLACEHOLDER = re.compile(r"#([^\W\d]\w*(?:\.\w+)+)")
NAME = re.compile(r"\w+")


def is_name(text: str) -> bool:
    """`text` can be the last part of a placeholder, so a value given this name can be rendered."""
    return NAME.fullmatch(text) is not None


def render(text: str | None, context: Mapping) -> str | None:
    if not text or "#" not in text:
        return text
    return PLACEHOLDER.sub(lambda match: _replace(match.group(0), match.group(1), context), text)


def _replace(placeholder: str, path: str, context: Mapping) -> str:
    parts = path.split(".")
    value = context
    used = 0
    for part in parts:
        if not isinstance(value, Mapping) or part not in value:
            break
        value = value[part]
        used += 1
    # An entity alone is not a value; a value followed by more dotted words (end of a sentence) is.
    if used < 2 or isinstance(value, Mapping) or value is None:
        return placeholder
    rest = ".".join(parts[used:])
    return as_text(value) + (f".{rest}" if rest else "")


def as_text(value) -> str:
    if hasattr(value, "astimezone"):
        return java_date_time(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return plain_number(value)
