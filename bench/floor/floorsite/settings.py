"""The framework floor: the least a Django + DRF JSON API does per request, served beside the product by `make bench`.

One app with one five-field model, a plain DRF create and retrieve, and a bare Django view for reference. Of the
product it shares only what is not per-request code: the database settings (persistent connections with health
checks) and the gunicorn configuration (bench/framework_floor.py). The product never imports it.
"""

import os

import dj_database_url

SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = ["rest_framework", "notes"]
# What any Django site keeps; an API with no sessions, logins or forms needs nothing more.
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.middleware.common.CommonMiddleware"]
ROOT_URLCONF = "floorsite.urls"
WSGI_APPLICATION = "floorsite.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ["DATABASE_URL"],
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
TIME_ZONE = "UTC"
USE_TZ = True

# No authentication, JSON in and out: DRF's request, validation and serialization, and nothing the floor's
# anonymous clients do not use.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
