"""What accounts shows staff: accounts by state on the dashboard."""

from django.db.models import Count
from django.urls import reverse

from .backoffice import Bar, Chart
from .models import Account, AccountState


def dashboard_charts() -> list[Chart]:
    counts = dict(Account.objects.in_mode(False).values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    changelist = reverse("admin:accounts_account_changelist")
    tones = {AccountState.ACTIVE: "good", AccountState.SUSPENDED: "warn", AccountState.TERMINATED: "muted"}
    return [
        Chart(
            "Accounts by state",
            [
                Bar(
                    state.label,
                    counts.get(state.value, 0),
                    f"{changelist}?state__exact={state.value}&is_test__exact=0",
                    tones[state],
                )
                for state in AccountState
            ],
            url=changelist,
            permission="accounts.view_account",
        )
    ]
