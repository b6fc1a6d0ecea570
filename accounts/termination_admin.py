"""Terminating accounts from the admin: an account holding money asks where its balance goes.

Each selected account with a balance (or an overdue amount) gets a picker of accounts in its currency — the
customer's own first, then those a search finds — and the page only terminates on "Yes, terminate". What may be
terminated, and into which account, is the termination service's to say.
"""

import uuid
from dataclasses import dataclass, field

from django.contrib.admin import helpers
from django.template.response import TemplateResponse

from . import selectors, services
from .models import Account


@dataclass
class Termination:
    """One selected account on the page, with what was picked and searched for it."""

    account: Account
    picked: str = ""
    search: str = ""
    own: list[Account] = field(default_factory=list)
    found: list[Account] = field(default_factory=list)

    @property
    def holds_money(self) -> bool:
        return bool(self.account.balance or self.account.overdue_amount)

    @property
    def groups(self) -> list[tuple[str, list[tuple[str, str, bool]]]]:
        """The picker's option groups: (heading, [(value, label, chosen), …])."""
        currency = self.account.currency_code
        groups = [
            (f"{self.account.contact}'s own accounts in {currency}", self.own),
            (f"Other accounts in {currency} matching “{self.search}”", self.found),
        ]
        return [
            (heading, [(str(a.pk), target_label(a), str(a.pk) == self.picked) for a in accounts])
            for heading, accounts in groups
            if accounts
        ]


def target_label(account: Account) -> str:
    return f"{account.number} · {account.name} · {account.contact} · balance {account.balance} {account.currency_code}"


def terminate_accounts(modeladmin, request, queryset, report):
    """The terminate action: the page of pickers, then, on confirm=yes, the service for each account."""
    rows = [
        Termination(
            account,
            picked=request.POST.get(f"transfer_to_{account.pk}", ""),
            search=request.POST.get(f"find_{account.pk}", ""),
        )
        for account in queryset.select_related("contact")
    ]
    if request.POST.get("confirm") == "yes":
        targets = Account.objects.in_bulk([row.picked for row in rows if _is_uuid(row.picked)])

        def terminate(account):
            row = next(row for row in rows if row.account.pk == account.pk)
            return services.terminate_account(account, transfer_to=targets.get(_uuid(row.picked)))

        report(modeladmin, request, queryset, terminate, "Terminated")
        return None
    for row in rows:
        if row.holds_money:
            row.own, row.found = selectors.transfer_targets(row.account, row.search)
            picked = Account.objects.filter(pk=_uuid(row.picked)).select_related("contact").first()
            if picked is not None and picked not in row.own and picked not in row.found:
                row.found.insert(0, picked)
    select_across = request.POST.get("select_across") == "1"
    selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Terminate accounts",
        "opts": modeladmin.model._meta,
        "rows": rows,
        "action": request.POST.get("action", ""),
        "select_across": select_across,
        "selected": selected[:1] if select_across else selected,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/accounts/account/terminate.html", context)


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except (ValueError, TypeError):
        return None


def _is_uuid(text: str) -> bool:
    return _uuid(text) is not None
