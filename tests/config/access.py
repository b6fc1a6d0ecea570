"""What every refusal body in the access matrix is checked for."""

import re

# What an error body must never carry: a stack trace or the server's file layout.
LEAKS = re.compile(r"Traceback|File \"/|site-packages|psycopg|django\.db", re.IGNORECASE)


def assert_nothing_leaked(response, *secrets: str):
    body = response.content.decode()
    assert not LEAKS.search(body), body
    for secret in secrets:
        assert secret not in body, f"{secret!r} leaked in {body}"
