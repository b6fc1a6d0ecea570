"""A request body's serializer fields are built once per thread and class (accounts/api/serializers.py): each
new body is validated on its own, and another thread never shares them."""

import threading

from communications.api.crm.serializers import CommunicationCreateSerializer

CONTACT = {"id": "31260911295E70BB660EBEB0C4F941AC"}


def validated(body: dict) -> CommunicationCreateSerializer:
    serializer = CommunicationCreateSerializer(data=body)
    serializer.is_valid()
    return serializer


def test_each_body_is_validated_on_its_own_with_the_fields_built_once():
    refused = validated({"contact_information_identifier": CONTACT, "udf_float_1": [1], "notes": 5})
    accepted = validated({"contact_information_identifier": CONTACT, "subject": "Call"})

    assert set(refused.errors) == {"udf_float_1"}
    assert accepted.errors == {}
    assert accepted.validated_data["subject"] == "Call" and "udf_float_1" not in accepted.validated_data
    assert accepted.fields["subject"] is refused.fields["subject"]
    assert accepted.fields["subject"].parent is accepted
    assert accepted.fields["subject"].root is accepted


def test_another_thread_builds_its_own():
    here = validated({"contact_information_identifier": CONTACT}).fields["subject"]
    there = []
    thread = threading.Thread(target=lambda: there.append(validated({"subject": "x"}).fields["subject"]))
    thread.start()
    thread.join()

    assert there[0] is not here


def test_a_serializer_that_shows_a_record_builds_its_fields_as_before():
    first, second = CommunicationCreateSerializer(), CommunicationCreateSerializer()

    assert first.fields["subject"] is not second.fields["subject"]
