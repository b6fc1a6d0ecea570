"""Starting background work: a Celery task named by its registered name, never imported.

Services write what must be done to the database first, then start the task that does it. They name the
task rather than import it, so no service depends on a tasks module, and a broker that is down never fails
the request: the start is logged and the task's periodic sweep finds the work in the database later.
"""

import logging
from functools import partial
from importlib import import_module

from celery import current_app
from django.db import transaction

log = logging.getLogger(__name__)


def start_task(name: str, *args, countdown: float | None = None, eta=None) -> bool:
    """Start the task now; False (logged) when the broker refused it."""
    try:
        if current_app.conf.task_always_eager:
            # The embedded default runs tasks in this process; send_task would ignore that and need a broker.
            _registered(name).apply(args=args)
        else:
            current_app.send_task(name, args=args, countdown=countdown, eta=eta, retry=False)
    except Exception as error:  # any broker failure: the work stays in the database for the sweep
        log.warning("task.not_started name=%s error=%s", name, error)
        return False
    return True


def start_task_after_commit(name: str, *args, countdown: float | None = None, eta=None) -> None:
    """Start the task once the current transaction has committed, so the worker finds the rows it names."""
    transaction.on_commit(partial(start_task, name, *args, countdown=countdown, eta=eta))


def _registered(name: str):
    if name not in current_app.tasks:
        # Workers import every tasks module at start; in-process, the task's own app (its name's first part)
        # is imported on first use. Celery's import_default_modules would set Django up again and reset logging.
        import_module(f"{name.partition('.')[0]}.tasks")
    return current_app.tasks[name]
