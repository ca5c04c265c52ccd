"""The public page of one disclosure, mounted at /public/disclosures/ (before the board's include)."""

from django.urls import path

from disclosures import public_views

app_name = "public_disclosures"
urlpatterns = [
    path("<uuid:public_id>/", public_views.disclosure_page, name="detail"),
]
