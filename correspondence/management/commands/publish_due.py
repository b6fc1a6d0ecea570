from accounts.commands import ActorCommand
from correspondence import services


class Command(ActorCommand):
    help = (
        "Publish the dispatched correspondence whose publish time has come and hand its due notifications "
        "and reminders to the outbound channel: what the beat sweep does, for a deployment without beat or "
        "the embedded default, whose in-process tasks cannot wait for a later time."
    )

    def handle(self, *args, **options):
        published = services.publish_due_correspondences()
        notified = services.send_due_notifications()
        self.stdout.write(f"{published} correspondence(s) published or failed, {notified} notification(s) handed over.")
