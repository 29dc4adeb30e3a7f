"""Settings for the test suite: fast hashing, in-memory cache, tasks run inline."""

import os

os.environ.setdefault("PRESENCE_ENV", "test")

from presence.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Local memory unless CACHE_URL names a Redis database (CI runs the cache tests on Redis too); each
# pytest-xdist process keeps to its own keys.
CACHES = {"default": env.get_cache("CACHE_URL")}  # noqa: F405
CACHES["default"]["KEY_PREFIX"] = os.environ.get("PYTEST_XDIST_WORKER", "main")
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Login throttling is off for speed; its tests turn it on with override_settings(AXES_ENABLED=True).
AXES_ENABLED = False
