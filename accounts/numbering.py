"""Human numbers (AC00123456, CM000680): assigned from a counter row, never reused."""

from django.db import transaction

from .models import NumberSequence


def next_number(series: str, prefix: str, width: int, taken) -> str:
    """The next free number of a series; `taken(number)` says whether a record already holds it.

    The counter row is locked until the caller's transaction ends, so concurrent creates queue
    for it instead of both taking the same number.
    """
    with transaction.atomic():
        NumberSequence.objects.get_or_create(name=series)
        sequence = NumberSequence.objects.select_for_update().get(name=series)
        while True:
            sequence.last_value += 1
            number = f"{prefix}{sequence.last_value:0{width}d}"
            if not taken(number):
                break
        sequence.save(update_fields=["last_value"])
    return number
