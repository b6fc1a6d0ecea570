"""Returned letters: a carrier's list imported in chunks, and the simulator's returns collected."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from postal import services, tasks
from postal.management.commands.import_returns import Command as ImportReturns
from postal.models import Letter, LetterStatus

pytestmark = pytest.mark.django_db

START = 1_750_000_000


@pytest.fixture
def lodged(postal_account, other_account, make_mailing):
    make_mailing(postal_account, ["a1", "a2", "a3"])
    make_mailing(other_account, ["b1"])
    Letter.objects.update(status=LetterStatus.LODGED)


def run(*args) -> str:
    out = StringIO()
    call_command("import_returns", *args, "--no-progress", stdout=out)
    return out.getvalue().strip()


def test_a_csv_of_accounts_and_refs_returns_the_lodged_letters(lodged, postal_account, tmp_path):
    Letter.objects.filter(ref="a3").update(status=LetterStatus.CANCELLED)
    returns = tmp_path / "returns.csv"
    returns.write_text("account,ref\nABC12345,a1\nXYZ00001,b1\nABC12345,a3\nABC12345,never-sent\n")

    output = run(str(returns), "--chunk-size", "2")

    assert output == "2 returned, 0 already returned, 1 not lodged (left as they are), 1 unknown."
    assert dict(Letter.objects.values_list("ref", "status")) == {
        "a1": "Returned",
        "a2": "Lodged",
        "a3": "Cancelled",
        "b1": "Returned",
    }
    assert Letter.objects.get(ref="a1").returned_on is not None


def test_a_plain_list_of_refs_with_account(lodged, tmp_path):
    returns = tmp_path / "returns.txt"
    returns.write_text("a1\na2\n\n")

    assert run(str(returns), "--account", "ABC12345").startswith("2 returned")
    assert run(str(returns), "--account", "ABC12345").startswith("0 returned, 2 already returned")


def test_refs_of_another_account_are_not_touched(lodged, tmp_path):
    returns = tmp_path / "returns.txt"
    returns.write_text("b1\n")

    assert run(str(returns), "--account", "ABC12345").endswith("1 unknown.")
    assert Letter.objects.get(ref="b1").status == LetterStatus.LODGED


def test_a_file_without_the_columns_is_refused(lodged, tmp_path):
    returns = tmp_path / "returns.csv"
    returns.write_text("a1\na2\n")

    with pytest.raises(CommandError, match="columns account and ref"):
        run(str(returns))
    assert not Letter.objects.filter(status=LetterStatus.RETURNED).exists()


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "nope.csv"))


def test_help_describes_the_file():
    help_text = ImportReturns().create_parser("manage.py", "import_returns").format_help()
    assert "--chunk-size" in help_text and "account and ref" in help_text


def test_the_import_works_in_chunks(lodged):
    chunks = []
    summary = services.import_returns(
        [("ABC12345", "a1"), ("ABC12345", "a2"), ("ABC12345", "a3")], chunk_size=2, progress=chunks.append
    )
    assert chunks == [2, 1]
    assert summary.returned == 3


def test_the_simulator_returns_its_share_of_posted_letters_later(postal_account, make_mailing, settings):
    settings.POSTAL_SIMULATOR_LODGE_AFTER = timedelta(0)
    settings.POSTAL_SIMULATOR_RETURN_AFTER = timedelta(hours=1)
    settings.POSTAL_SIMULATOR_RETURN_SHARE = 1.0
    with time_machine.travel(START, tick=False):
        make_mailing(postal_account, ["posted"])
        services.lodge_due_letters()
    with time_machine.travel(START + 3599, tick=False):
        assert tasks.collect_returns.delay().get()["returned"] == 0
    with time_machine.travel(START + 3600, tick=False):
        assert tasks.collect_returns.delay().get()["returned"] == 1

    assert Letter.objects.get().status == LetterStatus.RETURNED


def test_the_simulator_picks_the_same_letters_every_time(postal_account, make_mailing, settings):
    settings.POSTAL_SIMULATOR_LODGE_AFTER = timedelta(0)
    settings.POSTAL_SIMULATOR_RETURN_AFTER = timedelta(0)
    settings.POSTAL_SIMULATOR_RETURN_SHARE = 0.5
    make_mailing(postal_account, [f"r{n}" for n in range(40)])
    services.lodge_due_letters()

    services.collect_returns()

    returned = set(Letter.objects.filter(status=LetterStatus.RETURNED).values_list("dbid", flat=True))
    assert returned == {dbid for dbid in Letter.objects.values_list("dbid", flat=True) if dbid % 10_000 < 5_000}


def test_no_share_returns_nothing(postal_account, make_mailing, settings):
    settings.POSTAL_SIMULATOR_RETURN_SHARE = 0
    make_mailing(postal_account, ["a"])
    Letter.objects.update(status=LetterStatus.LODGED)

    assert services.collect_returns().returned == 0
