"""Retention: each app may add `<app>/retention.py` with

    purge(cutoff, *, dry_run, batch_size, progress) -> dict[str, int]

which removes or anonymises its records created before `cutoff` and says how many, per kind. This module
finds them in app order (as seed_demo finds `<app>.demo`), so accounts never imports the apps after it.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

log = logging.getLogger(__name__)


class NoProgress:
    def __init__(self, description: str = "", total: int = 0):
        pass

    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


# Called with (description, total); returns something with update(n) and close() — a tqdm bar, for one.
Progress = Callable[[str, int], object]


def cutoff_for(days: int | None = None, now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=settings.RETENTION_DAYS if days is None else days)


def in_batches(
    queryset: QuerySet,
    apply: Callable[[list], int],
    *,
    description: str,
    dry_run: bool,
    batch_size: int,
    progress: Progress = NoProgress,
) -> int:
    """Apply `apply(primary_keys)` to the rows of `queryset`, one batch per transaction; with dry_run only count.

    `queryset` must stop matching a row once it is applied, so the loop ends and a rerun resumes.
    """
    total = queryset.count()
    bar = progress(description, total)
    try:
        if dry_run:
            bar.update(total)
            return total
        done = 0
        while batch := list(queryset.order_by("pk").values_list("pk", flat=True)[:batch_size]):
            with transaction.atomic():
                apply(batch)
            done += len(batch)
            bar.update(len(batch))
        return done
    finally:
        bar.close()


def purge_all(
    cutoff: datetime, *, dry_run: bool = False, batch_size: int = 1000, progress: Progress = NoProgress
) -> dict[str, int]:
    """Every app's retention, in app order; {"<app>.<kind>": rows} for every kind."""
    counts: dict[str, int] = {}
    for app in apps.get_app_configs():
        if find_spec(f"{app.name}.retention") is None:
            continue
        app_purge = getattr(import_module(f"{app.name}.retention"), "purge", None)
        if app_purge is None:
            continue
        for kind, rows in app_purge(cutoff, dry_run=dry_run, batch_size=batch_size, progress=progress).items():
            counts[f"{app.label}.{kind}"] = rows
    verb = "retention.counted" if dry_run else "retention.purged"
    log.info("%s cutoff=%s %s", verb, cutoff.isoformat(), " ".join(f"{k}={v}" for k, v in counts.items()))
    return counts
