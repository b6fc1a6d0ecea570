"""Actions other apps add to a correspondence: `POST /backend/api/v1/correspondence/{id}?action=NAME`.

Correspondence may not import the apps that build on it (postal), so they register their actions here
from their AppConfig.ready(), and the backend family finds them by name. An action runs the registering
app's own service; correspondence only routes to it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from rest_framework import serializers


@dataclass(frozen=True)
class CorrespondenceAction:
    name: str
    # perform(correspondence, request data, the caller's accounts.credentials.Credential) -> response body
    perform: Callable[..., dict]
    # A scope the caller needs besides the backend family's own write scope (letters.write).
    scope: str
    request: type[serializers.Serializer]
    response: type[serializers.Serializer]


_actions: dict[str, CorrespondenceAction] = {}


def register(action: CorrespondenceAction) -> None:
    existing = _actions.get(action.name)
    if existing is not None and existing != action:
        raise ValueError(f"A correspondence action named {action.name!r} is registered already.")
    _actions[action.name] = action


def registered(name: str) -> CorrespondenceAction | None:
    return _actions.get(name)


def registered_actions() -> list[CorrespondenceAction]:
    return list(_actions.values())
