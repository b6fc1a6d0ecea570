"""Demo data: two insights over the demo records, so the Insights screen has charts to show."""

from .models import Insight
from .services import create_insight

INSIGHTS = [
    {
        "name": "Customer contact by media",
        "description": "Communications with people and companies, per media.",
        "events": [
            {"event": "COMMUNICATION_CREATED", "measurement": "COUNT", "name": "Communications"},
            {"event": "COMMUNICATION_CREATED", "measurement": "UNIQUE_CONTACTS", "name": "Customers"},
        ],
        "breakdowns": [{"dimension": "COMMUNICATION_MEDIA"}],
    },
    {
        "name": "Postage",
        "description": "What postal letters cost, by postal account.",
        "events": [{"event": "POSTAL_LETTER_RECEIVED", "measurement": "TOTAL_AMOUNT", "name": "Postage"}],
        "breakdowns": [{"dimension": "POSTAL_ACCOUNT"}],
    },
]


def load() -> str:
    made = 0
    for spec in INSIGHTS:
        if not Insight.objects.filter(is_test=False, name=spec["name"]).exists():
            create_insight(is_test=False, **spec)
            made += 1
    return f"{made} insight(s) added ({', '.join(spec['name'] for spec in INSIGHTS)})"
