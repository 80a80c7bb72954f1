"""Test settings: the real settings, made fast and hermetic."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault(
    "SECRET_KEY", "tests-only-secret-key-that-is-long-enough-for-the-deploy-check"
)

from destalin.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# One process runs the tests: rate limits in process memory are exactly right here.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "django_ratelimit.W001"]  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
COURSE_CREATION = "instructors"
# Static files come from the apps' folders through the finders; nothing is collected.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tasks run inline, right after the commit that queues them; one test uses the real queue.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# One line per request is for operators; test and benchmark output stays readable.
LOGGING["loggers"]["destalin.requests"] = {"level": "WARNING"}  # noqa: F405
# Links in mail name the site, never the host a test request came through.
SITE_URL = "https://destalin.example.edu"
# Uploaded files go to a folder of this run's own, removed when it ends.
MEDIA_ROOT = tempfile.mkdtemp(prefix="destalin-test-media-")
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
