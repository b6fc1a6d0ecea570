"""ISO code lists from pycountry, the maintained Debian iso-codes data, rather than a hand-typed table."""

from functools import cache

import pycountry

from .errors import InvalidValue


@cache
def currency_codes() -> frozenset[str]:
    return frozenset(currency.alpha_3 for currency in pycountry.currencies)


@cache
def country_codes() -> frozenset[str]:
    return frozenset(country.alpha_3 for country in pycountry.countries)


def validate_currency(code: str, field: str = "currency_code") -> str:
    if not isinstance(code, str) or code.upper() not in currency_codes():
        raise InvalidValue(f"{code!r} is not an ISO 4217 currency code.", field=field)
    return code.upper()


def validate_country(code: str, field: str = "country_code") -> str:
    if not isinstance(code, str) or code.upper() not in country_codes():
        raise InvalidValue(f"{code!r} is not an ISO 3166-1 alpha-3 country code.", field=field)
    return code.upper()
