"""A new record and its first snapshot in one statement (accounts.history.insert_with_history): the same rows as
`save()` writes, who acted included, the record's rules run first, and a refused record writes neither."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.actors import Actor, ActorPath, acting
from accounts.errors import InvalidValue
from accounts.history import SNAPSHOT_FIELDS, insert_with_history
from accounts.models import ApiKey
from communications.models import Communication
from communications.services.communications import NUMBERS

pytestmark = pytest.mark.django_db

NOT_COMPARED = {"id", "history_id", "history_date", "number", "code", "created_on", "updated_on"}


def new_communication(contact, **fields) -> Communication:
    defaults = {"contact": contact, "direction": "INCOMING", "media": "PHONE", "subject": "Call", "content": "Notes"}
    taken = Communication.objects.count()
    return Communication(**{"number": f"T{taken}", "code": str(taken), **defaults, **fields})


def snapshot(record) -> dict:
    (row,) = type(record).history.filter(id=record.id).values()
    return {name: value for name, value in row.items() if name not in NOT_COMPARED}


def test_the_rows_are_those_save_writes(contact, api_key):
    key = ApiKey.objects.get(hashed_key=ApiKey.hash(api_key))
    with acting(Actor.caller(ActorPath.CRM, api_key=key)):
        saved = new_communication(contact, notes="Called back", udf_float_1=1.5)
        saved.save(force_insert=True)
        inserted = new_communication(contact, notes="Called back", udf_float_1=1.5)
        with CaptureQueriesContext(connection) as statements:
            insert_with_history(inserted)

    assert snapshot(inserted) == snapshot(saved)
    assert snapshot(inserted)["history_type"] == "+" and snapshot(inserted)["actor_api_key_id"] == key.pk
    assert Communication.objects.get(pk=inserted.pk).notes == "Called back"
    assert inserted._state.adding is False and inserted.created_on is not None
    if connection.vendor == "postgresql":
        assert len(statements) == 1


def test_a_record_its_rules_refuse_writes_nothing(contact):
    refused = new_communication(contact, subject="Two\nlines")

    with pytest.raises(InvalidValue):
        insert_with_history(refused)

    assert not Communication.objects.exists() and not Communication.history.exists()


def test_a_numbered_record_draws_its_number_in_the_same_statement(contact):
    insert_with_history(new_communication(contact, number="", code=""), NUMBERS)  # the series' counter is made
    first = new_communication(contact, number="", code="")
    with CaptureQueriesContext(connection) as statements:
        insert_with_history(first, NUMBERS)
    after = int(first.code)
    holder = new_communication(contact, number=f"CM{after + 2:06d}", code="")
    insert_with_history(holder, NUMBERS)
    stepping = new_communication(contact, number="", code="")
    insert_with_history(stepping, NUMBERS)

    assert (first.number, len(statements.captured_queries)) == (f"CM{after:06d}", 1)
    assert (holder.number, holder.code) == (f"CM{after + 2:06d}", str(after + 1))
    assert (stepping.number, stepping.code) == (f"CM{after + 3:06d}", str(after + 3))
    for record in (first, holder, stepping):
        assert Communication.objects.filter(id=record.id, number=record.number, code=record.code).exists()
        assert snapshot(record)["history_type"] == "+"


def test_the_statement_is_converted_once_for_all_its_parameters(contact, monkeypatch):
    """psycopg keeps its conversion of a statement's placeholders only up to 50 parameters and 4,096 characters
    unless told more."""
    from psycopg import _queries

    if connection.vendor != "postgresql":
        pytest.fail("this test is about PostgreSQL's driver")
    insert_with_history(new_communication(contact, number="", code=""), NUMBERS)
    converted = []
    convert = _queries._query2pg_nocache
    monkeypatch.setattr(_queries, "_query2pg_nocache", lambda *args: converted.append(args) or convert(*args))
    inserted = new_communication(contact, number="", code="")
    with CaptureQueriesContext(connection) as statements:
        insert_with_history(inserted, NUMBERS)

    (statement,) = statements.captured_queries
    assert len(statement["sql"]) > 4096 or len(Communication._meta.local_concrete_fields) + len(SNAPSHOT_FIELDS) > 50
    assert Communication.history.filter(id=inserted.id).exists()
    assert converted == []
