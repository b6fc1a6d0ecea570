"""One SMTP connection carries many messages; a connection the server dropped is replaced, not failed on."""

import socket
import threading

import pytest

from communications import outbound
from communications.outbound import connections

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_session_sends_many_messages_over_one_connection(smtp_server, make_outbound):
    ids = [make_outbound(subject=f"message {n}").pk for n in range(3)]

    with outbound.MailerSession() as session:
        for message_id in ids:
            outbound.send_one(message_id, session=session)

    assert len(smtp_server.received) == 3
    assert smtp_server.sessions == 1


def test_a_dropped_connection_is_replaced_before_the_next_message(smtp_server, make_outbound):
    first, second = make_outbound(subject="first"), make_outbound(subject="second")
    with outbound.MailerSession(idle_check_seconds=0) as session:
        outbound.send_one(first.pk, session=session)
        session.get("default").connection.sock.shutdown(socket.SHUT_RDWR)  # the server side went away

        outbound.send_one(second.pk, session=session)

    second.refresh_from_db()
    assert (second.status, second.attempts) == ("SENT", 1)
    assert [m.message["Subject"] for m in smtp_server.received] == ["first", "second"]
    assert smtp_server.sessions == 2


def test_each_worker_process_and_thread_has_its_own_session(monkeypatch):
    session = outbound.worker_session()
    assert outbound.worker_session() is session
    other_thread = []
    thread = threading.Thread(target=lambda: other_thread.append(outbound.worker_session()))
    thread.start()
    thread.join()
    assert other_thread[0] is not session

    monkeypatch.setattr(connections.os, "getpid", lambda: -1)  # a forked child

    assert outbound.worker_session() is not session
