"""Records made as integrators make them — through the five API families — at the moments a test names.

Every insight test counts what it made here on its own and compares that with what the insights answer."""

import base64
import json
from contextlib import contextmanager
from datetime import UTC, datetime

import time_machine
from django.test import TestCase
from rest_framework.test import APIClient

from accounts.models import Account
from activities.models import ActivityType
from communications.models import Category, QueueExternalSystem
from correspondence.models import CorrespondenceSection, CorrespondenceType
from postal import services as postal_services
from postal.demo import letter_pdf
from postal.models import PostalAccount


def day(text: str) -> datetime:
    """'2026-03-02 10:00' as an aware UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def epoch(text: str) -> int:
    return int(day(text).timestamp())


class CommittingClient(APIClient):
    """Runs what a request left for after its commit (emails, PDFs, lodging), as a real request would."""

    def generic(self, *args, **kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().generic(*args, **kwargs)


class World:
    def __init__(self, key: str):
        self.key = key
        self.v2 = CommittingClient()
        self.v2.credentials(HTTP_API_KEY=key)
        self.letters = CommittingClient()
        self.letters.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        self.counter = 0

    @contextmanager
    def at(self, moment: str):
        with time_machine.travel(day(moment), tick=False):
            yield

    def _ok(self, response, status=(200, 201)):
        assert response.status_code in status, response.content
        return response.json() if response.content else None

    # accounts

    def contact(self, *, country="CYP", company=False, code=None, **fields) -> str:
        self.counter += 1
        body = (
            {"type": "COMPANY", "company_name": f"Company {self.counter}"}
            if company
            else {
                "first_name": "Ann",
                "last_name": f"Smith {self.counter}",
            }
        )
        if code:
            body["code"] = code
        if country:
            body["addresses"] = [{"address_line_1": "1 Main Street", "town_city": "Nicosia", "country_code": country}]
        return self._ok(self.v2.post("/backoffice/v2/contacts", {**body, **fields}, format="json"))["id"]

    def account(self, contact: str, currency="EUR", balance=None) -> str:
        created = self._ok(
            self.v2.post(f"/backoffice/v2/contacts/{contact}/accounts", {"currency_code": currency}, format="json")
        )
        if balance is not None:
            # No API sets a balance (invoices and payments are not this product's): the ledger is written directly.
            Account.objects.filter(pk=created["id"]).update(balance=balance)
        return created["id"]

    def terminate(self, account: str, transfer_to: str | None = None):
        body = {"state": "TERMINATED", **({"account_id": transfer_to} if transfer_to else {})}
        return self._ok(self.v2.post(f"/backoffice/v2/accounts/{account}/actions", body, format="json"))

    # communications

    def crm(self, method: str, body: dict):
        response = self.v2.post(f"/crmapi/rest/v2/{method}", {"token": self.key, **body}, format="json")
        assert response.status_code == 200, response.content
        return response.json()["data"]

    def communication(self, contact: str, *, media="PHONE", direction="INCOMING", **fields) -> dict:
        body = {
            "contact_information_identifier": {"id": contact},
            "direction": direction,
            "media": media,
            "subject": "Call about the bill",
            "content": "Notes",
            **fields,
        }
        if media == "EMAIL" or (media == "SMS" and direction == "OUTGOING"):
            body.setdefault("to", "ann@example.com" if media == "EMAIL" else "+35799123456")
        return self.crm("communications/create", body)

    def category(self, name: str) -> str:
        return str(Category.objects.get_or_create(name=name, defaults={"code": name.lower()})[0].pk)

    def external_system(self, name="CONAX Mail message") -> QueueExternalSystem:
        return QueueExternalSystem.objects.get_or_create(name=name, defaults={"alternative_code": name[:8]})[0]

    def queued(self, contact: str) -> str:
        system = self.external_system()
        data = self.communication(
            contact,
            media="SMS",
            direction="OUTGOING",
            communication_queue_external_system_identifier={"id": str(system.pk)},
        )
        response = self.v2.get(
            "/crmapi/rest/v2/communications/queue/list",
            {"token": self.key, "communication_queue_external_system_identifier": f"id={system.pk.hex}"},
        )
        assert response.status_code == 200, response.content
        return next(e["id"] for e in response.json()["data"] if e["communication"]["number"] == data["number"])

    def process(self, entry: str):
        return self.crm("communications/queue/process", {"communication_queue_identifier": {"id": entry}})

    def reject(self, entry: str):
        body = {"communication_queue_identifier": {"id": entry}, "error_code": "01", "error_description": "No"}
        return self.crm("communications/queue/reject", body)

    # letters

    def letter_type(self, name="Standard letter") -> str:
        kind, created = CorrespondenceType.objects.get_or_create(name=name)
        if created:
            CorrespondenceSection.objects.create(correspondence_type=kind, key="body", required=True)
        return kind.name

    def letter(self, contact: str, type_name="Standard letter") -> str:
        body = {"correspondenceType": self.letter_type(type_name), "content": {"body": "Dear customer"}}
        return self._ok(self.letters.post(f"/backend/api/v1/customers/{contact}/correspondence/", body, format="json"))[
            "id"
        ]

    def email_letter(self, letter: str):
        url = f"/backend/api/v1/correspondence/{letter}?action=email"
        return self._ok(self.letters.post(url, {"email": ["ann@example.com"]}, format="json"))

    def deliver_letter(self, letter: str):
        return self._ok(self.letters.post(f"/backend/api/v1/correspondence/{letter}?action=deliver"))

    # postal

    def postal_account(self, code="ABC12345", contact: str | None = None) -> PostalAccount:
        account, _ = PostalAccount.objects.get_or_create(code=code, defaults={"name": f"Customer {code}"})
        if contact:
            PostalAccount.objects.filter(pk=account.pk).update(contact_id=contact)
        return account

    def postal_letters(self, account: str, refs: list[str], transport="POST") -> list[int]:
        pdf = base64.b64encode(letter_pdf("x", ["Dear customer"])).decode()
        reach = {"email": "ann@example.com", "phone": "+35799123456"}
        letters = [{"ref": ref, "pdf": pdf, "transport": transport, **reach} for ref in refs]
        body = {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "upload_mailing",
            "params": {"account": account, "letters": letters},
        }
        response = self.letters.generic("POST", "/publicinterface/jsonrpc", json.dumps(body), "application/json")
        answer = response.json()
        assert "result" in answer, answer
        return [entry["dbid"] for entry in answer["result"]["letters"]]

    def lodge(self, moment: str):
        """The mail house's lodging run at that moment (the ops command and the beat task run the same)."""
        return postal_services.lodge_due_letters(now=day(moment))

    def return_letters(self, account: str, refs: list[str]):
        return postal_services.mark_returned(account, refs)

    # activities

    def activity_type(self, name="site visit") -> str:
        return str(ActivityType.objects.get_or_create(name=name, is_test=False)[0].pk)

    def activity(self, contact: str, type_id: str | None = None, team: str | None = None, at="2026-01-05 09:00") -> str:
        body = {
            "name": "Visit",
            "type_id": type_id or self.activity_type(),
            "scheduled_on": {"from_date": epoch(at)},
            "linked_to": [{"type": "CONTACT", "id": contact}],
        }
        if team:
            body["assign_to"] = {"team_id": team}
        return self._ok(self.v2.post("/backoffice/v2/activities", body, format="json"))["id"]

    def close_activity(self, activity: str, state: str):
        return self._ok(self.v2.put(f"/backoffice/v2/activities/{activity}", {"state": state}, format="json"))

    # insights

    def insight(self, events, filters=(), breakdowns=(), limit=None, name="Chart") -> str:
        insight = self._ok(self.v2.post("/backoffice/v2/insights", {"name": name}, format="json"))["id"]
        self._ok(self.v2.post(f"/backoffice/v2/insights/{insight}/events", {"events": events}, format="json"))
        if filters:
            self._ok(
                self.v2.post(f"/backoffice/v2/insights/{insight}/filters", {"filters": list(filters)}, format="json")
            )
        if breakdowns:
            body = {"breakdowns": [{"dimension": d} for d in breakdowns], **({"limit": limit} if limit else {})}
            self._ok(self.v2.post(f"/backoffice/v2/insights/{insight}/breakdowns", body, format="json"))
        return insight

    def results(self, insight: str, **params) -> dict:
        return self._ok(self.v2.get(f"/backoffice/v2/insights/{insight}/results", params))


def series(results: dict, **match) -> dict:
    """The one item of `content` whose keys equal `match` (breakdown given as a dict)."""
    found = [item for item in results["content"] if all(item[key] == value for key, value in match.items())]
    assert len(found) == 1, (match, [(i["event"], i["measurement"], i["breakdown"]) for i in results["content"]])
    return found[0]


def values(item: dict) -> list:
    return [point["value"] for point in item["data"]]
