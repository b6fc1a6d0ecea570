"""A record's history in plain words: "Anna Berg in the back-office changed the state from Pending to Completed"."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import models
from django.utils import timezone
from django.utils.formats import localize

from .actors import API_PATHS, ActorPath

# Past this, a value is too long to quote: the sentence names the field alone.
QUOTED_VALUE_MAX = 60
LATEST_SHOWN = 50


def actor_words(path: str, name: str, *, is_api_key: bool) -> str:
    """Who acted, as staff read it: "Anna Berg in the back-office", "API key 'billing' (back-office v2 API)"."""
    name = name or "someone"
    if path == ActorPath.ADMIN:
        return f"{name} in the back-office"
    if path in API_PATHS:
        family = ActorPath(path).label
        return f"API key '{name}' ({family})" if is_api_key else f"{name} through the {family}"
    if path == ActorPath.COMMAND:
        return f"the command {name}"
    if path == ActorPath.TASK:
        return f"the background task {name}"
    return "the system"


def acted_by(row) -> str:
    """Who acted on a row carrying the actor (`ActedBy`, or a history snapshot)."""
    is_api_key = row.actor_api_key_id is not None or (row.actor_path in API_PATHS and not _user_id(row))
    return actor_words(row.actor_path, row.actor_name, is_api_key=is_api_key)


def _user_id(row):
    return getattr(row, "actor_user_id", None) or getattr(row, "history_user_id", None)


@dataclass(frozen=True)
class HistoryLine:
    on: datetime
    text: str

    @property
    def when(self) -> str:
        return localize(timezone.localtime(self.on))


def history_lines(record: models.Model, *, latest: int = LATEST_SHOWN) -> list[HistoryLine]:
    """The record's latest changes, newest first, each in one sentence."""
    snapshots = list(record.history.order_by("-history_date", "-history_id")[: latest + 1])
    lines = []
    for index, snapshot in enumerate(snapshots[:latest]):
        previous = snapshots[index + 1] if index + 1 < len(snapshots) else None
        lines.append(HistoryLine(snapshot.history_date, _sentence(record, snapshot, previous)))
    return lines


def _sentence(record, snapshot, previous) -> str:
    who = acted_by(snapshot)
    if snapshot.history_type == "+":
        return f"{who} created it"
    if snapshot.history_type == "-":
        return f"{who} deleted it"
    if snapshot.history_change_reason:
        return f"{who} {snapshot.history_change_reason} it"
    changes = _changes(record, snapshot, previous) if previous is not None else []
    changed = [phrase for verb, phrase in changes if verb == "changed"]
    flags = [phrase for verb, phrase in changes if verb == "set"]
    if not changes:
        return f"{who} saved it without changes"
    said = ([f"changed {_listed(changed)}"] if changed else []) + ([f"set {_listed(flags)}"] if flags else [])
    return f"{who} {' and '.join(said)}"


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _changes(record, snapshot, previous) -> list[tuple[str, str]]:
    """(verb, phrase) per changed field: ("changed", "the state from Pending to Completed"), ("set", "primary to
    no")."""
    model = type(record)
    words = []
    for change in snapshot.diff_against(previous).changes:
        field = model._meta.get_field(change.field)
        if getattr(field, "auto_now", False):
            continue
        label = f"the {field.verbose_name}"
        before, after = _value(field, change.old), _value(field, change.new)
        if isinstance(field, models.BooleanField):
            words.append(("set", f"{str(field.verbose_name).removeprefix('is ')} to {after}"))
        elif before is None or after is None:
            words.append(("changed", label))
        elif before == "blank":
            words.append(("changed", f"{label} to {after}"))
        elif after == "blank":
            words.append(("changed", f"{label} from {before} to blank"))
        else:
            words.append(("changed", f"{label} from {before} to {after}"))
    return words


def _value(field, value) -> str | None:
    """A value as staff read it; None when it is not worth quoting (long text, JSON, files)."""
    if value in (None, "") or value == [] or value == {}:
        return "blank"
    if isinstance(field, models.JSONField | models.TextField | models.FileField):
        return None
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return "yes" if value else "no"
    if isinstance(field, models.ForeignKey):
        related = field.related_model.objects.filter(pk=value).first()
        return str(related) if related is not None else "a deleted record"
    if isinstance(value, datetime):
        return localize(timezone.localtime(value) if timezone.is_aware(value) else value)
    if isinstance(value, date):
        return localize(value)
    text = str(value)
    return f"'{text}'" if len(text) <= QUOTED_VALUE_MAX else None
