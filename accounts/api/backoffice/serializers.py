import math

from rest_framework import serializers

from accounts.api.serializers import FieldsBuiltOnce
from accounts.models import Account, AccountState, Address, Contact, ContactType


def epoch(value) -> int | None:
    return math.floor(value.timestamp()) if value else None


class IdSerializer(FieldsBuiltOnce):
    id = serializers.UUIDField()


class NamedRefSerializer(FieldsBuiltOnce):
    id = serializers.UUIDField()
    name = serializers.CharField()


class AddressSerializer(serializers.ModelSerializer):
    class Meta:
        model = Address
        fields = [
            "id",
            "address_type",
            "is_primary",
            "address_line_1",
            "address_line_2",
            "state_province_county",
            "town_city",
            "postal_code",
            "country_code",
            "lat",
            "lon",
            "google_place_id",
        ]
        read_only_fields = ["id"]
        extra_kwargs = {"country_code": {"min_length": 3, "max_length": 3}}


class BillingAddressSerializer(serializers.ModelSerializer):
    class Meta:
        model = Address
        fields = [
            "id",
            "address_line_1",
            "address_line_2",
            "state_province_county",
            "town_city",
            "postal_code",
            "country_code",
        ]


class AccountSerializer(serializers.ModelSerializer):
    """GET /accounts/{id}."""

    balance = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False)
    overdue_amount = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False)
    credit_limit = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False, allow_null=True)
    payment_terms = NamedRefSerializer(allow_null=True)
    classification = NamedRefSerializer(allow_null=True)
    billing_address = BillingAddressSerializer(allow_null=True)

    class Meta:
        model = Account
        fields = [
            "id",
            "name",
            "number",
            "is_primary",
            "state",
            "currency_code",
            "balance",
            "overdue_amount",
            "credit_limit",
            "payment_terms",
            "classification",
            "billing_address",
        ]


class AccountListItemSerializer(serializers.ModelSerializer):
    """One entry of GET /contacts/{id}/accounts."""

    classification = NamedRefSerializer(allow_null=True)

    class Meta:
        model = Account
        fields = ["id", "is_primary", "name", "number", "state", "currency_code", "classification"]


class AccountCreateSerializer(FieldsBuiltOnce):
    is_primary = serializers.BooleanField(required=False, allow_null=True, default=False)
    currency_code = serializers.CharField(min_length=3, max_length=3)
    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    classification_id = serializers.UUIDField(required=False, allow_null=True)
    billing_address_id = serializers.UUIDField(required=False, allow_null=True)


class AccountUpdateSerializer(FieldsBuiltOnce):
    is_primary = serializers.BooleanField(required=False, allow_null=True)
    classification_id = serializers.UUIDField(required=False, allow_null=True)
    billing_address_id = serializers.UUIDField(required=False, allow_null=True)
    credit_limit = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    payment_terms_id = serializers.UUIDField(required=False, allow_null=True)

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError("Give at least one attribute to update.")
        return attrs


class AccountActionSerializer(FieldsBuiltOnce):
    state = serializers.ChoiceField(choices=AccountState.choices)
    account_id = serializers.UUIDField(required=False, allow_null=True)


class ContactSerializer(serializers.ModelSerializer):
    """A contact as read back, and as created (with its addresses)."""

    type = serializers.ChoiceField(source="contact_type", choices=ContactType.choices, default=ContactType.PERSON)
    name = serializers.CharField(source="full_name", read_only=True)
    addresses = AddressSerializer(many=True, required=False)
    created_on = serializers.SerializerMethodField()
    updated_on = serializers.SerializerMethodField()

    class Meta:
        model = Contact
        fields = [
            "id",
            "code",
            "type",
            "name",
            "title",
            "first_name",
            "middle_name",
            "last_name",
            "company_name",
            "email",
            "phone",
            "id_number",
            "org_number",
            "date_of_birth",
            "gender",
            "preferred_language",
            "addresses",
            "created_on",
            "updated_on",
        ]
        read_only_fields = ["id"]
        extra_kwargs = {"code": {"validators": []}}

    def get_created_on(self, contact) -> int:
        return epoch(contact.created_on)

    def get_updated_on(self, contact) -> int:
        return epoch(contact.updated_on)


class ContactListItemSerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="contact_type")
    name = serializers.CharField(source="full_name")
    created_on = serializers.SerializerMethodField()

    class Meta:
        model = Contact
        fields = ["id", "code", "type", "name", "email", "phone", "created_on"]

    def get_created_on(self, contact) -> int:
        return epoch(contact.created_on)


class LoginSerializer(FieldsBuiltOnce):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})


class LoginResultSerializer(FieldsBuiltOnce):
    access_token = serializers.CharField()
    token_type = serializers.CharField()
    expires_in = serializers.IntegerField()
