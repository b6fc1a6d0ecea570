"""Correspondence numbers: sequential in each customer's own series, assigned when left blank, never reused."""

from collections import Counter

from django.db.models import F

from accounts.errors import Conflict
from accounts.models import Contact, NumberSequence
from accounts.numbering import next_number

from ...models import Correspondence


def _series(customer_id) -> str:
    return f"correspondence:{customer_id}"


def assign_number(customer: Contact) -> str:
    return next_number(
        _series(customer.pk),
        "",
        1,
        taken=lambda number: Correspondence.objects.filter(customer=customer, number=number).exists(),
    )


def upcoming_number(customer: Contact) -> str:
    """The number the customer's next letter will most likely get, without taking it (for a preview)."""
    last = NumberSequence.objects.filter(name=_series(customer.pk)).values_list("last_value", flat=True).first() or 0
    taken = set(Correspondence.objects.filter(customer=customer).values_list("number", flat=True))
    value = last + 1
    while str(value) in taken:
        value += 1
    return str(value)


def check_number_free(customer: Contact, number: str, exclude=None) -> None:
    taken = Correspondence.objects.filter(customer=customer, number=number)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise Conflict(f"The customer already has correspondence number {number}.", field="number")


def assign_numbers(customer_ids: list) -> list[str]:
    """The next correspondence number of each customer, in order (a customer named twice gets two), never reused."""
    wanted = Counter(customer_ids)
    series = {pk: _series(pk) for pk in wanted}
    NumberSequence.objects.bulk_create([NumberSequence(name=name) for name in series.values()], ignore_conflicts=True)
    # Locked in one order, so two dispatches to overlapping customers queue instead of deadlocking.
    last = dict(
        NumberSequence.objects.select_for_update()
        .filter(name__in=series.values())
        .order_by("name")
        .values_list("name", "last_value")
    )
    taken = set(Correspondence.objects.filter(customer_id__in=wanted).values_list("customer_id", "number"))
    numbers, used = {}, Counter()
    for pk, count in wanted.items():
        value, free = last[series[pk]], []
        while len(free) < count:
            value += 1
            if (pk, str(value)) not in taken:
                free.append(str(value))
        numbers[pk], used[series[pk]] = iter(free), value - last[series[pk]]
    # One UPDATE per distinct step (almost always one: every customer moves on by one).
    for step in set(used.values()):
        names = [name for name, moved in used.items() if moved == step]
        NumberSequence.objects.filter(name__in=names).update(last_value=F("last_value") + step)
    return [next(numbers[pk]) for pk in customer_ids]
