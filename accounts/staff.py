"""What accounts shows staff: accounts by state on the dashboard, and a customer's accounts."""

from django.db.models import Count
from django.urls import reverse

from .backoffice import Bar, Chart, Entry, Section
from .models import Account, AccountState


def dashboard_charts() -> list[Chart]:
    counts = dict(Account.objects.in_mode(False).values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    changelist = reverse("admin:accounts_account_changelist")
    tones = {AccountState.ACTIVE: "good", AccountState.SUSPENDED: "warn", AccountState.TERMINATED: "muted"}
    return [
        Chart(
            "Accounts by state",
            [
                Bar(state.label, counts.get(state.value, 0), f"{changelist}?state__exact={state.value}", tones[state])
                for state in AccountState
            ],
            url=changelist,
            permission="accounts.view_account",
        )
    ]


def customer_sections(contact) -> list[Section]:
    accounts = contact.accounts.order_by("-created_on")
    return [
        Section(
            "Accounts",
            [
                Entry(
                    account.created_on,
                    f"{account.number} — {account.name}",
                    f"{account.get_state_display()} · {account.balance} {account.currency_code}"
                    + (" · primary" if account.is_primary else ""),
                    reverse("admin:accounts_account_change", args=[account.pk]),
                )
                for account in accounts
            ],
            list_url=reverse("admin:accounts_account_changelist") + f"?contact__id__exact={contact.pk}",
            permission="accounts.view_account",
        )
    ]
