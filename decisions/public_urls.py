"""The public disclosure board (村务公开), mounted at /public/ with no login (DESIGN §6-7)."""

from django.urls import path, re_path

from decisions import public_views

# Counties, townships and villages are addressed by their 12-digit division code.
CODE = r"(?P<code>[0-9]{12})"  # ASCII digits only: \d also matches other scripts' digits

app_name = "public"
urlpatterns = [
    path("", public_views.board_index, name="index"),
    path("search/", public_views.board_search, name="search"),
    re_path(rf"^county/{CODE}/$", public_views.board_county, name="county"),
    re_path(rf"^township/{CODE}/$", public_views.board_township, name="township"),
    re_path(rf"^village/{CODE}/$", public_views.board_village, name="village"),
    path("matters/<uuid:public_id>/", public_views.board_matter, name="matter"),
]
