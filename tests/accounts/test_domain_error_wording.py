"""A domain error names its field in the domain's words for staff, and by each family's wire name for its API."""

from accounts.errors import InvalidValue, MissingValue, literal


def test_staff_read_the_label_and_a_family_its_wire_name():
    error = InvalidValue("{field} cannot be blank.", field="number", label="The correspondence number")

    assert error.message == str(error) == "The correspondence number cannot be blank."
    assert error.worded({"number": "correspondenceNumber"}) == "correspondenceNumber cannot be blank."
    assert error.wire_parameters({"number": "correspondenceNumber"}) == ["correspondenceNumber"]


def test_a_family_that_does_not_rename_the_field_reads_the_domains_name():
    error = MissingValue("content.body", "Standard letter needs the section {field}.", label="Body")

    assert error.message == "Standard letter needs the section Body."
    assert error.worded({"number": "correspondenceNumber"}) == "Standard letter needs the section content.body."


def test_braces_typed_by_a_user_are_kept_as_typed():
    error = InvalidValue(
        f"{literal(repr('{x}@example'))} in {{field}} is not an email address.", field="to_address", label="To"
    )

    assert error.message == "'{x}@example' in To is not an email address."
    assert error.worded({"to_address": "to"}) == "'{x}@example' in to is not an email address."


def test_a_message_without_a_label_is_kept_whole():
    error = InvalidValue("got {'a': 1}", field="state")

    assert error.message == error.worded({"state": "life_cycle_state"}) == "got {'a': 1}"
    assert error.wire_parameters({"state": "life_cycle_state"}) == ["life_cycle_state"]
    assert MissingValue("error_code").message == "error_code is required."
    assert MissingValue("error_code", label="The error code").worded({}) == "error_code is required."
