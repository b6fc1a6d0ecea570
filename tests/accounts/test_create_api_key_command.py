import pytest
from django.core.management import CommandError, call_command

from accounts.models import ApiKey
from accounts.scopes import ALL_SCOPES

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("create_api_key", *args, stdout=out)
    return out.getvalue().strip()


def test_prints_only_the_key_and_stores_its_hash():
    raw = run("billing", "--scopes", "backoffice.read,backoffice.write")

    assert raw.startswith("ck_live_") and "\n" not in raw
    key = ApiKey.objects.get()
    assert key.hashed_key == ApiKey.hash(raw) != raw
    assert raw not in str(ApiKey.objects.values().get())
    assert (key.name, key.scopes, key.mode) == ("billing", ["backoffice.read", "backoffice.write"], "live")


def test_all_scopes_test_mode_and_postal_accounts():
    raw = run("sandbox", "--scopes", "all", "--mode", "test", "--postal-account", "ABC12345,XYZ00001")

    key = ApiKey.objects.get()
    assert raw.startswith("ck_test_")
    assert sorted(key.scopes) == sorted(ALL_SCOPES)
    assert key.postal_accounts == ["ABC12345", "XYZ00001"]


def test_the_altinn_scope_name_is_accepted():
    run("altinn", "--scopes", "altinn:correspondence.write")
    assert ApiKey.objects.get().scopes == ["correspondence.write"]


def test_unknown_scopes_are_refused():
    with pytest.raises(CommandError, match="Unknown scope"):
        run("bad", "--scopes", "everything.write")
    assert not ApiKey.objects.exists()


def test_the_key_works_against_the_api(anonymous):
    anonymous.credentials(HTTP_API_KEY=run("reader", "--scopes", "backoffice.read"))
    assert anonymous.get("/backoffice/v2/contacts").status_code == 200


def test_a_key_of_its_own_rate_limit():
    run("nightly export", "--scopes", "letters.read", "--requests-per-minute", "120")

    assert ApiKey.objects.get().requests_per_minute == 120


def test_a_rate_limit_below_one_is_refused():
    with pytest.raises(CommandError, match="--requests-per-minute must be 1 or more"):
        run("nightly export", "--scopes", "letters.read", "--requests-per-minute", "0")
    assert not ApiKey.objects.exists()
