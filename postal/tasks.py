"""Celery tasks of the mail house, on the `postal` queue. Thin: each calls one service."""

import logging

from celery import shared_task

from . import services

log = logging.getLogger(__name__)


@shared_task(name="postal.lodge_letters", ignore_result=True)
def lodge_letters() -> dict:
    outcomes = services.lodge_due_letters()
    if outcomes:
        log.info("letters.lodging_sweep %s", " ".join(f"{k}={v}" for k, v in sorted(outcomes.items())))
    return dict(outcomes)


@shared_task(name="postal.collect_returns", ignore_result=True)
def collect_returns() -> dict:
    summary = services.collect_returns()
    return vars(summary)
