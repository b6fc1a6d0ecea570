"""Bytes and request bodies the initialize tests share."""

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


INITIALIZE_URL = "/correspondence/api/v1/correspondence"


def initialize_body(recipients, **correspondence) -> dict:
    """A request as Altinn's documentation shows it; `correspondence` overrides parts of the correspondence."""
    notification = correspondence.pop("notification", None)
    body = {
        "correspondence": {
            "resourceId": "acme-letters",
            "sendersReference": "case-4711",
            "content": {
                "language": "en",
                "messageTitle": "Your new tariff",
                "messageSummary": "Prices change on 1 March",
                "messageBody": "# Dear customer\n\nYour tariff changes on 1 March.",
            },
            **correspondence,
        },
        "recipients": list(recipients),
    }
    if notification is not None:
        body["correspondence"]["notification"] = notification
    return body
