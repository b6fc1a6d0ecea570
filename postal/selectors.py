"""Reads of the letter-status service: built for thousands of references per call."""

import uuid
from collections import defaultdict

from django.db import connection
from django.db.models import FloatField
from django.db.models.functions import Cast

from accounts.errors import NotFound
from correspondence.models import Correspondence

from .models import Letter, Mailing, PostalAccount
from .sql import UnixSeconds

# ref, dbid, epid, status, idx, received_ts, price, transports, transport, then the four opened times.
STATUS_COLUMNS = (
    "ref",
    "dbid",
    "mailing__epid",
    "status",
    "idx",
    UnixSeconds("received_on"),
    Cast("price", FloatField()),
    "transports",
    "transport",
    UnixSeconds("email_first_opened"),
    UnixSeconds("email_last_opened"),
    UnixSeconds("doc_first_opened"),
    UnixSeconds("doc_last_opened"),
)


def letter_status_rows(account_code: str, refs: list[str], *, is_test: bool) -> list[tuple]:
    """One row per known reference (columns as STATUS_COLUMNS), in one query on the unique
    (postal account, mode, ref) index. References the account does not have are simply absent.

    The ORM writes the query and the database computes Unix seconds and floats; the rows come straight from
    the cursor (`transports` as JSON text), since per-row conversion in Python costs more than the lookup.
    """
    if not refs:
        return []
    query = (
        Letter.objects.filter(postal_account__code=account_code, is_test=is_test, ref__any=refs)
        .values_list(*STATUS_COLUMNS)
        .order_by()
        .query
    )
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def recent_mailings(account_code: str, *, is_test: bool, limit: int) -> list[tuple[Mailing, list[tuple[str, int]]]]:
    """The account's `limit` latest mailings, newest first, each with its (ref, idx) in index order."""
    mailings = list(
        Mailing.objects.in_mode(is_test)
        .filter(postal_account__code=account_code)
        .order_by("-uploaded_on", "-epid")
        .only("id", "epid", "uploaded_on")[:limit]
    )
    letters = defaultdict(list)
    rows = (
        Letter.objects.filter(mailing__in=mailings)
        .order_by("mailing_id", "idx")
        .values_list("mailing_id", "ref", "idx")
    )
    for mailing_id, ref, idx in rows:
        letters[mailing_id].append((ref, idx))
    return [(mailing, letters[mailing.id]) for mailing in mailings]


def find_letter(account_code: str, ref: str, *, is_test: bool) -> Letter:
    letter = (
        Letter.objects.in_mode(is_test)
        .select_related("mailing", "postal_account")
        .filter(postal_account__code=account_code, ref=ref)
        .first()
    )
    if letter is None:
        raise NotFound("letter", ref)
    return letter


def find_postal_account(code: str) -> PostalAccount:
    account = PostalAccount.objects.filter(code=code).first()
    if account is None:
        raise NotFound("postal account", code)
    return account


def status_row(letter: Letter) -> tuple:
    """The letter as a row of STATUS_COLUMNS, for answers about a single letter."""

    def seconds(moment):
        return None if moment is None else int(moment.timestamp())

    return (
        letter.ref,
        letter.dbid,
        letter.mailing.epid,
        letter.status,
        letter.idx,
        seconds(letter.received_on),
        float(letter.price),
        letter.transports,
        letter.transport,
        seconds(letter.email_first_opened),
        seconds(letter.email_last_opened),
        seconds(letter.doc_first_opened),
        seconds(letter.doc_last_opened),
    )


def correspondences_by_id(identifiers, *, is_test: bool) -> dict[str, Correspondence]:
    """The correspondences of the mode that these ids name, their customers joined, read at once (a mailing may
    carry thousands); an id that names none is left out."""
    pks = {}
    for identifier in identifiers:
        try:
            pks[identifier] = uuid.UUID(identifier)
        except ValueError:
            continue
    found = Correspondence.objects.in_mode(is_test).select_related("customer").in_bulk(set(pks.values()))
    return {identifier: found[pk] for identifier, pk in pks.items() if pk in found}
