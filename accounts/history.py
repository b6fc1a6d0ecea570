"""One record of who acted: the actor on every row that says who did something, and each main record's history.

A record's history is django-simple-history's: a snapshot per change in a `Historical<Model>` table, written on
every save and delete. Each snapshot also says who acted (`current_actor()`): django-simple-history's
`history_user`, and the path, API key and name below. A write that goes round `save()` (a conditional UPDATE, a
bulk insert) calls `record_history` with the records as they now are.
"""

from collections.abc import Iterable, Sequence
from functools import cache

from django.conf import settings
from django.db import connections, models, router, transaction
from django.db.models.signals import pre_save
from django.utils import timezone
from simple_history.manager import HistoryDescriptor
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from .actors import Actor, ActorPath, current_actor


class ActedBy(models.Model):
    """Who did what a row records: a status change, an emailing asked for."""

    actor_path = models.CharField(max_length=10, choices=ActorPath, default=ActorPath.SYSTEM)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_api_key = models.ForeignKey(
        "accounts.ApiKey", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=200, blank=True, help_text="The user, API key, command or task.")

    class Meta:
        abstract = True

    @property
    def actor(self) -> Actor:
        return Actor(self.actor_path, user=self.actor_user, api_key=self.actor_api_key, name=self.actor_name)

    def stamp_actor(self, actor: Actor | None = None) -> None:
        for name, value in (actor or current_actor()).stamp().items():
            setattr(self, name, value)


class HistoricalActor(models.Model):
    """What a history snapshot records of who acted, besides django-simple-history's `history_user`."""

    actor_path = models.CharField(max_length=10, choices=ActorPath, default=ActorPath.SYSTEM)
    # No index and no constraint, as django-simple-history keeps its copies of foreign keys: history is
    # written often and read one record at a time.
    actor_api_key = models.ForeignKey(
        "accounts.ApiKey",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def actor(self) -> Actor:
        return Actor(self.actor_path, user=self.history_user, api_key=self.actor_api_key, name=self.actor_name)


def _acting_user(instance=None, request=None, **kwargs):
    return current_actor().user


class RecordHistory(HistoricalRecords):
    """django-simple-history as every main record uses it: who acted, and only the record's id indexed."""

    def __init__(self, **kwargs):
        super().__init__(bases=[HistoricalActor], get_user=_acting_user, **kwargs)

    def copy_fields(self, model):
        fields = super().copy_fields(model)
        for name, field in fields.items():
            # The record's id leads every read of its history; an index per copied column would only slow writes.
            if name != model._meta.pk.name:
                field.db_index = False
        return fields

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        descriptor = sender.__dict__.get(self.manager_name)
        if type(descriptor) is HistoryDescriptor:
            setattr(sender, self.manager_name, _ManagerBuiltOnce(descriptor))

    def get_change_reason_for_object(self, instance, history_type, using):
        # A reason belongs to one change: the next save of the same instance has none unless given again.
        return instance.__dict__.pop("_change_reason", None)


class _ManagerBuiltOnce(HistoryDescriptor):
    """`Model.history`, whose manager class django-simple-history builds anew on every access (each snapshot
    written asks for it, and building it inspects every queryset method): here it is built once."""

    def __init__(self, descriptor: HistoryDescriptor):
        super().__init__(descriptor.model, manager=descriptor.manager_class, queryset=descriptor.queryset_class)
        self.built = self.manager_class.from_queryset(self.queryset_class)

    def __get__(self, instance, owner):
        return self.built(self.model, instance)


def _stamp_snapshot(sender, history_instance, **kwargs):
    if isinstance(history_instance, HistoricalActor):
        for name, value in current_actor().history_stamp().items():
            setattr(history_instance, name, value)


pre_create_historical_record.connect(_stamp_snapshot, weak=False, dispatch_uid="accounts.history.stamp_snapshot")


def record_history(records: Iterable[models.Model], *, created: bool = False, reason: str = "") -> None:
    """Snapshots of records written without `save()`, as they now are, in one insert."""
    records = list(records)
    if not records:
        return
    actor = current_actor()
    type(records[0]).history.bulk_history_create(
        records,
        update=not created,
        default_user=actor.user,
        default_change_reason=reason,
        custom_historical_attrs=actor.history_stamp(),
    )


def anonymise_history(model: type[models.Model], ids: Iterable, values: dict) -> int:
    """What retention removes from a record goes from its earlier snapshots too."""
    return model.history.filter(**{f"{model._meta.pk.attname}__in": list(ids)}).update(**values)


def with_reason(record: models.Model, reason: str) -> models.Model:
    """The next snapshot of `record` says what was done in a word or two ("terminated", "revoked")."""
    record._change_reason = reason
    return record


# What a snapshot says of the change besides the record's own fields: django-simple-history's and who acted.
SNAPSHOT_FIELDS = (
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
    "actor_path",
    "actor_api_key",
    "actor_name",
)


def insert_with_history(record: models.Model, numbered=None) -> None:
    """A new record and its first snapshot, as `save()` writes them (the record's pre_save rules run first), in one
    statement on PostgreSQL: one round trip, atomic by itself, where `save()` makes four (BEGIN, two INSERTs,
    COMMIT). Elsewhere, `save()` in a transaction.

    With `numbered` (an accounts.numbering.Series), the record takes the series' next unused number, unless it
    already has one of its own, and its code: on PostgreSQL drawn by the same statement, so the counter's row is
    locked for that statement alone, as next_unused() locks it."""
    model = type(record)
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    # A key the database assigns, or a parent table's row, would need more than one plain statement.
    if connection.vendor != "postgresql" or meta.parents or any(f.db_returning for f in meta.local_concrete_fields):
        if numbered is not None:
            numbered.assign(record)
        with transaction.atomic(using=connection.alias):
            record.save(force_insert=True, using=connection.alias)
        return
    pre_save.send(sender=model, instance=record, raw=False, using=connection.alias, update_fields=None)
    drawn = () if numbered is None else numbered.fields_drawn(record)
    sql, fields, snapshot_fields = _insert_with_history(model, connection.alias, drawn)
    params = [field.get_db_prep_save(field.pre_save(record, True), connection) for field in fields]
    params += _snapshot(snapshot_fields, "+", record.__dict__.pop("_change_reason", None), connection)
    with connection.cursor() as cursor:
        if numbered is None:
            cursor.execute(sql, params)
        else:
            draw, draw_params = numbered.draw()
            while (row := _run(cursor, f"WITH {draw}, {sql}", [*draw_params, *params])) is None:
                numbered.missed()
            for (name, _), value in zip(drawn, row, strict=True):
                setattr(record, name, value)
    record._state.adding = False
    record._state.db = connection.alias


def _run(cursor, sql: str, params: list):
    cursor.execute(sql, params)
    return cursor.fetchone()


@cache
def _insert_with_history(model: type[models.Model], alias: str, drawn: tuple[tuple[str, str], ...] = ()) -> tuple:
    """The statement, the record's fields its first parameters are prepared by, and the snapshot's for the rest.
    With `drawn` (fields the draw's `free` row fills, with its column), the record's row is selected from `free`,
    so a held number writes nothing, and the snapshot returns the drawn values."""
    meta = model._meta
    connection = connections[alias]
    quote = connection.ops.quote_name
    names = [name for name, _ in drawn]
    fields = [field for field in meta.local_concrete_fields if field.name not in names]
    tracked, snapshot_sql, snapshot_fields = _snapshot_of(model, alias, "created")
    columns = ", ".join(quote(field.column) for field in [*fields, *(meta.get_field(name) for name in names)])
    if not drawn:
        row = f"VALUES ({', '.join(['%s'] * len(fields))})"
    else:
        # In a SELECT, PostgreSQL types a parameter by itself (NULL as text), not by the column it goes to.
        values = [f"CAST(%s AS {_cast_type(field, connection)})" for field in fields]
        row = f"SELECT {', '.join([*values, *(f'free.{column}' for _, column in drawn)])} FROM free"
    sql = f"created AS (INSERT INTO {quote(meta.db_table)} ({columns}) {row} RETURNING {tracked}) {snapshot_sql}"
    if drawn:
        returned = ", ".join(quote(meta.get_field(name).column) for name in names)
        return f"{sql} RETURNING {returned}", fields, snapshot_fields
    return f"WITH {sql}", fields, snapshot_fields


def _cast_type(field: models.Field, connection) -> str:
    # Text for the character types, so a value too long is refused by the column as a plain INSERT's would be.
    db_type = field.cast_db_type(connection)
    return "text" if db_type.startswith("varchar") else db_type


def update_with_history(model: type[models.Model], pk, changes: dict, *, where: dict[str, Sequence]) -> bool:
    """One record's conditional UPDATE (`changes` where each field of `where` holds one of its values) and its
    snapshot as the UPDATE left it, in one statement on PostgreSQL: one round trip, nothing read back. Elsewhere
    the two in one transaction. False if nothing matched."""
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql":  # no UPDATE inside a WITH
        with transaction.atomic(using=alias):
            conditions = {f"{name}__in": values for name, values in where.items()}
            if not model._base_manager.using(alias).filter(pk=pk, **conditions).update(**changes):
                return False
            record_history(model._base_manager.using(alias).filter(pk=pk))
            return True
    counts = tuple((name, len(values)) for name, values in where.items())
    sql, fields, snapshot_fields = _update_with_history(model, alias, tuple(changes), counts)
    values = [*changes.values(), pk, *(value for allowed in where.values() for value in allowed)]
    params = [
        field.get_db_prep_save(getattr(value, "pk", value), connection)
        for field, value in zip(fields, values, strict=True)
    ]
    params += _snapshot(snapshot_fields, "~", "", connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount > 0


@cache
def _update_with_history(model, alias: str, changed: tuple[str, ...], where: tuple[tuple[str, int], ...]) -> tuple:
    """The statement, the fields the change's parameters are prepared by, and the snapshot's for the rest."""
    meta = model._meta
    quote = connections[alias].ops.quote_name
    tracked, snapshot_sql, snapshot_fields = _snapshot_of(model, alias, "changed")
    conditions = [f"{quote(meta.pk.column)} = %s"]
    conditions += [f"{quote(meta.get_field(name).column)} IN ({', '.join(['%s'] * count)})" for name, count in where]
    sql = (
        f"WITH changed AS (UPDATE {quote(meta.db_table)}"
        f" SET {', '.join(f'{quote(meta.get_field(name).column)} = %s' for name in changed)}"
        f" WHERE {' AND '.join(conditions)} RETURNING {tracked}) {snapshot_sql}"
    )
    fields = [*(meta.get_field(name) for name in changed), meta.pk]
    fields += [meta.get_field(name) for name, count in where for _ in range(count)]
    return sql, fields, snapshot_fields


def _snapshot_of(model: type[models.Model], alias: str, written: str) -> tuple[str, str, list]:
    """For a statement `WITH <written> AS (… RETURNING <tracked>)`: the tracked columns to return, the INSERT of
    their snapshot from what it returned, and the fields that prepare the snapshot's own parameters."""
    history = model.history.model._meta
    quote = connections[alias].ops.quote_name
    tracked = [quote(field.column) for field in model.history.model.tracked_fields]
    snapshot_fields = [history.get_field(name) for name in SNAPSHOT_FIELDS]
    sql = (
        f"INSERT INTO {quote(history.db_table)}"
        f" ({', '.join([*tracked, *(quote(field.column) for field in snapshot_fields)])})"
        f" SELECT {', '.join([*tracked, *(['%s'] * len(snapshot_fields))])} FROM {written}"
    )
    return ", ".join(tracked), sql, snapshot_fields


def _snapshot(fields: list, history_type: str, reason, connection) -> list:
    """The snapshot's own parameters (SNAPSHOT_FIELDS): now, the reason, the kind of change and who acts."""
    actor = current_actor()
    values = {"history_date": timezone.now(), "history_change_reason": reason, "history_type": history_type}
    values |= {"history_user": actor.user, **actor.history_stamp()}
    return [
        field.get_db_prep_save(getattr(values[name], "pk", values[name]), connection)
        for name, field in zip(SNAPSHOT_FIELDS, fields, strict=True)
    ]
