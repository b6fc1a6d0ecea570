"""Small builders for the communications tests."""

from communications import services


def queue_email(**overrides):
    fields = {
        "to": ["kathy.clark@example.com"],
        "subject": "Your letter",
        "body": "Dear Kathy, please find your letter attached.",
        "is_test": False,
        "source_type": "tests.email",
        "source_id": "1",
    }
    return services.send_email(**{**fields, **overrides})
