"""Fixtures of the fault tests: private servers a test may stop, and the project's own processes around them."""

import pytest

from tests.processes import RedisServer, project_env, session_database_url


@pytest.fixture
def redis_server(tmp_path):
    """A private Redis (never the shared one): the test may stop it and start it again on the same port."""
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def processes():
    """Project processes a test starts; stopped at its end, the last started first."""
    started = []
    yield started
    for process in reversed(started):
        process.stop()


@pytest.fixture
def deployment_env(redis_server, smtp_server):
    """The environment of project processes on this session's database, the private Redis and the SMTP sink;
    keyword arguments add or override settings."""

    def env(**settings) -> dict:
        return project_env(
            DATABASE_URL=session_database_url(),
            CELERY_BROKER_URL=redis_server.url(),
            REDIS_URL=redis_server.url(),
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=smtp_server.port,
            **settings,
        )

    return env
