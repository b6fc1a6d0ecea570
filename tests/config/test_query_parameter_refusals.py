"""A list's query parameters, refused in each family's own words: the parameters are read in the order each list
documents them, every one before any record it names is looked up, and the first refused is the one answered."""

import pytest

pytestmark = pytest.mark.django_db

DATETIME_FORMATS = "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]"


@pytest.fixture
def call(backoffice, backend, altinn, crm, contact):
    """GET a family's list with the family's client; the query string goes as written, its order kept; `{contact}` in
    the path is filled in."""
    clients = {"backoffice": backoffice, "letters": backend, "altinn": altinn}

    def get(family: str, path: str, query: str):
        path = path.format(contact=contact.id)
        if family == "crm":
            return crm.client.get(f"{path}?token={crm.token}&{query}")
        return clients[family].get(f"{path}?{query}")

    return get


def v2_invalid(message: str, *parameters: str) -> dict:
    error = "CRM.EXCEPTIONS.INVALIDVALUEEXCEPTION"
    return {"status": 400, "message": message, "error": error, "parameters": list(parameters)}


def crm_error(code: str, message: str, description: str) -> dict:
    return {"status": {"code": code, "message": message, "description": description}, "data": None}


def problem(detail: str, errors: dict) -> dict:
    return {
        "type": "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        "title": "One or more validation errors occurred.",
        "status": 400,
        "detail": detail,
        "instance": "/correspondence/api/v1/correspondence",
        "errors": errors,
    }


ACCOUNTS = "/backoffice/v2/contacts/{contact}/accounts"
ACTIVITIES = "/backoffice/v2/activities/"
LETTERS = "/backend/api/v1/correspondence/"
ALTINN = "/correspondence/api/v1/correspondence"
COMMUNICATIONS = "/crmapi/rest/v2/communications/list"
QUEUE = "/crmapi/rest/v2/communications/queue/list"
SYSTEM = "communication_queue_external_system_identifier"

ONE_BAD_PARAMETER = [
    ("backoffice", ACCOUNTS, "is_primary=maybe", v2_invalid("is_primary must be true or false.", "is_primary")),
    (
        "backoffice",
        ACCOUNTS,
        "state=ACTIVE,CLOSED",
        v2_invalid("state accepts ACTIVE, SUSPENDED, TERMINATED; got CLOSED.", "state"),
    ),
    ("backoffice", ACCOUNTS, "size=101", v2_invalid("size may be at most 100.", "size")),
    (
        "backoffice",
        ACTIVITIES,
        "created_on[gte]=soon",
        v2_invalid("created_on[gte]: Enter a whole number.", "created_on[gte]", "Enter a whole number."),
    ),
    (
        "letters",
        LETTERS,
        "undelivered=maybe",
        {
            "error": "Invalid Value",
            "error_code": 400002,
            "hint": "undelivered is a flag: give it without a value, or as 1/true or 0/false.",
        },
    ),
    (
        "letters",
        LETTERS,
        "limit=0",
        {"error": "Invalid Value", "error_code": 400002, "hint": "limit must be 1 or more."},
    ),
    (
        "altinn",
        ALTINN,
        "sendersReference=%20",
        problem(
            "sendersReference: This field may not be blank.", {"sendersReference": ["This field may not be blank."]}
        ),
    ),
    (
        "crm",
        COMMUNICATIONS,
        "category_identifier=code=cci&direction=SIDEWAYS",
        crm_error("INVALID_VALUE", "direction accepts INCOMING or OUTGOING.", "direction"),
    ),
    (
        "crm",
        QUEUE,
        "media=EMAIL&offset=-1",
        crm_error("INVALID_VALUE", "offset must be 0 or more.", "offset"),
    ),
]


@pytest.mark.parametrize(("family", "path", "query", "body"), ONE_BAD_PARAMETER)
def test_a_malformed_value_is_refused_in_the_familys_words(call, family, path, query, body):
    response = call(family, path, query)

    assert response.status_code == 400
    assert response.json() == body


SEVERAL_BAD_PARAMETERS = [
    # Declared before `state`, wherever the caller wrote it.
    (
        "backoffice",
        ACCOUNTS,
        "state=CLOSED&is_primary=maybe",
        v2_invalid("is_primary must be true or false.", "is_primary"),
    ),
    (
        "backoffice",
        ACTIVITIES,
        "states=LOST&lead_id=nobody",
        v2_invalid("lead_id: Enter a valid UUID.", "lead_id", "Enter a valid UUID."),
    ),
    # Filters and sorting come before paging.
    (
        "backoffice",
        ACTIVITIES,
        "page=first&sort=LOUDNESS",
        v2_invalid("sort accepts CREATED_DATE, UPDATED_DATE, NAME, SCHEDULED_DATE.", "sort"),
    ),
    # A date refused by its field comes before a flag declared after it.
    (
        "letters",
        LETTERS,
        "delivered=maybe&minDate=03/05/2026",
        {"error": "Invalid Value", "error_code": 400002, "hint": "minDate: Enter a valid date."},
    ),
    (
        "letters",
        LETTERS,
        "limit=none&maxDate=tomorrow",
        {"error": "Invalid Value", "error_code": 400002, "hint": "maxDate: Enter a valid date."},
    ),
    # As for a body: every refused value is listed, the first declared in the detail.
    (
        "altinn",
        ALTINN,
        "from=yesterday&status=Lost",
        problem(
            'status: "Lost" is not a valid choice.',
            {
                "status": ['"Lost" is not a valid choice.'],
                "from": [f"Datetime has wrong format. Use one of these formats instead: {DATETIME_FORMATS}."],
            },
        ),
    ),
    # The seed's restriction on the semi-optional parameters is checked as soon as they are read.
    (
        "crm",
        COMMUNICATIONS,
        "direction=SIDEWAYS",
        crm_error(
            "MISSING_PARAMETER",
            "Give contact_information_identifier, category_identifier, or both.",
            "contact_information_identifier",
        ),
    ),
    (
        "crm",
        QUEUE,
        f"{SYSTEM}=name=CONAX&media=PIGEON",
        crm_error("INVALID_VALUE", f"Give {SYSTEM} or media, not both.", SYSTEM),
    ),
    # Every parameter is read before a record it names is looked up.
    (
        "crm",
        QUEUE,
        f"{SYSTEM}=name=nowhere&contact_information_identifier=C123",
        crm_error(
            "INVALID_VALUE",
            "contact_information_identifier takes <field>=<value>, where field is one of id, code, id_number, email.",
            "contact_information_identifier",
        ),
    ),
]


@pytest.mark.parametrize(("family", "path", "query", "body"), SEVERAL_BAD_PARAMETERS)
def test_of_several_refused_parameters_the_first_in_the_documented_order_is_answered(call, family, path, query, body):
    response = call(family, path, query)

    assert response.status_code == 400
    assert response.json() == body


def test_a_record_named_by_a_well_formed_identifier_that_matches_none_is_not_found(call):
    response = call("crm", QUEUE, f"{SYSTEM}=name=nowhere&life_cycle_state=PENDING")

    assert response.status_code == 404
    assert response.json() == crm_error(
        "NOT_FOUND",
        "No communication queue external system matches name nowhere.",
        "communication queue external system, name nowhere",
    )
