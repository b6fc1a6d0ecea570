"""List filters the apps' admin screens share."""

from django.contrib import admin

from .models import Contact


class CustomerFilter(admin.SimpleListFilter):
    """Set from the customer's page or a link; offers only that customer, so it stays light with many.

    Subclasses name the path from their record to its contact's key in `customer_field`."""

    title = "customer"
    parameter_name = "customer"
    customer_field = "contact_id"

    def lookups(self, request, model_admin):
        customer = Contact.objects.filter(pk=self.value()).first() if self.value() else None
        return [(str(customer.pk), str(customer))] if customer else []

    def queryset(self, request, queryset):
        return queryset.filter(**{self.customer_field: self.value()}) if self.value() else queryset
