"""The CRM.COM R-series shapes of communications and queue entries, as seed 003's examples show them."""

import copy
from functools import cache

import pycountry
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from accounts.api.serializers import FieldsBuiltOnce
from accounts.selectors import user_guid
from communications import referring
from communications.formatting import java_date_time, local_date_time
from communications.models import (
    UDF_DATE_FIELDS,
    UDF_FLOAT_FIELDS,
    UDF_STRING_FIELDS,
    CommunicationState,
    Direction,
    Media,
    QueueState,
)


class HexIdField(serializers.CharField):
    """A UUID as 32 uppercase hex characters."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return value.hex.upper() if hasattr(value, "hex") else str(value)


class TextOrNull(serializers.CharField):
    """Text, with an empty value shown as null as the family does."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return str(value) if value not in (None, "") else None


class LocalDateTime(serializers.CharField):
    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return local_date_time(value)


class JavaDateTime(LocalDateTime):
    def to_representation(self, value):
        return java_date_time(value)


@extend_schema_field({"type": "object", "nullable": True})
class NullObject(serializers.Field):
    """An attribute of the public shape that this product does not keep: always null."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, source="*", allow_null=True, **kwargs)

    def to_representation(self, value):
        return None


@extend_schema_field({"type": "string", "nullable": True})
class NullText(NullObject):
    pass


@extend_schema_field({"type": "object", "nullable": True, "additionalProperties": True})
class NullableObject(serializers.JSONField):
    """An entity this product does not keep: shown as the identifier it was given, or null."""


@cache
def country(alpha_3: str) -> dict | None:
    found = pycountry.countries.get(alpha_3=alpha_3)
    if found is None:
        return None
    return {
        "three_character_code": found.alpha_3,
        "two_character_code": found.alpha_2,
        "id": found.numeric,
        "name": found.name.upper(),
        "alternative_code": None,
    }


CountrySerializer = inline_serializer(
    name="CrmCountry",
    fields={
        "three_character_code": serializers.CharField(),
        "two_character_code": serializers.CharField(),
        "id": serializers.CharField(),
        "name": serializers.CharField(),
        "alternative_code": serializers.CharField(allow_null=True),
    },
)
DayMonthSerializer = inline_serializer(
    name="CrmDayMonth",
    fields={"month": serializers.IntegerField(allow_null=True), "day": serializers.IntegerField(allow_null=True)},
)
DateOfBirthSerializer = inline_serializer(
    name="CrmDateOfBirth",
    fields={
        "month": serializers.IntegerField(allow_null=True),
        "day": serializers.IntegerField(allow_null=True),
        "year": serializers.IntegerField(allow_null=True),
    },
)


class DemographicsSerializer(FieldsBuiltOnce):
    gender = TextOrNull()
    passport_issued_by_country = NullObject()
    social_security_number = NullText()
    passport_number = NullText()
    industry_sector = NullObject()
    country_of_residence = serializers.SerializerMethodField()
    name_day = serializers.SerializerMethodField()
    date_of_birth = serializers.SerializerMethodField()
    id_number = TextOrNull()
    industry = NullObject()
    id_issued_by_country = NullObject()

    @extend_schema_field(CountrySerializer)
    def get_country_of_residence(self, contact):
        if hasattr(contact, "residence_country_code"):  # annotated by selectors.contacts_with_state()
            code = contact.residence_country_code
        else:
            code = next(iter(contact.addresses.values_list("country_code", flat=True)[:1]), None)
        return country(code) if code else None

    @extend_schema_field(DayMonthSerializer)
    def get_name_day(self, contact):
        return {"month": None, "day": None}

    @extend_schema_field(DateOfBirthSerializer)
    def get_date_of_birth(self, contact):
        born = contact.date_of_birth
        if born is None:
            return {"month": None, "day": None, "year": None}
        return {"month": born.month, "day": born.day, "year": born.year}


class ContactInformationSerializer(FieldsBuiltOnce):
    last_name = TextOrNull()
    middle_name = TextOrNull()
    life_cycle_state = serializers.SerializerMethodField()
    company_profile = NullObject()
    title = TextOrNull()
    first_name = TextOrNull()
    type = serializers.CharField(source="contact_type", read_only=True)
    id = HexIdField()
    name = TextOrNull(source="full_name")
    company_name = TextOrNull()
    demographics = DemographicsSerializer(source="*", read_only=True)

    def get_life_cycle_state(self, contact) -> str:
        # CRM.COM calls a contact with a financial account FINANCIAL, one without MARKETING.
        is_financial = getattr(contact, "is_financial", None)
        if is_financial is None:
            is_financial = contact.accounts.exists()
        return "FINANCIAL" if is_financial else "MARKETING"


class CategorySerializer(FieldsBuiltOnce):
    id = HexIdField()
    name = serializers.CharField(read_only=True)
    description = TextOrNull()
    code = serializers.CharField(read_only=True)


class QueueExternalSystemSerializer(FieldsBuiltOnce):
    name = serializers.CharField(read_only=True)
    id = HexIdField()
    alternative_code = serializers.CharField(read_only=True)


class PrivacyLevelSerializer(FieldsBuiltOnce):
    id = HexIdField()
    name = serializers.CharField(read_only=True)
    alternative_code = serializers.CharField(read_only=True)
    description = TextOrNull()


class GroupSerializer(FieldsBuiltOnce):
    community_name = NullText()
    id = HexIdField()
    name = serializers.CharField(read_only=True)
    description = TextOrNull()
    alternative_code = TextOrNull(source="code")


UserSerializer = inline_serializer(
    name="CrmUser",
    fields={
        "person_name": serializers.CharField(),
        "username": serializers.CharField(),
        "id": serializers.CharField(),
        "email": serializers.CharField(allow_null=True),
    },
)


def actor(user, key) -> dict | None:
    if user is not None:
        return {
            "person_name": user.get_full_name() or user.get_username(),
            "username": user.get_username(),
            "id": user_guid(user).hex.upper(),
            "email": user.email or None,
        }
    if key is not None:
        return {"person_name": key.name, "username": f"api-key:{key.prefix}", "id": key.id.hex.upper(), "email": None}
    return None


class LogInformationSerializer(FieldsBuiltOnce):
    updated_date = LocalDateTime(source="updated_on")
    created_date = LocalDateTime(source="created_on")
    created_by_unit = NullObject()
    updated_by_unit = NullObject()
    created_by_user = serializers.SerializerMethodField()
    updated_by_user = serializers.SerializerMethodField()

    @extend_schema_field(UserSerializer)
    def get_created_by_user(self, record):
        return actor(record.created_by_user, record.created_by_key)

    @extend_schema_field(UserSerializer)
    def get_updated_by_user(self, record):
        return actor(record.updated_by_user, record.updated_by_key)


class UnrestrictedParameterSerializer(FieldsBuiltOnce):
    integer_value = serializers.IntegerField(read_only=True, allow_null=True)
    date_value = JavaDateTime()
    string_value = serializers.CharField(read_only=True, allow_null=True)
    type = serializers.CharField(read_only=True)
    id = HexIdField()
    name = serializers.CharField(read_only=True)
    float_value = serializers.FloatField(read_only=True, allow_null=True)
    key = serializers.CharField(read_only=True)


class QueuedCommunicationSerializer(FieldsBuiltOnce):
    """A communication as a queue entry shows it."""

    life_cycle_state = serializers.CharField(source="state", read_only=True)
    number = serializers.CharField(read_only=True)
    id = HexIdField()
    subject = TextOrNull()
    contact_information = ContactInformationSerializer(source="contact", read_only=True)


# The records a communication refers to, each as seed 003's referring_to shows it.


class AccountsReceivableSerializer(FieldsBuiltOnce):
    account_owner = ContactInformationSerializer(source="contact", read_only=True)
    life_cycle_state = serializers.CharField(source="state", read_only=True)
    number = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    id = HexIdField()


class SubscriptionTypeSerializer(FieldsBuiltOnce):
    name = serializers.CharField(read_only=True)
    id = HexIdField()
    description = TextOrNull()
    alternative_code = TextOrNull()


class SubscriptionSerializer(FieldsBuiltOnce):
    accounts_receivable = AccountsReceivableSerializer(source="account", read_only=True)
    life_cycle_state = serializers.CharField(source="state", read_only=True)
    number = serializers.CharField(read_only=True)
    type = SubscriptionTypeSerializer(read_only=True, allow_null=True)
    id = HexIdField()


class ContactRecordSerializer(FieldsBuiltOnce):
    """A lead or a service request: its state, number and description, and the contact it is of."""

    life_cycle_state = serializers.CharField(source="state", read_only=True)
    number = serializers.CharField(read_only=True)
    id = HexIdField()
    description = TextOrNull()
    contact_information = ContactInformationSerializer(source="contact", read_only=True)


HELD_SERIALIZERS = {
    "accounts_receivable": AccountsReceivableSerializer,
    "subscription": SubscriptionSerializer,
    "lead": ContactRecordSerializer,
    "service_request": ContactRecordSerializer,
    "communication": QueuedCommunicationSerializer,
}
ReferringToSerializer = inline_serializer(
    name="CrmReferringTo",
    fields={
        entity: HELD_SERIALIZERS[entity](allow_null=True) if entity in HELD_SERIALIZERS else NullableObject()
        for entity in referring.REFERABLE
    },
)


def _referring_to(communication) -> dict:
    stored = communication.referring_to or {}
    held = getattr(communication, "held_records", None)
    if held is None:
        held = referring.held_records(stored, is_test=communication.is_test) if stored else {}
    shown = dict.fromkeys(referring.REFERABLE)
    for entity, identifier in stored.items():
        if entity not in HELD_SERIALIZERS:
            shown[entity] = identifier  # an entity this product does not keep: the identifier it was given
        elif (record := held.get(entity)) is not None:
            shown[entity] = HELD_SERIALIZERS[entity](record).data
    return shown


def copies(fields: dict) -> dict:
    """Unbound copies of leaf fields built once: a shallow copy costs a fraction of constructing a field,
    and a communication has forty user-defined ones, read and written on every request."""
    return {name: copy.copy(field) for name, field in fields.items()}


# Names Python cannot declare in a class body ("from") and the forty user-defined fields.
SHOWN_EXTRA_FIELDS = {
    "from": TextOrNull(source="from_address"),
    **{name: serializers.CharField(read_only=True, allow_null=True) for name in UDF_STRING_FIELDS},
    **{name: serializers.FloatField(read_only=True, allow_null=True) for name in UDF_FLOAT_FIELDS},
    **{name: LocalDateTime() for name in UDF_DATE_FIELDS},
}


# A page of communications reads what they refer to at once, not once per communication.
class CommunicationListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        return super().to_representation(referring.attach_held_records(list(data)))


class CommunicationSerializer(FieldsBuiltOnce):
    unrestricted_parameter_set = UnrestrictedParameterSerializer(source="parameters", many=True, read_only=True)
    notes = serializers.CharField(read_only=True, allow_null=True)
    number = serializers.CharField(read_only=True)
    follow_up_set = serializers.SerializerMethodField()
    communication_queue_external_system = QueueExternalSystemSerializer(
        source="queue_external_system", read_only=True, allow_null=True
    )
    privacy_level = PrivacyLevelSerializer(read_only=True, allow_null=True)
    contact_information = ContactInformationSerializer(source="contact", read_only=True)
    id = HexIdField()
    media = serializers.ChoiceField(choices=Media.choices, read_only=True)
    referring_to = serializers.SerializerMethodField()
    subject = TextOrNull()
    code = serializers.CharField(read_only=True)
    log_information = LogInformationSerializer(source="*", read_only=True)
    owned_by_group = GroupSerializer(read_only=True, allow_null=True)
    life_cycle_state = serializers.ChoiceField(source="state", choices=CommunicationState.choices, read_only=True)
    content = TextOrNull()
    to = TextOrNull(source="to_address")
    category = CategorySerializer(read_only=True, allow_null=True)
    direction = serializers.ChoiceField(choices=Direction.choices, read_only=True)
    viewed = serializers.SerializerMethodField()
    viewed_on = JavaDateTime()

    class Meta:
        list_serializer_class = CommunicationListSerializer

    def get_fields(self):
        return super().get_fields() | copies(SHOWN_EXTRA_FIELDS)

    @extend_schema_field(serializers.ListField(child=serializers.JSONField()))
    def get_follow_up_set(self, communication):
        return []

    @extend_schema_field(ReferringToSerializer)
    def get_referring_to(self, communication):
        return _referring_to(communication)

    def get_viewed(self, communication) -> int:
        return 1 if communication.viewed_on else 0


class QueueEntrySerializer(FieldsBuiltOnce):
    log_information = LogInformationSerializer(source="*", read_only=True)
    error_code = serializers.CharField(read_only=True, allow_null=True)
    error_description = serializers.CharField(read_only=True, allow_null=True)
    life_cycle_state = serializers.ChoiceField(source="state", choices=QueueState.choices, read_only=True)
    communication = QueuedCommunicationSerializer(read_only=True)
    number = serializers.CharField(read_only=True)
    id = HexIdField()
    communication_queue_external_system = QueueExternalSystemSerializer(
        source="external_system", read_only=True, allow_null=True
    )


# Requests ----------------------------------------------------------------------------------------

IDENTIFIER_HELP = 'An identifier object naming one field, e.g. {"id": "…"} or {"number": "…"}.'


def identifier(required=False, **kwargs):
    return serializers.DictField(
        child=serializers.CharField(), required=required, allow_null=not required, help_text=IDENTIFIER_HELP, **kwargs
    )


class FieldNames(serializers.CharField):
    """Text only: a number here is a client's mistake, not a field name."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            raise serializers.ValidationError("fields_set must be a text of comma-separated field names.")
        return super().to_internal_value(data)


class TokenMixin(FieldsBuiltOnce):
    token = serializers.CharField(required=False, help_text="From authentication/login, or an API key.")
    fields_set = FieldNames(required=False, help_text="Comma-separated top-level fields to return; all when absent.")


WRITTEN_UDF_FIELDS = {
    **{
        name: serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=255)
        for name in UDF_STRING_FIELDS
    },
    **{name: serializers.FloatField(required=False, allow_null=True) for name in UDF_FLOAT_FIELDS},
    **{
        name: serializers.CharField(required=False, allow_null=True, help_text="2014-05-05T15:49:59")
        for name in UDF_DATE_FIELDS
    },
}


class CommunicationWriteSerializer(TokenMixin):
    template_identifier = identifier()
    category_identifier = identifier()
    communication_queue_external_system_identifier = identifier()
    owned_by_group_identifier = identifier()
    privacy_level_identifier = identifier()
    direction = serializers.ChoiceField(choices=Direction.choices, required=False, allow_null=True)
    media = serializers.ChoiceField(choices=Media.choices, required=False, allow_null=True)
    subject = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, trim_whitespace=False, max_length=500
    )
    content = serializers.CharField(required=False, allow_null=True, allow_blank=True, trim_whitespace=False)
    to = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=1000)
    notes = serializers.CharField(required=False, allow_null=True, allow_blank=True, trim_whitespace=False)
    life_cycle_state = serializers.ChoiceField(choices=CommunicationState.choices, required=False)
    referring_to = serializers.DictField(
        child=serializers.DictField(child=serializers.CharField(), allow_null=True),
        required=False,
        allow_null=True,
        help_text='Entities it is about, e.g. {"subscription_identifier": {"number": "S60302"}}.',
    )
    unrestricted_parameter_set = serializers.ListField(
        child=serializers.DictField(), required=False, help_text="Named values for #unrestricted_<type>.<name>."
    )

    def get_fields(self):
        return super().get_fields() | copies(WRITTEN_UDF_FIELDS)


class CommunicationCreateSerializer(CommunicationWriteSerializer):
    contact_information_identifier = identifier(required=True)


class CommunicationUpdateSerializer(CommunicationWriteSerializer):
    communication_identifier = identifier(required=True)


class CommunicationActionSerializer(TokenMixin):
    communication_identifier = identifier(required=True)


class SetAsViewedSerializer(CommunicationActionSerializer):
    viewed_on = serializers.CharField(required=False, allow_null=True, help_text="Now when absent.")


class QueueActionSerializer(TokenMixin):
    communication_queue_identifier = identifier(required=True)


class QueueRejectSerializer(QueueActionSerializer):
    error_code = serializers.CharField(max_length=40)
    error_description = serializers.CharField()
