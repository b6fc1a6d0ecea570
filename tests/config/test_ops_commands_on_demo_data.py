"""Every ops command explains itself in --help and runs on the demo data, as ops would on a fresh install."""

from io import StringIO

import pytest
from django.core.management import call_command, get_commands, load_command_class

from postal.models import Letter

pytestmark = pytest.mark.django_db

OURS = ("accounts", "activities", "communications", "correspondence", "postal")


def our_commands() -> dict[str, str]:
    return {name: app for name, app in get_commands().items() if app in OURS}


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_every_command_has_help_that_says_what_it_does():
    commands = our_commands()
    assert {"create_api_key", "seed_demo", "send_pending", "lodge_letters", "import_returns"} <= set(commands)
    assert {"render_pending_pdfs", "overdue_activities", "purge"} <= set(commands)
    for name, app in commands.items():
        command = load_command_class(app, name)
        assert len(command.help) > 30, f"{name} needs a --help text that says what it does"


def test_every_command_runs_on_the_demo_data(tmp_path):
    run("seed_demo")
    returned = Letter.objects.filter(status="Lodged").select_related("postal_account").first()
    returns_file = tmp_path / "returns.csv"
    returns_file.write_text(f"account,ref\n{returned.postal_account.code},{returned.ref}\n")

    assert run("create_api_key", "ops", "--scopes", "all").startswith("ck_live_")
    run("send_pending")
    run("render_pending_pdfs")
    run("lodge_letters")
    run("import_returns", str(returns_file), "--no-progress")
    run("publish_due")
    run("overdue_activities")
    assert "would" in run("purge", "--dry-run").lower()

    returned.refresh_from_db()
    assert returned.status == "Returned"
