"""Text a record keeps on one line (names, codes, titles, subjects): no line break or other control character.

A model names such fields in `single_line_fields`; every save of it, from any entry point, is refused with an
`InvalidValue` naming the field before the row is written.
"""

import re

from accounts.errors import InvalidValue

# Every C0 control (line feed, carriage return and tab included), DEL, and Unicode's line and paragraph separators.
BREAKS_A_LINE = re.compile("[\x00-\x1f\x7f\u2028\u2029]")


def check_single_line(record) -> None:
    for name in getattr(type(record), "single_line_fields", ()):
        value = getattr(record, name)
        if isinstance(value, str) and BREAKS_A_LINE.search(value):
            raise InvalidValue(f"{name} must be a single line, without control characters.", field=name)


def refuse_broken_lines(sender, instance, raw=False, **kwargs) -> None:
    # A fixture load (raw) stores rows as they were dumped.
    if not raw:
        check_single_line(instance)
