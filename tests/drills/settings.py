"""Settings of the processes a failure drill starts (web, worker, beat, seed, sweep).

The test settings plus: a real broker (never eager), SMTP to the drill's local server,
and a beat schedule short enough to exercise two schedulers within seconds.
"""

from config.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env("EMAIL_HOST", default="127.0.0.1")  # noqa: F405
EMAIL_PORT = env.int("EMAIL_PORT", default=2525)  # noqa: F405
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)  # noqa: F405
SITE_URL = "http://127.0.0.1"
CELERY_BEAT_SCHEDULE = {
    "tracker-sweep": {
        "task": "tracker.tasks.sweep",
        "schedule": env.float("DRILL_SWEEP_EVERY", default=60.0),  # noqa: F405
    },
    "outbox-sweep": {
        "task": "outbox.tasks.outbox_sweep",
        "schedule": env.float("DRILL_SWEEP_EVERY", default=60.0),  # noqa: F405
    },
}
