"""Valid Norwegian organisation and national identity numbers for tests, their check digits checked by stdnum."""

from functools import cache
from itertools import islice

from stdnum.no import fodselsnummer, orgnr


def _organisation_numbers():
    for base in range(91_000_000, 99_999_999):
        for digit in range(10):
            if orgnr.is_valid(f"{base}{digit}"):
                yield f"{base}{digit}"


def _national_identity_numbers():
    # People born on 1–28 January 1970–1999, with every individual number whose check digits work out.
    for individual in range(500):
        for year in range(70, 100):
            for day in range(1, 29):
                base = f"{day:02d}01{year:02d}{individual:03d}"
                valid = [f"{base}{k:02d}" for k in range(100) if fodselsnummer.is_valid(f"{base}{k:02d}")]
                yield from valid[:1]


@cache
def organisation_numbers(count: int) -> tuple[str, ...]:
    return tuple(islice(_organisation_numbers(), count))


@cache
def national_identity_numbers(count: int) -> tuple[str, ...]:
    return tuple(islice(_national_identity_numbers(), count))


def organisation_number(n: int = 0) -> str:
    return organisation_numbers(n + 1)[n]


def national_identity_number(n: int = 0) -> str:
    return national_identity_numbers(n + 1)[n]
