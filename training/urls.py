from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    path("", views.class_list, name="class_list"),
    path("new/", views.class_new, name="class_new"),
    path("coverage/", views.coverage, name="coverage"),
    path("untrained/", views.untrained, name="untrained"),
    path("<uuid:public_id>/", views.class_detail, name="class_detail"),
    path("<uuid:public_id>/edit/", views.class_edit, name="class_edit"),
    path("<uuid:public_id>/attendance/", views.class_attendance, name="class_attendance"),
]
