"""Communication numbers: CM + six digits, never reused, distinct under concurrent creates."""

import threading

import pytest
from django.db import connection

from communications.models import Communication

pytestmark = pytest.mark.django_db(transaction=True)


def test_numbers_follow_each_other_and_code_is_the_same_number(make_communication):
    first, second = make_communication(), make_communication()

    assert first.number.startswith("CM") and len(first.number) == 8
    assert int(second.number[2:]) == int(first.number[2:]) + 1
    assert (first.code, second.code) == (str(int(first.number[2:])), str(int(second.number[2:])))


def test_a_chosen_number_is_kept_and_the_series_skips_nothing_in_use(make_communication):
    chosen = make_communication(number="290")
    following = make_communication()

    assert chosen.number == "290"
    assert following.number != "290" and following.code != chosen.code


def test_the_series_steps_over_a_number_a_record_already_holds(make_communication):
    after = int(make_communication().code)
    holder = make_communication(number=f"CM{after + 2:06d}")  # its code is the next drawn, after + 1

    following = make_communication()  # after + 2 is held as a number: the series steps over it

    assert holder.code == str(after + 1)
    assert (following.number, following.code) == (f"CM{after + 3:06d}", str(after + 3))


def test_concurrent_creates_get_distinct_numbers(make_communication):
    numbers, errors = [], []
    barrier = threading.Barrier(6)

    def create():
        try:
            barrier.wait()
            for _ in range(5):
                numbers.append(make_communication(media="PHONE").number)
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert len(numbers) == len(set(numbers)) == 30
    assert Communication.objects.count() == 30
