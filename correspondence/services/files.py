"""Stored files of either sub-domain, removed only once the transaction that let go of them has committed."""

from django.core.files.storage import default_storage
from django.db import transaction


def delete_files_after_commit(names) -> None:
    def delete():
        for name in names:
            if name:
                default_storage.delete(name)

    transaction.on_commit(delete)
