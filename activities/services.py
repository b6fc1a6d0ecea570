"""Writes on activities, their types and tags. Every way in (API, admin, commands) calls these."""

import logging
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.actors import current_actor
from accounts.errors import Conflict, IllegalTransition, InvalidValue
from accounts.models import Address, Contact, Lead, Order, ServiceRequest, Team
from accounts.notices import email_staff

from .models import (
    Activity,
    ActivityState,
    ActivityStateChange,
    ActivityType,
    CustomFieldDefinition,
    CustomFieldValue,
    Tag,
    hex_colour,
)

log = logging.getLogger(__name__)

TRANSITIONS = {
    ActivityState.PENDING: {ActivityState.COMPLETED, ActivityState.CANCELLED},
    ActivityState.COMPLETED: set(),
    ActivityState.CANCELLED: set(),
}


Linked = Lead | ServiceRequest | Order


def _check_colour(colour: str, field: str) -> str:
    try:
        hex_colour(colour)
    except ValidationError:
        raise InvalidValue(f"{field} must be a hex colour such as 876FD5 or #0000FF.", field=field) from None
    return colour


def check_activity_type(activity_type: ActivityType) -> None:
    """The rules of a new or changed activity type: a name unique in its mode whatever its case, a hex colour."""
    activity_type.name = (activity_type.name or "").strip()
    if not activity_type.name:
        raise InvalidValue("name must not be blank.", field="name")
    if activity_type.color:
        _check_colour(activity_type.color, "color")
    same_name = ActivityType.objects.in_mode(activity_type.is_test).filter(name__iexact=activity_type.name)
    if same_name.exclude(pk=activity_type.pk).exists():
        raise Conflict(f"An activity type named {activity_type.name} already exists.", field="name")


def check_tag(tag: Tag) -> None:
    """The rules of a new or changed tag: a name unique in its mode whatever its case, a hex colour."""
    tag.name = (tag.name or "").strip()
    if not tag.name:
        raise InvalidValue("name must not be blank.", field="name")
    if tag.colour:
        _check_colour(tag.colour, "colour")
    if Tag.objects.in_mode(tag.is_test).filter(name__iexact=tag.name).exclude(pk=tag.pk).exists():
        raise Conflict(f"A tag named {tag.name} already exists.", field="name")


@transaction.atomic
def save_activity_type(activity_type: ActivityType) -> ActivityType:
    check_activity_type(activity_type)
    activity_type.save()
    log.info("activity_type.saved id=%s name=%s", activity_type.id, activity_type.name)
    return activity_type


@transaction.atomic
def save_tag(tag: Tag) -> Tag:
    check_tag(tag)
    tag.save()
    log.info("tag.saved id=%s name=%s", tag.id, tag.name)
    return tag


def create_activity_type(*, is_test: bool, name: str, color: str = "") -> ActivityType:
    return save_activity_type(ActivityType(is_test=is_test, name=name, color=color))


def create_tag(*, is_test: bool, name: str, colour: str = "") -> Tag:
    return save_tag(Tag(is_test=is_test, name=name, colour=colour))


def entity_address(contact: Contact, linked: Linked | None = None) -> Address:
    """The address an activity takes when asked to use its entity's: the order's or service request's it is for,
    else the contact's primary, else the contact's first."""
    address = (
        getattr(linked, "address", None) or contact.addresses.order_by("-is_primary", "address_line_1", "id").first()
    )
    if address is None:
        raise InvalidValue(
            f"Contact {contact.id} has no address to use; give address_id instead.", field="use_entity_address"
        )
    return address


def check_activity(activity: Activity, *, assignee_joins_team: bool = False) -> None:
    """The rules every saved activity obeys, whichever way it came in; `assignee_joins_team` when an assignee
    outside the team is to be added to it on saving."""
    if not (activity.name or "").strip():
        raise InvalidValue("name must not be blank.", field="name")
    if activity.type.is_test != activity.is_test:
        raise InvalidValue("The activity type belongs to the other mode (live/test).", field="type_id")
    if activity.contact.is_test != activity.is_test:
        raise InvalidValue("The contact belongs to the other mode (live/test).", field="linked_to")
    if activity.scheduled_to is not None and activity.scheduled_to < activity.scheduled_from:
        raise InvalidValue("scheduled_on.to_date must not be before scheduled_on.from_date.", field="scheduled_on")
    if activity.address is not None and activity.address.contact_id != activity.contact_id:
        raise InvalidValue("The address belongs to another contact.", field="address_id")
    linked = [record for record in (activity.lead, activity.service_request, activity.order) if record is not None]
    if len(linked) > 1:
        raise InvalidValue("An activity is for at most one lead, service request or order.", field="linked_to")
    for record in linked:
        if record.contact_id != activity.contact_id:
            kind = record._meta.verbose_name
            raise InvalidValue(
                f"The {kind} {record.number} belongs to another contact.",
                field="linked_to",
                parameters=["linked_to", str(record.id)],
            )
    if not assignee_joins_team:
        _check_assignment(activity.assigned_user, activity.assigned_team)


def _check_assignment(user, team: Team | None) -> None:
    if user is not None and team is not None and not team.members.filter(pk=user.pk).exists():
        raise InvalidValue(
            f"User {user.get_username()} is not a member of team {team.name}.",
            field="assign_to",
            parameters=["assign_to", str(user.pk), str(team.id)],
        )


def save_activity(activity: Activity, *, add_assignee_to_team: bool = False) -> Activity:
    """Check and save an activity (see `plan_activity`)."""
    plan_activity(activity, add_assignee_to_team=add_assignee_to_team)
    return activity


@transaction.atomic
def plan_activity(activity: Activity, *, add_assignee_to_team: bool = False) -> bool:
    """Check and save an activity; a new one starts its state history as PENDING. A person newly assigned to it
    is emailed; with `add_assignee_to_team`, an assignee outside the team joins the team first. True when an
    email went to the assignee."""
    is_new = activity._state.adding
    before = None if is_new else Activity.objects.filter(pk=activity.pk).values_list("assigned_user", flat=True).first()
    user, team = activity.assigned_user, activity.assigned_team
    if add_assignee_to_team and user is not None and team is not None:
        team.members.add(user)
        log.info("team.member_added team=%s user=%s", team.id, user.pk)
    check_activity(activity)
    activity.save()
    if is_new:
        ActivityStateChange.objects.create(
            activity=activity, state=activity.state, date=activity.created_on, **current_actor().stamp()
        )
    return user is not None and user.pk != before and notify_assignee(activity)


def notify_assignee(activity: Activity) -> bool:
    """Email the person an activity is assigned to, through the outbound channel; False when there is no one to
    tell (nobody assigned, no email address, or they assigned it to themselves)."""
    user, actor = activity.assigned_user, current_actor()
    if user is None or not user.email or (actor.user is not None and actor.user.pk == user.pk):
        return False
    by = (actor.user.get_full_name() if actor.user else "") or actor.name or "The system"
    when = timezone.localtime(activity.scheduled_from).strftime("%-d %b %Y, %H:%M")
    team = f" (team {activity.assigned_team.name})" if activity.assigned_team else ""
    lines = [
        f"Hello {user.get_full_name() or user.get_username()},",
        "",
        f"{by} assigned you an activity{team}:",
        "",
        f"{activity.name} — {activity.type.name}",
        f"For: {activity.contact}",
        f"When: {when}",
    ]
    if activity.description:
        lines += ["", activity.description]
    email_staff(
        to=user.email,
        # A subject is one line, whatever the name holds.
        subject=" ".join(f"Assigned to you: {activity.name}, {when}".split()),
        body="\n".join(lines),
        is_test=activity.is_test,
        source_type="activities.activity",
        source_id=str(activity.pk),
    )
    log.info("activity.assignee_notified id=%s user=%s", activity.id, user.pk)
    return True


def _custom_field_values(values: dict[str, str]) -> list[tuple[CustomFieldDefinition, str]]:
    definitions = {d.key: d for d in CustomFieldDefinition.objects.filter(key__in=list(values))}
    unknown = sorted(set(values) - set(definitions))
    if unknown:
        raise InvalidValue(
            f"Unknown custom field key(s): {', '.join(unknown)}.", parameters=["custom_fields", *unknown]
        )
    return [(definitions[key], value) for key, value in values.items()]


def _replace_custom_fields(activity: Activity, values: list[tuple[CustomFieldDefinition, str]]) -> None:
    activity.custom_field_values.all().delete()
    CustomFieldValue.objects.bulk_create(
        CustomFieldValue(activity=activity, definition=definition, value=value) for definition, value in values
    )


def _link(activity: Activity, linked: Linked | None) -> None:
    activity.lead = linked if isinstance(linked, Lead) else None
    activity.service_request = linked if isinstance(linked, ServiceRequest) else None
    activity.order = linked if isinstance(linked, Order) else None


@transaction.atomic
def create_activity(
    *,
    is_test: bool,
    name: str,
    type: ActivityType,
    contact: Contact,
    scheduled_from: datetime,
    scheduled_to: datetime | None = None,
    description: str | None = None,
    address: Address | None = None,
    use_entity_address: bool = False,
    linked: Linked | None = None,
    assigned_user=None,
    assigned_team: Team | None = None,
    custom_fields: dict[str, str] | None = None,
) -> Activity:
    if address is not None and use_entity_address:
        raise InvalidValue("Give address_id or use_entity_address, not both.", field="address_id")
    values = _custom_field_values(custom_fields or {})
    activity = Activity(
        is_test=is_test,
        name=name,
        description=description,
        type=type,
        contact=contact,
        scheduled_from=scheduled_from,
        scheduled_to=scheduled_to,
        address=entity_address(contact, linked) if use_entity_address else address,
        assigned_user=assigned_user,
        assigned_team=assigned_team,
    )
    _link(activity, linked)
    save_activity(activity)
    _replace_custom_fields(activity, values)
    log.info("activity.created id=%s contact=%s type=%s test=%s", activity.id, contact.id, type.id, is_test)
    return activity


UPDATABLE_FIELDS = {
    "name",
    "description",
    "type",
    "scheduled_from",
    "scheduled_to",
    "address",
    "assigned_user",
    "assigned_team",
}
KEEP = object()


@transaction.atomic
def update_activity(
    activity: Activity,
    *,
    contact: Contact | None = None,
    use_entity_address: bool = False,
    linked=KEEP,
    custom_fields: dict[str, str] | None = None,
    state: str | None = None,
    **changes,
) -> Activity:
    """Apply the given changes; what is not given stays. A new `state` goes through complete/cancel. A `contact`
    given must be the activity's own; `linked` replaces the lead, service request or order it is for."""
    unknown = set(changes) - UPDATABLE_FIELDS
    if unknown:
        raise InvalidValue(f"Cannot update {', '.join(sorted(unknown))}.", field=sorted(unknown)[0])
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if contact is not None and contact.pk != activity.contact_id:
        raise InvalidValue("The contact of an activity cannot be changed.", field="linked_to")
    if linked is not KEEP:
        _link(activity, linked)
    if use_entity_address:
        if changes.get("address") is not None:
            raise InvalidValue("Give address_id or use_entity_address, not both.", field="address_id")
        changes["address"] = entity_address(activity.contact, activity.linked)
    values = _custom_field_values(custom_fields) if custom_fields is not None else None
    for field, value in changes.items():
        setattr(activity, field, value)
    save_activity(activity)
    if values is not None:
        _replace_custom_fields(activity, values)
    if state is not None and state != activity.state:
        change_activity_state(activity, state)
    log.info("activity.updated id=%s fields=%s", activity.id, ",".join(sorted(changes)))
    return activity


def change_activity_state(activity: Activity, state: str, *, on: datetime | None = None) -> Activity:
    if state == ActivityState.COMPLETED:
        return complete_activity(activity, on=on)
    if state == ActivityState.CANCELLED:
        return cancel_activity(activity, on=on)
    current = ActivityState(activity.state).label.lower()
    raise IllegalTransition(f"A {current} activity cannot become {state}.", field="state")


def complete_activity(activity: Activity, *, on: datetime | None = None, outcome: str = "") -> Activity:
    """Complete an activity; `outcome` (what came of it) is kept in its state history."""
    return _close(activity, ActivityState.COMPLETED, on or timezone.now(), note=(outcome or "").strip())


def cancel_activity(activity: Activity, *, on: datetime | None = None) -> Activity:
    return _close(activity, ActivityState.CANCELLED, on or timezone.now())


@transaction.atomic
def _close(activity: Activity, state: ActivityState, on: datetime, note: str = "") -> Activity:
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    if state not in TRANSITIONS[ActivityState(locked.state)]:
        current = ActivityState(locked.state).label.lower()
        raise IllegalTransition(
            f"A {current} activity cannot be {state.label.lower()}.",
            parameters=["state", locked.state, str(state)],
        )
    locked.state = state
    if state == ActivityState.COMPLETED:
        locked.completed_on = on
    locked.save(update_fields=["state", "completed_on", "updated_on"])
    ActivityStateChange.objects.create(activity=locked, state=state, date=on, note=note, **current_actor().stamp())
    activity.state, activity.completed_on, activity.updated_on = locked.state, locked.completed_on, locked.updated_on
    log.info("activity.%s id=%s", state.lower(), locked.id)
    return locked


def check_tags(activity: Activity, tags: list[Tag]) -> None:
    foreign = [tag for tag in tags if tag.is_test != activity.is_test]
    if foreign:
        raise InvalidValue(
            "A tag belongs to the other mode (live/test).", field="tags", parameters=["tags", str(foreign[0].id)]
        )


@transaction.atomic
def set_activity_tags(activity: Activity, tags: list[Tag]) -> Activity:
    """The activity's tags become exactly these."""
    check_tags(activity, tags)
    activity.tags.set(tags)
    activity.save(update_fields=["updated_on"])
    log.info("activity.tagged id=%s tags=%s", activity.id, ",".join(str(tag.id) for tag in tags))
    return activity


@transaction.atomic
def delete_activity(activity: Activity) -> None:
    activity_id = activity.id
    activity.delete()
    log.info("activity.deleted id=%s", activity_id)
