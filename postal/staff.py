"""What postal shows staff: letters at the mail house by status."""

from django.db.models import Count
from django.urls import reverse

from accounts.backoffice import Attention, Bar, Chart

from .models import STORED_STATUSES, Letter, LetterStatus

TONES = {
    LetterStatus.RECEIVED: "warn",
    LetterStatus.LODGED: "good",
    LetterStatus.CANCELLED: "muted",
    LetterStatus.RETURNED: "bad",
}


def dashboard_attention(user) -> list[Attention]:
    changelist = reverse("admin:postal_letter_changelist")
    return [
        Attention(
            "Letters returned",
            Letter.objects.in_mode(False).filter(status=LetterStatus.RETURNED).count(),
            f"{changelist}?status__exact={LetterStatus.RETURNED}&is_test__exact=0",
            "bad",
            "postal.view_letter",
        )
    ]


def dashboard_charts() -> list[Chart]:
    per_status = Letter.objects.in_mode(False).order_by().values_list("status").annotate(n=Count("pk"))
    counts = dict(per_status.values_list("status", "n"))
    changelist = reverse("admin:postal_letter_changelist")
    bars = [
        Bar(
            LetterStatus(status).label,
            counts.get(status, 0),
            f"{changelist}?status__exact={status}&is_test__exact=0",
            TONES[status],
        )
        for status in STORED_STATUSES
    ]
    return [Chart("Postal letters by status", bars, url=changelist, permission="postal.view_letter")]
