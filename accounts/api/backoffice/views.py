from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.response import Response

from accounts import services
from accounts.credentials import check_password, issue_jwt
from accounts.models import Account, AccountState, Address, Classification, Contact, PaymentTerms
from accounts.selectors import get_by_id, get_optional

from . import serializers as s
from .dialect import CONTACT_IN_PATH, BackofficeErrorSerializer, BackofficeView
from .filters import AccountFilterSet, ContactFilterSet

ACCOUNT_SORTS = {"CREATED_DATE": "created_on", "UPDATED_DATE": "updated_on", "NAME": "name"}
CONTACT_SORTS = {"CREATED_DATE": "created_on", "UPDATED_DATE": "updated_on", "NAME": "last_name"}


class ContactScopedMixin:
    def get_contact(self) -> Contact:
        return self.contact(self.kwargs["pk"])

    def get_address(self, contact: Contact, identifier) -> Address | None:
        return get_optional(contact.addresses.all(), identifier, "address")


class AccountView(ContactScopedMixin, BackofficeView):
    queryset = Account.objects.select_related("payment_terms", "classification", "billing_address")
    entity_name = "account"

    def get_object(self) -> Account:
        return get_by_id(self.get_queryset(), self.kwargs["pk"], "account")


class AccountDetailView(AccountView):
    serializer_class = s.AccountSerializer

    @extend_schema(operation_id="getAccount", summary="Get Account", responses={200: s.AccountSerializer})
    def get(self, request, pk):
        return Response(s.AccountSerializer(self.get_object()).data)

    @extend_schema(
        operation_id="updateAccount",
        summary="Update Account",
        request=s.AccountUpdateSerializer,
        responses={200: s.IdSerializer},
    )
    def put(self, request, pk):
        account = self.get_object()
        data = self.valid(s.AccountUpdateSerializer)
        changes = {}
        if "classification_id" in data:
            changes["classification"] = get_optional(
                Classification.objects, data["classification_id"], "classification"
            )
        if "payment_terms_id" in data:
            changes["payment_terms"] = get_optional(PaymentTerms.objects, data["payment_terms_id"], "payment_terms")
        if "billing_address_id" in data:
            changes["billing_address"] = get_optional(
                Address.objects.filter(contact__is_test=self.is_test), data["billing_address_id"], "address"
            )
        if "credit_limit" in data:
            changes["credit_limit"] = data["credit_limit"]
        services.update_account(account, is_primary=data.get("is_primary"), **changes)
        return Response({"id": str(account.id)})


class ContactAccountsView(AccountView):
    serializer_class = s.AccountListItemSerializer
    filterset_class = AccountFilterSet
    sort_fields = ACCOUNT_SORTS

    @extend_schema(
        operation_id="listContactAccounts",
        parameters=[CONTACT_IN_PATH],
        summary="List Contact Accounts",
        responses={200: s.AccountListItemSerializer(many=True)},
    )
    def get(self, request, pk):
        contact = self.get_contact()
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset().filter(contact=contact)))
        return self.get_paginated_response(s.AccountListItemSerializer(page, many=True).data)

    @extend_schema(
        operation_id="addContactAccount",
        parameters=[CONTACT_IN_PATH],
        summary="Add Account for Contact",
        request=s.AccountCreateSerializer,
        responses={201: s.IdSerializer},
    )
    def post(self, request, pk):
        contact = self.get_contact()
        data = self.valid(s.AccountCreateSerializer)
        account = services.create_account(
            contact,
            currency_code=data["currency_code"],
            is_primary=bool(data.get("is_primary")),
            name=data.get("name", ""),
            classification=get_optional(Classification.objects, data.get("classification_id"), "classification"),
            billing_address=self.get_address(contact, data.get("billing_address_id")),
        )
        return Response({"id": str(account.id)}, status=status.HTTP_201_CREATED)


class AccountActionsView(AccountView):
    serializer_class = s.AccountActionSerializer

    @extend_schema(
        operation_id="accountAction",
        summary="Account Actions",
        request=s.AccountActionSerializer,
        responses={200: s.IdSerializer},
    )
    def post(self, request, pk):
        account = self.get_object()
        data = self.valid(s.AccountActionSerializer)
        transfer_to = None
        if data["state"] == AccountState.TERMINATED and data.get("account_id"):
            transfer_to = get_by_id(self.get_queryset(), data["account_id"], "account")
        services.change_account_state(account, data["state"], transfer_to=transfer_to)
        return Response({"id": str(account.id)})


class ContactListView(ContactScopedMixin, BackofficeView):
    queryset = Contact.objects.all()
    serializer_class = s.ContactSerializer
    entity_name = "contact"
    filterset_class = ContactFilterSet
    sort_fields = CONTACT_SORTS

    @extend_schema(
        operation_id="listContacts",
        summary="List Contacts",
        responses={200: s.ContactListItemSerializer(many=True)},
    )
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(s.ContactListItemSerializer(page, many=True).data)

    @extend_schema(
        operation_id="createContact",
        summary="Create Contact",
        request=s.ContactSerializer,
        responses={201: s.IdSerializer, 409: BackofficeErrorSerializer},
    )
    def post(self, request):
        data = self.valid(s.ContactSerializer)
        contact = services.create_contact(is_test=self.is_test, **data)
        return Response({"id": str(contact.id)}, status=status.HTTP_201_CREATED)


class ContactDetailView(ContactScopedMixin, BackofficeView):
    queryset = Contact.objects.all()
    serializer_class = s.ContactSerializer
    entity_name = "contact"

    @extend_schema(
        operation_id="getContact",
        summary="Get Contact",
        parameters=[CONTACT_IN_PATH],
        responses={200: s.ContactSerializer},
    )
    def get(self, request, pk):
        contact = self.get_contact()
        return Response(s.ContactSerializer(contact).data)


class ContactAddressesView(ContactScopedMixin, BackofficeView):
    queryset = Contact.objects.all()
    serializer_class = s.AddressSerializer
    entity_name = "contact"

    @extend_schema(
        operation_id="addContactAddress",
        parameters=[CONTACT_IN_PATH],
        summary="Add Contact Address",
        request=s.AddressSerializer,
        responses={201: s.IdSerializer},
    )
    def post(self, request, pk):
        contact = self.get_contact()
        address = services.add_address(contact, **self.valid(s.AddressSerializer))
        return Response({"id": str(address.id)}, status=status.HTTP_201_CREATED)


class LoginView(BackofficeView):
    """A user's username and password in exchange for a JWT for `Authorization: Bearer`."""

    permission_classes = []
    serializer_class = s.LoginSerializer

    @extend_schema(
        operation_id="userLogin",
        summary="User login",
        request=s.LoginSerializer,
        responses={200: s.LoginResultSerializer},
        auth=[],
    )
    def post(self, request):
        data = self.valid(s.LoginSerializer)
        user = check_password(request._request, data["username"], data["password"])
        if user is None:
            raise AuthenticationFailed("Invalid username or password.")
        token, expires_in = issue_jwt(user)
        return Response({"access_token": token, "token_type": "Bearer", "expires_in": expires_in})
