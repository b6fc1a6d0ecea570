"""Scopes: one read and one write scope per API family."""

FAMILIES = {
    "backoffice": "Back-office v2: accounts, contacts, activities",
    "communications": "CRM.COM R-series: communications and the communication queue",
    "letters": "Correspondence letters per customer (/backend/api/v1/)",
    "correspondence": "Correspondence initialize (/correspondence/api/v1/)",
    "postal": "Postal letter status (JSON-RPC)",
}
ALL_SCOPES = tuple(f"{family}.{access}" for family in FAMILIES for access in ("read", "write"))
# Names integrators of the public documents already use for the same scope.
ALIASES = {
    "altinn:correspondence.write": "correspondence.write",
    "altinn:correspondence.read": "correspondence.read",
}


def normalise(scope: str) -> str:
    scope = scope.strip()
    return ALIASES.get(scope, scope)


def parse_scopes(text: str) -> list[str]:
    """`all` or a comma-separated list of scope names (aliases accepted); unknown names raise ValueError."""
    if text.strip() == "all":
        return list(ALL_SCOPES)
    scopes = [normalise(s) for s in text.split(",") if s.strip()]
    unknown = [s for s in scopes if s not in ALL_SCOPES]
    if unknown or not scopes:
        raise ValueError(f"Unknown scope(s): {', '.join(unknown) or '(none)'}. Known: all, {', '.join(ALL_SCOPES)}")
    return sorted(set(scopes))
