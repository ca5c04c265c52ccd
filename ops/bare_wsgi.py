"""A bare Django application for `make bench-load`: one view answering "ok", no middleware, no
database. Measured beside the portal, it shows what the portal's own work costs per request."""

from django.conf import settings

settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["127.0.0.1"],
    ROOT_URLCONF=__name__,
    SECRET_KEY="bare-benchmark-view-not-a-secret",
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
)

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("healthz", ok), path("", ok)]
application = get_wsgi_application()
