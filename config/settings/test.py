"""Test settings: fast hashing, in-memory e-mail, eager-free Celery (tasks are called directly in tests)."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-a-secret")

from .base import *  # noqa: E402

DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SITE_URL = "http://testserver"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
DOCUMENT_ROOT = env("DOCUMENT_ROOT", default=str(VAR_DIR / "test-documents"))
if not AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"]["OPTIONS"]["location"] = DOCUMENT_ROOT
AXES_ENABLED = env.bool("AXES_ENABLED", default=False)
DEMO_DATA_ALLOWED = True
# Each help-desk change is its own agency e-mail unless a test opens the merge window.
HELPDESK_UPDATE_WINDOW_SECONDS = env.int("HELPDESK_UPDATE_WINDOW_SECONDS", default=0)
VAR_DIR.mkdir(exist_ok=True)
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=["127.0.0.1/32", "::1/128"])
