"""The portal as gunicorn serves it, plus one bare Django template view at ``/bench/bare/`` for
`make bench-load` ([10/10] item 2): the same process, settings and middleware as every portal page,
login required like them (the session and the user are read), but a template of one line and no
query of its own. What a page costs beyond it is the page's own work. Never deployed: deploy/
serves ``governance.wsgi``."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import path
from django.utils import timezone

from governance.wsgi import application  # configures Django

BARE = engines["django"].from_string(
    '<!doctype html><html lang="zh-hans"><title>{{ title }}</title><p>{{ title }}：{{ now }}</p></html>'
)


@login_required  # as every portal page: the session and the user are loaded, nothing else
def bare(request):
    return HttpResponse(BARE.render({"title": "基准", "now": timezone.now()}, request))


def _mount() -> None:
    import governance.urls  # after Django is set up

    # Before the first request resolves a URL, so the resolver is built with it.
    governance.urls.urlpatterns.insert(0, path("bench/bare/", bare))


_mount()
__all__ = ["application"]
