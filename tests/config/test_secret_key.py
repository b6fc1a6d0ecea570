"""With DEBUG off, no process starts on a missing, empty or public secret: not the web server, not a command."""

import secrets
import socket
import subprocess
import sys

import pytest

from tests.processes import ROOT, Gunicorn, project_env

PUBLIC_DEFAULT = "insecure-development-key-set-SECRET_KEY-in-production"


def manage_check(**settings) -> subprocess.CompletedProcess:
    env = project_env(**{"DEBUG": "false", **settings})
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_gunicorn_refuses_to_start_without_a_secret_key(tmp_path):
    server = Gunicorn(project_env(DEBUG="false", SECRET_KEY=None, SECRET_KEY_FILE=None), tmp_path, workers=1)
    try:
        returncode = server.popen.wait(timeout=60)
    finally:
        server.stop()

    assert returncode != 0
    assert "Error: SECRET_KEY is not set" in server.log()
    assert "Traceback" not in server.log()
    assert not listening(server.port)


@pytest.mark.parametrize("value", ["", "   ", PUBLIC_DEFAULT], ids=["empty", "blank", "public-default"])
def test_a_command_refuses_an_empty_or_public_secret_key(value):
    result = manage_check(SECRET_KEY=value)

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY" in result.stderr


@pytest.mark.parametrize("setting", ["JWT_SIGNING_KEY", "JWT_SIGNING_KEY_FALLBACKS", "SECRET_KEY_FALLBACKS"])
def test_the_public_default_is_refused_as_any_key(setting):
    result = manage_check(SECRET_KEY=secrets.token_urlsafe(50), **{setting: PUBLIC_DEFAULT})

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {setting} is the development default" in result.stderr


def test_the_public_default_is_refused_with_debug_on_too():
    result = manage_check(DEBUG="true", SECRET_KEY=PUBLIC_DEFAULT)

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is the development default" in result.stderr


def test_a_real_secret_key_starts():
    result = manage_check(SECRET_KEY=secrets.token_urlsafe(50))

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_key_can_come_from_the_file_secret_key_file_names(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text(secrets.token_urlsafe(50) + "\n")

    assert manage_check(SECRET_KEY=None, SECRET_KEY_FILE=key_file).returncode == 0
    missing = manage_check(SECRET_KEY=None, SECRET_KEY_FILE=tmp_path / "nowhere")
    assert missing.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY_FILE names a file that cannot be read" in missing.stderr


def test_an_empty_secret_key_is_refused_even_beside_a_key_file(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text(secrets.token_urlsafe(50))

    result = manage_check(SECRET_KEY="", SECRET_KEY_FILE=key_file)

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr
