"""The v2 family's list filters of contacts and accounts, one FilterSet per model."""

import django_filters
from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Q

from accounts.api.backoffice.dialect import ChoicesCsvFilter, TrueOrFalseFilter
from accounts.api.parsers import QueryFilterSet
from accounts.models import Account, AccountState, Contact


class SearchTextField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # The text goes to the database as it came: a NUL is refused there, as a value that cannot be stored.
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]


class SearchFilter(django_filters.CharFilter):
    field_class = SearchTextField


class ContactFilterSet(QueryFilterSet):
    search_value = SearchFilter(method="search", help_text="Part of a name, code, email or phone.")

    class Meta:
        model = Contact
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(first_name__icontains=value)
            | Q(last_name__icontains=value)
            | Q(company_name__icontains=value)
            | Q(code__iexact=value)
            | Q(email__iexact=value)
            | Q(phone=value)
        )


class AccountFilterSet(QueryFilterSet):
    is_primary = TrueOrFalseFilter(method="primary_only", help_text="Only the primary account.")
    state = ChoicesCsvFilter(AccountState.values, help_text="CSV of ACTIVE, SUSPENDED, TERMINATED.")

    class Meta:
        model = Account
        fields = []

    def primary_only(self, queryset, name, value):
        # `false` asks for nothing: all accounts are listed, as when the parameter is absent.
        return queryset.filter(is_primary=True) if value else queryset
