from django.urls import path

from disclosures import views

app_name = "disclosures"

urlpatterns = [
    path("", views.disclosure_list, name="list"),
    path("new/", views.disclosure_new, name="new"),
    path("missing/", views.missing, name="missing"),
    path("<uuid:public_id>/", views.disclosure_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.disclosure_edit, name="disclosure_edit"),
    path("<uuid:public_id>/publish/", views.disclosure_publish, name="publish"),
    path("<uuid:public_id>/withdraw/", views.disclosure_withdraw, name="withdraw"),
    path("<uuid:public_id>/correct/", views.disclosure_correct, name="correct"),
    path("<uuid:public_id>/history/", views.disclosure_history, name="history"),
]
