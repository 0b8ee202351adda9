"""Settings of the processes the end-to-end tests start: the embedded product, unchanged,
except that its Celery queue is named per test run.

Everything comes from config.settings.local (the `make run` mode) and the environment the
fixtures build. The queue name (E2E_CELERY_QUEUE) keeps two runs on one Redis server,
such as two engineers' runs or CI next to a developer's, from taking each other's tasks.
"""

from config.settings.local import *  # noqa: F403

CELERY_TASK_DEFAULT_QUEUE = env("E2E_CELERY_QUEUE", default="celery")  # noqa: F405
