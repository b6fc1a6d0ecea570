"""What correspondence shows staff: letters by status on the dashboard."""

from django.urls import reverse

from accounts.backoffice import Bar, Chart

from .models import Correspondence


def dashboard_charts() -> list[Chart]:
    letters = Correspondence.objects.in_mode(False)
    changelist = reverse("admin:correspondence_correspondence_changelist")
    bars = [
        Bar(
            "Awaiting its PDF",
            letters.filter(ready_on__isnull=True).count(),
            f"{changelist}?status=awaiting_pdf",
            "warn",
        ),
        Bar(
            "Ready, not delivered",
            letters.filter(ready_on__isnull=False, delivered_on__isnull=True).count(),
            f"{changelist}?status=undelivered",
            "",
        ),
        Bar("Emailed", letters.filter(emailed_on__isnull=False).count(), f"{changelist}?status=emailed", "good"),
        Bar("Delivered", letters.filter(delivered_on__isnull=False).count(), f"{changelist}?status=delivered", "good"),
    ]
    return [Chart("Correspondence by status", bars, url=changelist, permission="correspondence.view_correspondence")]
