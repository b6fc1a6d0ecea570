"""Who is acting: a staff user in the back-office, an API key or user of one API family, a command, a task, the system.

Every entry point says it once, for the whole of its work: the middleware for the back-office, the family's
authentication for an API request, the base command for a management command, Celery's task signals for a task.
The domain reads `current_actor()` when it writes a record's history, a status change or who asked for an email,
so no service takes a `by=` argument and no entry point words its own note.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import models


class ActorPath(models.TextChoices):
    """The way in: the back-office, one of the five API families, a command, a task, or the system itself."""

    ADMIN = "admin", "the back-office"
    BACKOFFICE = "backoffice", "back-office v2 API"
    CRM = "crm", "CRM.COM API"
    BACKEND = "backend", "letters API"
    ALTINN = "altinn", "correspondence initialize API"
    JSONRPC = "jsonrpc", "letter status API"
    COMMAND = "command", "command"
    TASK = "task", "background task"
    SYSTEM = "system", "the system"


API_PATHS = (ActorPath.BACKOFFICE, ActorPath.CRM, ActorPath.BACKEND, ActorPath.ALTINN, ActorPath.JSONRPC)

# A view's scope family names its API family (accounts.scopes.FAMILIES).
PATH_OF_SCOPE_FAMILY = {
    "backoffice": ActorPath.BACKOFFICE,
    "communications": ActorPath.CRM,
    "letters": ActorPath.BACKEND,
    "correspondence": ActorPath.ALTINN,
    "postal": ActorPath.JSONRPC,
}


def display_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


@dataclass(frozen=True)
class Actor:
    """One who acts. `name` keeps what to call them even after the user, key or command is gone."""

    path: str = ActorPath.SYSTEM
    user: object = None
    api_key: object = None
    name: str = ""

    @classmethod
    def staff(cls, user) -> Actor:
        return cls(ActorPath.ADMIN, user=user, name=display_name(user))

    @classmethod
    def caller(cls, path: str, *, user=None, api_key=None) -> Actor:
        """An API request, with the key or the logged-in user it presented."""
        return cls(path, user=user, api_key=api_key, name=api_key.name if api_key is not None else display_name(user))

    @classmethod
    def command(cls, name: str) -> Actor:
        return cls(ActorPath.COMMAND, name=name)

    @classmethod
    def task(cls, name: str) -> Actor:
        return cls(ActorPath.TASK, name=name)

    def stamp(self) -> dict:
        """The fields of `ActedBy` for a row this actor writes."""
        return {
            "actor_path": self.path,
            "actor_user": self.user,
            "actor_api_key": self.api_key,
            "actor_name": self.name[:200],
        }

    def history_stamp(self) -> dict:
        """The fields a history row of this actor carries besides django-simple-history's `history_user`."""
        return {"actor_path": self.path, "actor_api_key": self.api_key, "actor_name": self.name[:200]}


SYSTEM = Actor()

_current: ContextVar[Actor | _Pending] = ContextVar("actor", default=SYSTEM)


class _Pending:
    """A back-office request's actor, decided on first use so a request that writes nothing reads no session."""

    def __init__(self, request):
        self.request = request

    def resolve(self) -> Actor:
        user = getattr(self.request, "user", None)
        return Actor.staff(user) if user is not None and user.is_authenticated else SYSTEM


def current_actor() -> Actor:
    actor = _current.get()
    if isinstance(actor, _Pending):
        actor = actor.resolve()
        _current.set(actor)
    return actor


def set_actor(actor: Actor):
    """Make `actor` the one acting from here on in this context; returns the token `reset_actor` takes."""
    return _current.set(actor)


def reset_actor(token) -> None:
    _current.reset(token)


@contextmanager
def acting(actor: Actor):
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)


class ActorMiddleware:
    """A request acts as its logged-in staff user (the back-office), unless an API family's authentication says
    otherwise; the actor ends with the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(_Pending(request))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


def act_as_caller(request, credential, path: str | None = None) -> None:
    """Called by the families' authentication: the rest of this request acts as the key or user it presented."""
    if path is None:
        view = (getattr(request, "parser_context", None) or {}).get("view")
        path = PATH_OF_SCOPE_FAMILY.get(getattr(view, "scope_family", ""), ActorPath.SYSTEM)
    _current.set(Actor.caller(path, user=credential.user, api_key=credential.api_key))


def _task_started(task_id=None, task=None, **kwargs):
    _task_tokens[task_id] = _current.set(Actor.task(task.name))


def _task_finished(task_id=None, **kwargs):
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        _current.reset(token)


_task_tokens: dict = {}


def connect_task_signals() -> None:
    """A Celery task acts as itself, by its registered name, from start to end (in a worker or in-process)."""
    from celery.signals import task_postrun, task_prerun

    task_prerun.connect(_task_started, weak=False, dispatch_uid="accounts.actors.task_started")
    task_postrun.connect(_task_finished, weak=False, dispatch_uid="accounts.actors.task_finished")
