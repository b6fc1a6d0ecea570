"""Every task of ours goes to one of the five named queues; the beat schedule has the sweeps and retention."""

from django.conf import settings

from config.celery import app

OUR_APPS = ("accounts.", "activities.", "communications.", "correspondence.", "postal.")


def our_tasks() -> list[str]:
    app.loader.import_default_modules()
    return sorted(name for name in app.tasks if name.startswith(OUR_APPS))


def queue_of(name: str) -> str:
    return app.amqp.router.route({}, name)["queue"].name


def test_every_task_routes_to_a_named_queue():
    routed = {name: queue_of(name) for name in our_tasks()}

    assert len(routed) >= 10
    assert {name: queue for name, queue in routed.items() if queue not in settings.CELERY_QUEUE_NAMES} == {}
    assert routed["communications.send_due_email"] == "email"
    assert routed["communications.send_due_sms"] == "sms"
    assert routed["correspondence.render_pdf"] == routed["correspondence.render_pdfs"] == "pdf"
    assert routed["postal.lodge_letters"] == "postal"
    assert routed["accounts.purge_expired"] == "default"


def test_beat_runs_the_sweeps_and_the_daily_purge():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert {
        "communications.sweep_outbound",
        "correspondence.sweep_unrendered",
        "correspondence.sweep_dispatches",
        "postal.lodge_letters",
        "postal.collect_returns",
        "accounts.purge_expired",
    } <= scheduled
    assert set(scheduled) <= set(our_tasks())


def test_every_task_has_an_explicit_name_and_its_queue_only_in_the_routes():
    tasks = {name: app.tasks[name] for name in our_tasks()}

    assert [name for name in tasks if ".tasks." in name] == [], "named <app>.<what it does>, not by module path"
    assert {name: task.queue for name, task in tasks.items() if getattr(task, "queue", None)} == {}
