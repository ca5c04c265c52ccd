from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path, register_converter

from governance import policy_views, views
from villages.converters import DivisionCodeConverter

# `<division:code>`: a 12-digit statistical division code, the public key of villages in every app.
register_converter(DivisionCodeConverter, "division")

admin.site.site_header = "县域基层治理档案 · 管理后台"
admin.site.site_title = "基层治理档案"

# An unreachable database answers 503 "try again later", not a server error.
handler500 = "governance.views.server_error"


def favicon(request):
    """Browsers and bots ask for /favicon.ico whatever the page says: send them to the static icon."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))


urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", favicon, name="favicon"),
    path("healthz", views.healthz, name="healthz"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("settings/", policy_views.settings_page, name="settings"),
    path("review/", views.review_queue, name="review"),
    path("review/<str:key>/<str:action>/", views.review_act, name="review_act"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("villages/", include("villages.urls")),
    path("cadres/", include("cadres.urls")),
    path("supervision/", include("supervision.urls")),
    path("decisions/", include("decisions.urls")),
    path("branches/", include("branches.urls")),
    path("standards/", include("standards.urls")),
    path("training/", include("training.urls")),
    path("mediation/", include("mediation.urls")),
    path("village-rules/", include("compacts.urls")),
    path("disclosures/", include("disclosures.urls")),
    path("imports/", include("imports.urls")),
    # The public disclosure board (村务公开): no login (DESIGN §6-7).
    # 五公开 disclosures on the board: before the board's own include (decisions never imports them).
    path("public/disclosures/", include("disclosures.public_urls")),
    path("public/", include("decisions.public_urls")),
]
# Uploaded files are never served from MEDIA_URL: each download goes through a view that checks
# the jurisdiction (decisions.views.attachment_download).
