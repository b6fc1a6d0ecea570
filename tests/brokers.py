"""Celery's broker for a block of a test: a real Redis the test's workers read, or one that does not answer."""

import contextlib

import kombu.pools

from config.celery import app as celery_app


@contextlib.contextmanager
def celery_broker(url: str):
    """Hand tasks to a real broker at `url` instead of running them in-process, for the block."""
    conf = celery_app.conf
    saved = conf.broker_url, conf.task_always_eager
    _forget_connections()
    conf.update(broker_url=url, task_always_eager=False)
    try:
        yield
    finally:
        _forget_connections()
        conf.update(broker_url=saved[0], task_always_eager=saved[1])


def _forget_connections():
    # Celery's pools live in kombu's process-wide registry (connection pools, and producer pools per broker URL);
    # closing one there would leave it closed for the next test, or hand it out again to in-process tasks that
    # ran before this test ("Acquire on closed pool"), so the registry is emptied and the app forgets its references.
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
