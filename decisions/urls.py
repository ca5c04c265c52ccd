from django.urls import path

from decisions import views

app_name = "decisions"
urlpatterns = [
    path("", views.matter_list, name="index"),
    path("new/", views.matter_create, name="matter_create"),
    path("<uuid:public_id>/", views.matter_detail, name="matter_detail"),
    path("<uuid:public_id>/edit/", views.matter_edit, name="matter_edit"),
    path("<uuid:public_id>/notice/", views.matter_notice, name="matter_notice"),
    path("<uuid:public_id>/steps/<slug:step>/", views.step_record, name="step_record"),
    path("<uuid:public_id>/corrections/<slug:step>/", views.step_correct, name="step_correct"),
    path("<uuid:public_id>/attachments/", views.attachment_upload, name="attachment_upload"),
    path(
        "<uuid:public_id>/attachments/<uuid:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
]
