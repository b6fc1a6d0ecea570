"""What the mixed load's writes left in the database: counted per kind of write, and checked for records missing a
part written in the same transaction (bench/mixed_load.py runs it).
"""


def written(tag: str) -> dict[str, int]:
    """Rows the writes of this run left, per write kind."""
    from activities.models import Activity
    from communications.models import Communication
    from correspondence.models import Correspondence

    return {
        "POST activities": Activity.objects.filter(name__contains=f" {tag}-").count(),
        "POST communications/create (phone note)": Communication.objects.filter(
            subject__contains=f" {tag}-", media="PHONE"
        ).count(),
        "POST communications/create (email, queued)": Communication.objects.filter(
            subject__contains=f" {tag}-", media="EMAIL"
        ).count(),
        "POST customers/{id}/correspondence/": Correspondence.objects.filter(
            content__subject__icontains=f" {tag}-"
        ).count(),
    }


def half_written(tag: str) -> list[str]:
    """Records of this run missing a part that is written in the same transaction."""
    from django.db.models import BigIntegerField, Count, Max
    from django.db.models.functions import Cast

    from activities.models import Activity
    from communications.models import Communication, OutboundMessage
    from correspondence.models import Correspondence

    problems = []
    activities = Activity.objects.filter(name__contains=f" {tag}-")
    if n := activities.filter(state_history__isnull=True).count():
        problems.append(f"{n} activities without their PENDING history entry")
    communications = Communication.objects.filter(subject__contains=f" {tag}-")
    if n := communications.exclude(state="COMPLETED").count():
        problems.append(f"{n} communications not COMPLETED")
    if n := communications.filter(number__isnull=True).count():
        problems.append(f"{n} communications without a number")
    emails = {str(pk) for pk in communications.filter(media="EMAIL").values_list("pk", flat=True)}
    messages = (
        OutboundMessage.objects.filter(source_type="communications.communication", source_id__in=emails)
        .values("source_id")
        .annotate(n=Count("pk"))
    )
    per_email = {row["source_id"]: row["n"] for row in messages}
    if n := sum(1 for pk in emails if per_email.get(pk) != 1):
        problems.append(f"{n} email communications without exactly one outbound message")
    letters = Correspondence.objects.filter(content__subject__icontains=f" {tag}-")
    if n := letters.filter(number="").count():
        problems.append(f"{n} letters without a number")
    # Every number here was assigned by the system, so each customer's letters are numbered 1..N without a gap.
    numbered = (
        Correspondence.objects.filter(customer__in=letters.values("customer"))
        .values("customer")
        .annotate(n=Count("pk"), highest=Max(Cast("number", BigIntegerField())))
    )
    if gaps := sum(1 for row in numbered if row["n"] != row["highest"]):
        problems.append(f"{gaps} customers whose letter numbers have a gap or a repeat")
    return problems
