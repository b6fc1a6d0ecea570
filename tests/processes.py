"""Real server processes for the fault tests: private PostgreSQL and Redis servers that a test may stop and
start again, and gunicorn, a Celery worker and Celery beat running the project against them.

Every wait polls with a deadline; a process that does not come up fails the test with the end of its log.
"""

import glob
import http.cookiejar
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import redis

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(predicate, timeout: float, what: str, interval: float = 0.1, log=None):
    """Poll `predicate` until it returns something true (returned), or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            detail = f"\n--- log ---\n{log()}" if log else ""
            raise AssertionError(f"{what}: not within {timeout:.0f} s{detail}")
        time.sleep(interval)


def session_database_url() -> str:
    """The URL of the database this test session runs on, for a server process to share."""
    from django.db import connection

    db = connection.settings_dict
    credentials = db["USER"] + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def project_env(**settings) -> dict:
    """The environment of a project process: this one's, with the given settings (None removes one)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "LOG_LEVEL": "INFO", "PYTHONUNBUFFERED": "1"}
    for name, value in settings.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = str(value)
    return env


class Process:
    """A child process with its output in a log file. Started at once; `wait_ready` waits until it serves, so
    several can boot side by side."""

    def __init__(self, name: str, command: list[str], env: dict, directory: Path):
        self.name = name
        self.log_path = directory / f"{name}.log"
        self._log = self.log_path.open("ab")
        self.popen = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT)

    def wait_ready(self) -> "Process":
        return self

    def log(self, tail: int = 6000) -> str:
        return self.log_path.read_text(errors="replace")[-tail:]

    def running(self) -> bool:
        return self.popen.poll() is None

    def stop(self, timeout: float = 20) -> None:
        if self.running():
            self.popen.terminate()
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self._log.close()


class RedisServer:
    """A private redis-server on a free port, without persistence: stopping it loses what it held."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.process: Process | None = None
        self.client = redis.Redis(port=self.port, socket_connect_timeout=1)

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> "RedisServer":
        binary = shutil.which("redis-server")
        assert binary, "the fault tests need redis-server (Debian's redis-server package)"
        command = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        command += ["--dir", str(self.directory)]
        self.process = Process("redis", command, os.environ.copy(), self.directory)
        wait_until(self.answers, 15, "redis-server answering", log=self.process.log)
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
            self.process = None
        assert not self.answers(), "redis-server still answers after it was stopped"

    def answers(self) -> bool:
        try:
            return bool(self.client.ping())
        except redis.RedisError:
            return False


def postgres_bin() -> Path:
    """The newest installed PostgreSQL's server binaries (Debian: /usr/lib/postgresql/<version>/bin)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    assert found, "the fault tests need the PostgreSQL server binaries (Debian's postgresql package)"
    return Path(found[-1]).parent


class PostgresCluster:
    """A private PostgreSQL cluster (initdb) on a free port, trust authentication, in its own temporary folder."""

    def __init__(self):
        self.bin = postgres_bin()
        self.port = free_port()
        # initdb refuses to run as root; the distribution's postgres user owns the cluster then.
        self.user = "postgres" if os.geteuid() == 0 else None
        self.directory = Path(tempfile.mkdtemp(prefix="fault-pg-"))
        if self.user:
            os.chown(self.directory, pwd.getpwnam(self.user).pw_uid, -1)
        self.data = self.directory / "data"

    def _run(self, *command: str) -> None:
        result = subprocess.run(
            [str(self.bin / command[0]), *command[1:]], user=self.user, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"

    def init(self) -> "PostgresCluster":
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")
        return self

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.directory / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "-t", "30", "start")

    def stop(self) -> None:
        """A fast shutdown, as on a restart: open sessions are ended, nothing waits for clients."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "30", "stop")

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


def manage(*arguments: str, env: dict, timeout: float = 120) -> str:
    """Run a management command as ops would; returns what it printed."""
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"manage.py {' '.join(arguments)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")


class HttpClient:
    """Plain HTTP to a server on loopback, with a cookie jar (for the admin's session and CSRF cookies)."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def request(self, method: str, path: str, body: bytes | None = None, headers=None, timeout=30) -> Answer:
        request = urllib.request.Request(self.base_url + path, data=body, method=method, headers=headers or {})
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return Answer(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, dict(error.headers), error.read())

    def cookie(self, name: str) -> str | None:
        return next((cookie.value for cookie in self.cookies if cookie.name == name), None)


class Gunicorn(Process):
    """The web server as deployed (config/gunicorn.py), on a free loopback port."""

    def __init__(self, env: dict, directory: Path, workers: int = 2, threads: int | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "gunicorn", "config.wsgi", "-c", "config/gunicorn.py"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--workers", str(workers), "--access-logfile", "/dev/null"]
        command += ["--threads", str(threads)] if threads else []
        super().__init__("gunicorn", command, env, directory)

    def wait_ready(self) -> "Gunicorn":
        # Up is answering at all: /healthz says 503 while the database is down, and that is an answer too.
        wait_until(self._answers, 60, "gunicorn answering", interval=0.2, log=self.log)
        return self

    def _answers(self) -> bool:
        assert self.running(), f"gunicorn exited:\n{self.log()}"
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=2):
                return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            return False


class CeleryWorker(Process):
    """`celery -A config worker` on the given queues, one task at a time."""

    def __init__(self, env: dict, directory: Path, queues: str):
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queues, "-P", "solo"]
        command += ["--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "info", "-n", "fault@%h"]
        super().__init__("worker", command, env, directory)

    def wait_ready(self) -> "CeleryWorker":
        wait_until(self._ready, 60, "celery worker ready", interval=0.2, log=self.log)
        return self

    def _ready(self) -> bool:
        assert self.running(), f"the celery worker exited:\n{self.log()}"
        return " ready." in self.log(tail=100_000)

    def count(self, text: str) -> int:
        """How many times `text` appears in the worker's log so far."""
        return self.log_path.read_text(errors="replace").count(text)


class CeleryBeat(Process):
    """`celery -A config beat`, the one scheduler of a deployment, with its schedule file in `directory`."""

    def __init__(self, env: dict, directory: Path):
        command = [sys.executable, "-m", "celery", "-A", "config", "beat", "-l", "info"]
        command += ["-s", str(directory / "beat-schedule")]
        super().__init__("beat", command, env, directory)
