"""Text a record keeps on one line (names, codes, titles, subjects): no line break or other control character.

A model names such fields in `single_line_fields`; every save of it, from any entry point, is refused with an
`InvalidValue` naming the field before the row is written, and a form's validation (the admin's) shows the same rule
as an error on the field.
"""

import re

from django.core.exceptions import ValidationError

from accounts.errors import InvalidValue

# Every C0 control (line feed, carriage return and tab included), DEL, and Unicode's line and paragraph separators.
BREAKS_A_LINE = re.compile("[\x00-\x1f\x7f\u2028\u2029]")
REFUSAL = "Must be a single line, without line breaks or control characters."


def check_single_line(record) -> None:
    for name in getattr(type(record), "single_line_fields", ()):
        value = getattr(record, name)
        if isinstance(value, str) and BREAKS_A_LINE.search(value):
            # Worded as a serializer's field error is, so every path into the rule answers alike.
            raise InvalidValue(f"{name}: {REFUSAL}", field=name, parameters=[name, REFUSAL])


def single_line(value) -> None:
    if isinstance(value, str) and BREAKS_A_LINE.search(value):
        raise ValidationError(REFUSAL, "single_line")


def validate_in_forms(models) -> None:
    """Give each single-line field the rule as a validator, which a model form's validation runs.

    Added to the field's default validators, which migrations do not record, so the rule needs no migration.
    """
    for model in models:
        for name in getattr(model, "single_line_fields", ()):
            field = model._meta.get_field(name)
            field.default_validators = [*field.default_validators, single_line]
            field.__dict__.pop("validators", None)


def refuse_broken_lines(sender, instance, raw=False, **kwargs) -> None:
    # A fixture load (raw) stores rows as they were dumped.
    if not raw:
        check_single_line(instance)
