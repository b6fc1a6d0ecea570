"""The examples the OpenAPI schema shows for the insights and analytics operations."""

from drf_spectacular.utils import OpenApiExample

INSIGHT_ID = "c0d4712e-6688-4604-b3d6-d084e4d2dc05"
CONTACT_ID = "1c060611-0667-313e-b3bf-4cb70ee81cdf"
DAY = 86400
MAY_1 = 1714521600

CREATE = OpenApiExample(
    "Create Insight", value={"name": "Returned mail", "description": "Postal letters that came back"}, request_only=True
)
ID = OpenApiExample("The insight's id", value={"id": INSIGHT_ID}, response_only=True)
EVENTS = OpenApiExample(
    "Communications and the contacts they reached",
    value={
        "events": [
            {"event": "COMMUNICATION_CREATED", "measurement": "COUNT", "name": "All"},
            {"event": "COMMUNICATION_CREATED", "measurement": "UNIQUE_CONTACTS", "name": "Contacts"},
        ]
    },
    request_only=True,
)
FILTERS = OpenApiExample(
    "Outgoing email to companies",
    value={
        "filters": [
            {"property": "COMMUNICATION_MEDIA", "operator": "EQUALS", "values": ["EMAIL"]},
            {"property": "COMMUNICATION_DIRECTION", "operator": "IN", "values": ["OUTGOING"]},
            {"property": "CONTACT_TYPE", "operator": "NOT_EQUALS", "values": ["PERSON"]},
        ]
    },
    request_only=True,
)
BREAKDOWNS = OpenApiExample(
    "By media, the five busiest",
    value={"breakdowns": [{"dimension": "COMMUNICATION_MEDIA"}], "limit": 5},
    request_only=True,
)
SERIES = {
    "event": "COMMUNICATION_CREATED",
    "name": "All",
    "measurement": "COUNT",
    "breakdown": {"COMMUNICATION_MEDIA": "EMAIL"},
    "total": 3,
    "data": [
        {"timestamp": MAY_1, "value": 1},
        {"timestamp": MAY_1 + DAY, "value": 0},
        {"timestamp": MAY_1 + 2 * DAY, "value": 2},
    ],
}
RESULTS_BODY = {
    "insight_id": INSIGHT_ID,
    "date_from": MAY_1,
    "date_to": MAY_1 + 3 * DAY,
    "interval": "DAY",
    "content": [SERIES],
    "has_more": False,
}
RESULTS = OpenApiExample("Three days by day", value=RESULTS_BODY, response_only=True)
PREVIEW_REQUEST = OpenApiExample(
    "Try another breakdown over May by week",
    value={
        "breakdowns": [{"dimension": "CONTACT_TYPE"}],
        "date_from": MAY_1,
        "date_to": MAY_1 + 31 * DAY,
        "interval": "WEEK",
    },
    request_only=True,
)
PREVIEW = OpenApiExample(
    "Results and a sample",
    value={
        **RESULTS_BODY,
        "sample": [
            {
                "event": "COMMUNICATION_CREATED",
                "occurred_on": MAY_1 + 2 * DAY + 3600,
                "contact": {"id": CONTACT_ID, "name": "John Doe", "code": "C123"},
                "record": {"type": "COMMUNICATION", "id": "895db8db-457a-46e5-b4d0-88c6070799b5"},
                "amount": None,
            }
        ],
    },
    response_only=True,
)
EXPORT_REQUEST = OpenApiExample(
    "Every event of last month",
    value={"format": "CSV", "type": "RECORDS", "frequency": "LAST_MONTH"},
    request_only=True,
)
INSIGHT = OpenApiExample(
    "Get Insight",
    value={
        "id": INSIGHT_ID,
        "name": "Returned mail",
        "description": "Postal letters that came back",
        "events": [{"event": "POSTAL_LETTER_RETURNED", "measurement": "TOTAL_AMOUNT", "name": "Postage lost"}],
        "filters": [{"property": "AMOUNT", "operator": "BETWEEN", "values": [0.5, 5]}],
        "breakdowns": [{"dimension": "POSTAL_ACCOUNT"}],
        "breakdown_limit": 10,
        "created_on": 1714521600,
        "updated_on": 1714608000,
        "created_by": {"id": "4dc0809f-ed91-4b68-b912-5bd6064d901e", "name": "billing system"},
    },
    response_only=True,
)
ANALYTICS = OpenApiExample(
    "A contact over the last six months",
    value={
        "account_totals": [
            {"currency_code": "EUR", "accounts": 2, "active_accounts": 1, "balance": 99.99, "overdue_amount": 9.99}
        ],
        "communication_totals": {
            "total": 4,
            "by_media": [
                {"media": "EMAIL", "count": 3},
                {"media": "SMS", "count": 1},
                {"media": "PHONE", "count": 0},
                {"media": "LETTER", "count": 0},
                {"media": "FACE_TO_FACE", "count": 0},
            ],
            "by_direction": [{"direction": "INCOMING", "count": 1}, {"direction": "OUTGOING", "count": 3}],
            "messages_sent": 3,
            "messages_failed": 0,
        },
        "communications_per_month": [{"timestamp": MAY_1, "count": 4}],
        "is_active": True,
        "last_interaction_on": MAY_1 + 3600,
    },
    response_only=True,
)
