"""Recipients of an Initialize: Norwegian organisation and national identity numbers, as Altinn writes them.

`0192:` is the ICD code of the Norwegian organisation register, so `0192:910753614` and
`urn:altinn:organization:identifier-no:910753614` name the same organisation.
"""

import re
from dataclasses import dataclass

from stdnum.no import fodselsnummer, orgnr

ORGANISATION_URN = "urn:altinn:organization:identifier-no:"
PERSON_URN = "urn:altinn:person:identifier-no:"
ORGANISATION_ICD = "0192:"

_ORGANISATION = re.compile(rf"^(?:{re.escape(ORGANISATION_ICD)}|{re.escape(ORGANISATION_URN)})(\d{{9}})$")
_PERSON = re.compile(rf"^(?:{re.escape(PERSON_URN)})?(\d{{11}})$")

FORMAT_MESSAGE = (
    "Recipient should be an organization number in the format "
    f"'{ORGANISATION_URN}organizationnumber' or the format countrycode:organizationnumber, "
    "for instance 0192:910753614, or a national identity number"
)


class InvalidRecipient(ValueError):
    pass


@dataclass(frozen=True)
class Recipient:
    """A parsed recipient: an organisation number or a national identity number, 9 or 11 digits."""

    number: str
    is_organisation: bool

    @property
    def display(self) -> str:
        """How the API shows the recipient: `0192:{orgNumber}` for organisations, the bare number for persons."""
        return f"{ORGANISATION_ICD}{self.number}" if self.is_organisation else self.number

    @property
    def urn(self) -> str:
        return f"{ORGANISATION_URN if self.is_organisation else PERSON_URN}{self.number}"


def parse_recipient(text: str) -> Recipient:
    value = (text or "").strip()
    if match := _ORGANISATION.match(value):
        number = match.group(1)
        if not orgnr.is_valid(number):
            raise InvalidRecipient(f"The given Recipient organization number {number} is not valid")
        return Recipient(number, is_organisation=True)
    if match := _PERSON.match(value):
        number = match.group(1)
        if not fodselsnummer.is_valid(number):
            raise InvalidRecipient("The given Recipient national identity number is not valid")
        return Recipient(number, is_organisation=False)
    raise InvalidRecipient(FORMAT_MESSAGE)
