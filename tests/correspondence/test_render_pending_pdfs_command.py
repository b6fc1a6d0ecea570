from io import StringIO

import pytest
from django.core.management import call_command

from correspondence import services
from correspondence.models import Correspondence

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("render_pending_pdfs", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_renders_everything_without_a_current_pdf(contact, make_correspondence):
    ready = make_correspondence(contact)
    waiting = [make_correspondence(contact, render=False) for _ in range(2)]
    Correspondence.objects.filter(pk=waiting[0].pk).update(render_error="ValueError: earlier failure")

    out, _ = run()

    assert "Rendered 2 of 2 correspondence PDF(s)." in out
    for correspondence in waiting:
        correspondence.refresh_from_db()
        assert correspondence.status_names == ["ready"] and correspondence.render_error == ""
    assert Correspondence.objects.get(pk=ready.pk).revision == 1


def test_limit_and_failures_are_reported(contact, make_correspondence, monkeypatch):
    for _ in range(3):
        make_correspondence(contact, render=False)

    def broken(letter):
        raise ValueError("no fonts")

    monkeypatch.setattr(services.letters.rendering, "render_letter", broken)
    out, err = run("--limit", "2")

    assert "Rendered 0 of 2" in out and "2 failed" in out
    assert err.count("ValueError: no fonts") == 2


def test_help_describes_the_command():
    from correspondence.management.commands.render_pending_pdfs import Command

    assert "no current one" in Command.help
    parser = Command().create_parser("manage.py", "render_pending_pdfs")
    assert "--limit" in parser.format_help()
