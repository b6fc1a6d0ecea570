"""What correspondence shows staff: letters awaiting their PDF, and letters by status, each counted once."""

from django.urls import reverse

from accounts.backoffice import Attention, Bar, Chart

from .models import Correspondence
from .selectors import LETTER_STAGES

LIVE = "is_test__exact=0"


def dashboard_attention(user) -> list[Attention]:
    changelist = reverse("admin:correspondence_correspondence_changelist")
    return [
        Attention(
            "Letters awaiting their PDF",
            LETTER_STAGES["awaiting_pdf"].of(Correspondence.objects.in_mode(False)).count(),
            f"{changelist}?status=awaiting_pdf&{LIVE}",
            "warn",
            "correspondence.view_correspondence",
        )
    ]


def dashboard_charts() -> list[Chart]:
    letters = Correspondence.objects.in_mode(False)
    changelist = reverse("admin:correspondence_correspondence_changelist")
    tones = {"awaiting_pdf": "warn", "not_sent": "", "emailed_only": "good", "delivered": "good"}
    bars = [
        Bar(LETTER_STAGES[key].label, LETTER_STAGES[key].of(letters).count(), f"{changelist}?status={key}&{LIVE}", tone)
        for key, tone in tones.items()
    ]
    return [
        Chart(
            "Correspondence by status",
            bars,
            url=f"{changelist}?{LIVE}",
            permission="correspondence.view_correspondence",
        )
    ]
