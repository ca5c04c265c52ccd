from django.urls import path

from branches import views

app_name = "branches"
urlpatterns = [
    path("", views.branch_list, name="branch_list"),
    path("new/", views.branch_create, name="branch_create"),
    path("summary/", views.summary, name="summary"),
    path("enterprises/new/", views.enterprise_create, name="enterprise_create"),
    path("<uuid:public_id>/", views.branch_detail, name="branch_detail"),
    path("<uuid:public_id>/edit/", views.branch_edit, name="branch_edit"),
    path("<uuid:public_id>/end/", views.branch_end, name="branch_end"),
]
