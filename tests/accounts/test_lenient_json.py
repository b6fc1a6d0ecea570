import pytest

from accounts.api.parsers import loads_lenient


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": [1, 2,], "b": {"c": 1,},}', {"a": [1, 2], "b": {"c": 1}}),
        ('{"s": "keep, } this ,]",}', {"s": "keep, } this ,]"}),
        ('{"s": "quote \\" ,}",}', {"s": 'quote " ,}'}),
    ],
)
def test_trailing_commas_are_forgiven(text, expected):
    assert loads_lenient(text) == expected


def test_the_seed_trailing_comma_inside_an_object():
    assert loads_lenient('{"identifier": {"number":"S60302",},}') == {"identifier": {"number": "S60302"}}


@pytest.mark.parametrize("text", ["{'single': 1}", '{"a": 1 // comment\n}', "{a: 1}", '{"a": 1,,}', "[1,,2]"])
def test_other_malformed_json_is_still_refused(text):
    with pytest.raises(ValueError):
        loads_lenient(text)
