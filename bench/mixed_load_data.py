"""The mixed load's data and its mix of requests: customers with accounts, communications, letters and activities
loaded through the services (idempotent), postal letters, an Altinn dispatch, one API key per integrator, and the
kinds of request each family's integrators send (bench/mixed_load.py runs it).
"""

import json
import random
import time
from datetime import timedelta
from decimal import Decimal

from mixed_load_scenario import WRITE_MARK, Kind

CONTACTS = 600  # every third a company, with a valid Norwegian organisation number (an Altinn recipient)
POSTAL_ACCOUNT = "LOAD0001"
POSTAL_LETTERS = 2_000
REFS_PER_STATUS_QUERY = 10
POOL = 200  # records named per kind of request; each request draws one at random


# Data --------------------------------------------------------------------------------------------------


def organisation_number(n: int) -> str:
    """A valid organisation number (mod 11 check digit) for the n-th load company."""
    from stdnum.no import orgnr

    base = 95_000_000 + n * 7
    while True:
        valid = [f"{base:08d}{digit}" for digit in range(10) if orgnr.is_valid(f"{base:08d}{digit}")]
        if valid:
            return valid[0]
        base += 1  # no check digit fits (remainder 1): take the next base


def load_customers() -> None:
    """Contacts with accounts, a subscription, communications, letters and an activity each, through the services;
    idempotent."""
    from django.db import transaction

    from accounts import services as accounts
    from accounts.models import Classification, Contact, PaymentTerms, Team
    from activities import services as activities
    from activities.models import ActivityType
    from communications import services as communications
    from correspondence import services as letters
    from correspondence.models import CorrespondenceType

    load_subscriptions()
    have = set(Contact.objects.filter(code__startswith="LOAD-").values_list("code", flat=True))
    missing = [n for n in range(CONTACTS) if f"LOAD-{n:05d}" not in have]
    if not missing:
        return
    print(f"loading {len(missing)} customers with accounts, communications, letters and activities …", flush=True)
    started = time.perf_counter()
    terms = PaymentTerms.objects.get(name="Net 30")
    classification = Classification.objects.get(name="Business")
    letter = CorrespondenceType.objects.get(name="Standard letter")
    call = ActivityType.objects.in_mode(False).get(name="call")
    support = Team.objects.get(name="Support")
    rng = random.Random(9)
    first_names = ["Anna", "Ben", "Clara", "David", "Eva", "Filip", "Grete", "Henrik", "Ida", "Jonas"]
    last_names = ["Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Berg"]
    for n in missing:
        code = f"LOAD-{n:05d}"
        if n % 3 == 0:
            names = {"contact_type": "COMPANY", "company_name": f"Load Company {n} AS"}
            names["org_number"] = organisation_number(n)
        else:
            names = {"first_name": rng.choice(first_names), "last_name": f"{rng.choice(last_names)}{n}"}
        with transaction.atomic():
            contact = accounts.create_contact(
                is_test=False,
                code=code,
                email=f"customer{n}@example.com",
                phone=f"+4790{n:06d}",
                addresses=[
                    {
                        "address_line_1": f"Storgata {n % 90 + 1}",
                        "town_city": "Oslo",
                        "postal_code": f"{150 + n % 50:04d}",
                        "country_code": "NOR",
                        "is_primary": True,
                    }
                ],
                **names,
            )
            address = contact.addresses.first()
            for position in range(1 + n % 2):
                accounts.create_account(
                    contact,
                    currency_code="NOK" if position == 0 else "EUR",
                    is_primary=position == 0,
                    classification=classification,
                    billing_address=address,
                    payment_terms=terms,
                    credit_limit=Decimal("1000.00"),
                )
            for number in range(3):
                communications.create_communication(
                    is_test=False,
                    contact=contact,
                    direction="INCOMING",
                    media="PHONE",
                    subject=f"Call about the bill ({number + 1})",
                    content="Asked why the bill was higher than usual; explained the new tariff.",
                )
            for subject in ("Your new tariff", "Meter reading due"):
                letters.create_correspondence(
                    contact,
                    correspondence_type=letter,
                    content={"subject": subject, "body": "Dear customer,\n\nPlease find the details below."},
                )
            starts = contact.created_on + timedelta(days=1 + n % 20)
            activities.create_activity(
                is_test=False,
                name="Call customer",
                type=call,
                contact=contact,
                scheduled_from=starts,
                scheduled_to=starts + timedelta(hours=1),
                assigned_team=support,
            )
    load_subscriptions()
    print(f"loaded in {time.perf_counter() - started:.0f} s", flush=True)


def load_subscriptions() -> None:
    """An effective subscription of every load contact, on its primary account (what the email requests name)."""
    from accounts import services as accounts
    from accounts.models import Contact, Subscription

    for contact in Contact.objects.filter(code__startswith="LOAD-", subscriptions__isnull=True):
        subscription = accounts.save_record(
            Subscription(contact=contact, account=contact.accounts.order_by("-is_primary").first())
        )
        accounts.change_record_state(subscription, "EFFECTIVE")


def load_postal_letters() -> None:
    from accounts.models import Contact
    from postal import services as postal
    from postal.demo import letter_pdf
    from postal.models import Letter, PostalAccount

    account, _ = PostalAccount.objects.get_or_create(
        code=POSTAL_ACCOUNT,
        defaults={"name": "Load customer", "contact": Contact.objects.filter(code="LOAD-00000").first()},
    )
    have = Letter.objects.filter(postal_account=account, is_test=False).count()
    if have >= POSTAL_LETTERS:
        return
    print(f"uploading {POSTAL_LETTERS - have} postal letters …", flush=True)
    pdf = letter_pdf("load", ["Dear customer,", "Your statement is enclosed."])
    for start in range(have, POSTAL_LETTERS, 500):
        uploads = [
            postal.LetterUpload(ref=f"load-{n:06d}", pdf=pdf, transport="POST")
            for n in range(start, min(start + 500, POSTAL_LETTERS))
        ]
        postal.receive_mailing(account, uploads, is_test=False)


def altinn_dispatch(sender_key: str) -> list[str]:
    """One Initialize to every load company from this run's sender, published: the ids its sender reads."""
    from accounts.models import ApiKey, Contact
    from correspondence import services
    from correspondence.recipients import Recipient

    sender = ApiKey.objects.get(prefix=sender_key[:16])
    companies = Contact.objects.filter(code__startswith="LOAD-", contact_type="COMPANY").values_list(
        "org_number", flat=True
    )
    initialized = services.initialize_dispatch(
        sender=sender,
        recipients=[Recipient(number, is_organisation=True) for number in companies],
        content=services.MessageContent(
            language="nb", title="Ny faktura", summary="Fakturaen for mars er klar.", body="Se vedlagt faktura."
        ),
        senders_reference="load-invoices",
    )
    services.publish_due_correspondences(dispatch_id=initialized.dispatch.pk)
    return [str(correspondence.pk) for correspondence, _ in initialized.correspondences]


def api_keys() -> dict[str, str]:
    """One key per integrator, with its family's scopes, as each would be issued in production."""
    from accounts.services import create_api_key

    return {
        "backoffice": create_api_key("load back-office", ["backoffice.read", "backoffice.write"]),
        "crm": create_api_key("load CRM", ["communications.read", "communications.write"]),
        "letters": create_api_key("load letters", ["letters.read", "letters.write"]),
        "altinn": create_api_key("load Altinn sender", ["altinn:correspondence.write", "correspondence.read"]),
        "postal": create_api_key("load postal poller", ["postal.read"], postal_accounts=[POSTAL_ACCOUNT]),
    }


# The mix ---------------------------------------------------------------------------------------------------


def mix(keys: dict[str, str], altinn_ids: list[str], tag: str, seed: int = 1) -> list[Kind]:
    from accounts.models import Account, Contact, Subscription, Team
    from activities.models import ActivityType
    from communications.models import Communication
    from correspondence.models import Correspondence
    from postal.models import Letter

    rng = random.Random(seed)
    contacts = list(Contact.objects.filter(code__startswith="LOAD-").values("id", "email", "last_name"))
    accounts = list(Account.objects.filter(contact__code__startswith="LOAD-").values_list("id", flat=True))
    subscription_of = dict(
        Subscription.objects.filter(contact__code__startswith="LOAD-").values_list("contact_id", "number")
    )
    numbers = list(
        Communication.objects.filter(contact__code__startswith="LOAD-", subject__startswith="Call about")
        .order_by("number")
        .values_list("number", flat=True)
    )
    letters = list(
        Correspondence.objects.filter(customer__code__startswith="LOAD-", correspondence_type__name="Standard letter")
        .order_by("pk")
        .values_list("id", flat=True)
    )
    refs = list(Letter.objects.filter(postal_account__code=POSTAL_ACCOUNT).values_list("ref", flat=True))
    call = ActivityType.objects.in_mode(False).get(name="call").id
    support = Team.objects.get(name="Support").id
    people = [c for c in contacts if c["last_name"]]

    v2 = {"api_key": keys["backoffice"], "Accept": "application/json"}
    v2_write = {**v2, "Content-Type": "application/json"}
    bearer = {"Authorization": f"Bearer {keys['letters']}", "Accept": "application/json"}
    letters_write = {**bearer, "Content-Type": "application/json"}
    altinn = {"Authorization": f"Bearer {keys['altinn']}", "Accept": "application/json"}
    postal = {"Authorization": f"Bearer {keys['postal']}", "Content-Type": "application/json"}
    crm_read = {"Accept": "application/json"}
    crm_write = {"Content-Type": "application/json", "Accept": "application/json"}
    token = keys["crm"]
    now = int(time.time())

    def pick(items, shown=str) -> list[tuple[str, ...]]:
        return [(shown(rng.choice(items)),) for _ in range(POOL)]

    def body(fields: dict) -> str:
        return json.dumps(fields)

    def customers() -> list[tuple[str, ...]]:
        return pick(contacts, lambda c: str(c["id"]))

    crm_contact = {"contact_information_identifier": {"id": "@1@"}}
    kinds = [
        Kind(
            "back-office v2",
            "GET contacts/{id}/accounts",
            2,
            "GET",
            "/backoffice/v2/contacts/@1@/accounts",
            v2,
            values=customers(),
        ),
        Kind("back-office v2", "GET accounts/{id}", 2, "GET", "/backoffice/v2/accounts/@1@", v2, values=pick(accounts)),
        Kind(
            "back-office v2",
            "GET contacts?search_value=",
            1,
            "GET",
            "/backoffice/v2/contacts?search_value=@1@&size=20",
            v2,
            values=pick([c["last_name"] for c in people]),
        ),
        Kind(
            "back-office v2",
            "GET activities/ (3 filters, page of 20)",
            1,
            "GET",
            f"/backoffice/v2/activities/?states=PENDING&types={call}&assign_to_team_id={support}&size=20",
            v2,
        ),
        Kind(
            "back-office v2",
            "POST activities",
            1,
            "POST",
            "/backoffice/v2/activities",
            v2_write,
            body(
                {
                    "name": f"Follow-up call {tag}-{WRITE_MARK}",
                    "description": "Call back about the payment plan.",
                    "type_id": str(call),
                    "scheduled_on": {"from_date": now + 86_400, "to_date": now + 90_000},
                    "linked_to": [{"type": "CONTACT", "id": "@1@"}],
                }
            ),
            values=customers(),
            write=True,
        ),
        Kind(
            "CRM.COM communications",
            "GET communications/list",
            2,
            "GET",
            f"/crmapi/rest/v2/communications/list?token={token}&contact_information_identifier=id=@1@"
            "&number_of_results=20",
            crm_read,
            values=pick(contacts, lambda c: c["id"].hex.upper()),
        ),
        Kind(
            "CRM.COM communications",
            "GET communications/show",
            2,
            "GET",
            f"/crmapi/rest/v2/communications/show?token={token}&communication_identifier=number=@1@",
            crm_read,
            values=pick(numbers),
        ),
        Kind(
            "CRM.COM communications",
            "POST communications/create (phone note)",
            1,
            "POST",
            "/crmapi/rest/v2/communications/create",
            crm_write,
            body(
                {
                    "token": token,
                    **crm_contact,
                    "direction": "INCOMING",
                    "media": "PHONE",
                    "subject": f"Call {tag}-{WRITE_MARK}",
                    "content": "Asked about #contact_information.first_name's last bill.",
                }
            ),
            values=pick(contacts, lambda c: c["id"].hex.upper()),
            write=True,
        ),
        Kind(
            "CRM.COM communications",
            "POST communications/create (email, queued)",
            1,
            "POST",
            "/crmapi/rest/v2/communications/create",
            crm_write,
            body(
                {
                    "token": token,
                    **crm_contact,
                    "direction": "OUTGOING",
                    "media": "EMAIL",
                    "to": "@2@",
                    "subject": f"Notice {tag}-{WRITE_MARK}",
                    "content": "Dear #contact_information.first_name, subscription #subscription.number is due.",
                    "referring_to": {"subscription_identifier": {"number": "@3@"}},
                }
            ),
            values=[
                (c["id"].hex.upper(), c["email"], subscription_of[c["id"]])
                for c in (rng.choice(contacts) for _ in range(POOL))
            ],
            write=True,
        ),
        Kind(
            "letters",
            "GET customers/{id}/correspondence/",
            1,
            "GET",
            "/backend/api/v1/customers/@1@/correspondence/?limit=20",
            bearer,
            values=customers(),
        ),
        Kind(
            "letters",
            "GET correspondence/{id}",
            1,
            "GET",
            "/backend/api/v1/correspondence/@1@",
            bearer,
            values=pick(letters),
        ),
        Kind(
            "letters",
            "POST customers/{id}/correspondence/",
            1,
            "POST",
            "/backend/api/v1/customers/@1@/correspondence/",
            letters_write,
            body(
                {
                    "correspondenceType": "Standard letter",
                    "content": {
                        "subject": f"Payment plan {tag}-{WRITE_MARK}",
                        "body": "Dear customer,\n\nYour payment plan starts next month.",
                    },
                }
            ),
            values=customers(),
            write=True,
        ),
        Kind(
            "Altinn correspondence",
            "GET correspondence/{id}",
            1,
            "GET",
            "/correspondence/api/v1/correspondence/@1@",
            altinn,
            values=pick(altinn_ids),
        ),
        Kind(
            "Altinn correspondence",
            "GET correspondence/{id}/details",
            1,
            "GET",
            "/correspondence/api/v1/correspondence/@1@/details",
            altinn,
            values=pick(altinn_ids),
        ),
        Kind(
            "postal JSON-RPC",
            f"get_letter_status ({REFS_PER_STATUS_QUERY} refs)",
            2,
            "POST",
            "/publicinterface/jsonrpc",
            postal,
            body(
                {
                    "jsonrpc": "2.0",
                    "id": 1,
                    "method": "get_letter_status",
                    "params": {"account": POSTAL_ACCOUNT, "refs": ["@1@"]},
                }
            ).replace('["@1@"]', "[@1@]"),
            values=[
                (", ".join(json.dumps(ref) for ref in rng.sample(refs, REFS_PER_STATUS_QUERY)),) for _ in range(POOL)
            ],
        ),
    ]
    return kinds
