"""The letter-status service's methods. Each checks its params, then calls one selector or service."""

import base64
import binascii
import time

from accounts.errors import NotFound
from postal import selectors, services
from postal.models import REF_MAX_LENGTH, MailingSource, are_valid_refs
from postal.polling import check_polling_allowance

from .dialect import Call, JsonRpcService, integer_param, invalid_params, list_param, text_param
from .serializers import letter_status, unknown_letter, uploaded_mailing

MAX_REFS = 5000
MAX_RECENT_UPLOADS = 100
ACCOUNT_MAX_LENGTH = 16
# Longer than any account code: malformed rather than unknown, and kept out of the polling counters' keys.
ACCOUNT_PARAM_MAX_LENGTH = 64
LETTER_MEMBERS = {"ref", "pdf", "correspondence_id", "transport", "email", "phone"}

service = JsonRpcService(scopes=("postal.read", "postal.write"))


def _refs(value) -> list[str]:
    refs = list_param(value, "refs", maximum=MAX_REFS)
    if not are_valid_refs(refs):
        raise invalid_params(
            "refs", f"every ref must be a string of 1 to {REF_MAX_LENGTH} characters, no control characters."
        )
    # A ref named twice is answered (and counted) once.
    return list(dict.fromkeys(refs))


@service.method(scope="postal.read")
def get_letter_status(call: Call, account, refs):
    account = text_param(account, "account", max_length=ACCOUNT_PARAM_MAX_LENGTH)
    refs = _refs(refs)
    check_polling_allowance(caller=call.caller, account=account, is_test=call.is_test, refs=refs, now=time.time())
    rows = selectors.letter_status_rows(account, refs, is_test=call.is_test) if call.may_use(account) else []
    found = {row[0]: row for row in rows}
    return {"letters": [letter_status(found[ref]) if ref in found else unknown_letter(ref) for ref in refs]}


@service.method(scope="postal.read")
def recent_uploads(call: Call, account, limit=MAX_RECENT_UPLOADS):
    account = text_param(account, "account", max_length=ACCOUNT_PARAM_MAX_LENGTH)
    limit = integer_param(limit, "limit", minimum=1, maximum=MAX_RECENT_UPLOADS)
    if not call.may_use(account):
        return []
    mailings = selectors.recent_mailings(account, is_test=call.is_test, limit=limit)
    return [uploaded_mailing(mailing, letters) for mailing, letters in mailings]


@service.method(scope="postal.write")
def upload_mailing(call: Call, account, letters):
    account = text_param(account, "account", max_length=ACCOUNT_MAX_LENGTH)
    letters = list_param(letters, "letters", maximum=services.MAX_LETTERS_PER_MAILING)
    postal_account = _usable_account(call, account)
    named = selectors.correspondences_by_id(_correspondence_ids(letters), is_test=call.is_test)
    uploads = [_letter_upload(position, letter, named) for position, letter in enumerate(letters)]
    mailing = services.receive_mailing(postal_account, uploads, is_test=call.is_test, source=MailingSource.API)
    stored = list(mailing.letters.order_by("idx").values_list("ref", "idx", "dbid"))
    answer = uploaded_mailing(mailing, [(ref, idx) for ref, idx, _ in stored])
    for entry, (_, _, dbid) in zip(answer["letters"], stored, strict=True):
        entry["dbid"] = dbid
    return answer


@service.method(scope="postal.write")
def cancel_letter(call: Call, account, ref):
    account = text_param(account, "account", max_length=ACCOUNT_PARAM_MAX_LENGTH)
    ref = text_param(ref, "ref", max_length=REF_MAX_LENGTH)
    if not call.may_use(account):
        raise NotFound("letter", ref)
    letter = selectors.find_letter(account, ref, is_test=call.is_test)
    return letter_status(selectors.status_row(services.cancel_letter(letter)))


def _usable_account(call: Call, code: str):
    if not call.may_use(code):
        raise NotFound("postal account", code)
    return selectors.find_postal_account(code)


def _correspondence_ids(letters: list) -> list[str]:
    return [
        letter["correspondence_id"]
        for letter in letters
        if isinstance(letter, dict) and isinstance(letter.get("correspondence_id"), str)
    ]


def _letter_upload(position: int, letter, named: dict) -> services.LetterUpload:
    where = f"letters[{position}]"
    if not isinstance(letter, dict):
        raise invalid_params(where, f"{where} must be an object.")
    unknown = sorted(set(letter) - LETTER_MEMBERS)
    if unknown:
        raise invalid_params(f"{where}.{unknown[0]}", f"{where} has unknown member(s) {', '.join(unknown)}.")
    ref = text_param(letter.get("ref"), f"{where}.ref", max_length=REF_MAX_LENGTH)
    contact = {
        name: text_param(letter.get(name, ""), f"{where}.{name}", max_length=254, required=False).strip()
        for name in ("email", "phone")
    }
    if ("pdf" in letter) == ("correspondence_id" in letter):
        raise invalid_params(f"{where}.pdf", f"{where} needs either pdf (base64) or correspondence_id, not both.")
    if "correspondence_id" in letter:
        identifier = text_param(letter["correspondence_id"], f"{where}.correspondence_id")
        correspondence = named.get(identifier)
        if correspondence is None:
            raise NotFound("correspondence", identifier)
        return services.letter_from_correspondence(
            correspondence, ref=ref, transport=letter.get("transport"), **contact
        )
    encoded = text_param(letter.get("pdf"), f"{where}.pdf")
    try:
        # Line breaks are dropped: `base64 letter.pdf` wraps its output at 76 characters.
        pdf = base64.b64decode("".join(encoded.split()), validate=True)
    except (binascii.Error, ValueError):
        raise invalid_params(f"{where}.pdf", f"{where}.pdf is not base64.") from None
    return services.LetterUpload(ref=ref, pdf=pdf, transport=letter.get("transport"), **contact)
