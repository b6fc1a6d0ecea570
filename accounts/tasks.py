from celery import shared_task

from . import retention


@shared_task(name="accounts.purge_expired", ignore_result=True)
def purge_expired() -> dict[str, int]:
    """The daily retention run: the same service as `manage.py purge`."""
    return retention.purge_all(retention.cutoff_for())
